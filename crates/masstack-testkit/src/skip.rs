//! Skipping the part of a test that needs something optional (tinyproxy,
//! `../shared`), visibly, and never where CI says it must be there.

use std::io::Write;

/// Says on the terminal that `what` was skipped and why, or panics when the
/// environment variable `required_by` is set (non-empty): CI sets it, so
/// that there a skip is a failure instead of a silently smaller test.
///
/// The line is written to the process's standard error directly: the test
/// harness captures `println!`/`eprintln!` of passing tests, and a skip
/// must be seen in a normal `cargo test` run.
pub fn skipped(what: &str, why: &str, required_by: &str) {
    let required = std::env::var_os(required_by).is_some_and(|v| !v.is_empty());
    assert!(
        !required,
        "{required_by} is set, but {what} cannot run: {why}"
    );
    let line = format!("SKIPPED {what}: {why} (set {required_by}=1 to make this an error)\n");
    // Nothing to do if the terminal is gone.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
