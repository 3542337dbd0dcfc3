//! `cargo xtask` on bad input: exit code 2, a message that locates the
//! problem, no panic, and not one file changed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{fixtures, mini as workspace, run_xtask as xtask};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file below `root`, with its bytes.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            (
                entry.path().to_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Adds a second output whose spec is `bad`, with `settings` (manifest
/// lines) in its entry, then runs `command`.
fn run_with_bad_output(bad: &str, settings: &str, command: &str) -> (Output, bool) {
    let ws = workspace();
    std::fs::copy(
        fixtures().join("bad").join(bad),
        ws.path().join("spec").join(bad),
    )
    .unwrap();
    let manifest = ws.path().join("spec/codegen.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str(&format!(
        "\n[[output]]\nname = \"bad\"\nspec = \"spec/{bad}\"\ncrate = \"crates/bad\"\nlint = {{ examples = true, inferred = true }}\n{settings}"
    ));
    std::fs::write(&manifest, text).unwrap();
    let cargo = ws.path().join("Cargo.toml");
    let members = std::fs::read_to_string(&cargo).unwrap().replace(
        r#"members = ["crates/mini"]"#,
        r#"members = ["crates/mini", "crates/bad"]"#,
    );
    std::fs::write(&cargo, members).unwrap();
    // Make the good output stale too: a failed run must not write it either.
    let mini = ws.path().join("spec/mini.yaml");
    let spec = std::fs::read_to_string(&mini)
        .unwrap()
        .replace("title: Mini", "title: Mini changed");
    std::fs::write(&mini, spec).unwrap();

    let before = snapshot(ws.path());
    let out = xtask(ws.path(), command);
    let unchanged = snapshot(ws.path()) == before;
    (out, unchanged)
}

fn assert_rejected(bad: &str, expected: &[&str]) {
    assert_rejected_with(bad, "", expected);
}

/// [`assert_rejected`], with `settings` in the bad output's manifest entry.
fn assert_rejected_with(bad: &str, settings: &str, expected: &[&str]) {
    for command in ["regenerate", "check"] {
        let (out, unchanged) = run_with_bad_output(bad, settings, command);
        let err = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{bad} ({command}) must exit 2; stderr:\n{err}"
        );
        assert!(unchanged, "{bad} ({command}) changed files on disk");
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "{bad} ({command}) panicked:\n{err}"
        );
        assert!(
            err.contains(&format!("spec/{bad}")),
            "{bad} ({command}): message does not name the file:\n{err}"
        );
        for needle in expected {
            assert!(
                err.contains(needle),
                "{bad} ({command}): message lacks `{needle}`:\n{err}"
            );
        }
    }
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    assert_rejected("yaml-syntax.yaml", &["spec/yaml-syntax.yaml:13:"]);
}

#[test]
fn missing_ref_target() {
    assert_rejected(
        "missing-ref.yaml",
        &["#/components/schemas/Thing", "points to nothing"],
    );
}

#[test]
fn duplicate_operation_id() {
    assert_rejected(
        "duplicate-operation-id.yaml",
        &["operation things", "also used by GET /things"],
    );
}

#[test]
fn an_unknown_openapi_version_is_refused() {
    assert_rejected(
        "openapi-4-0.yaml",
        &[
            "spec/openapi-4-0.yaml:1:1 (#/openapi)",
            "4.0.0",
            "Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2",
        ],
    );
}

/// 3.1's type list in a 3.0 document is located at its key, not where a
/// typed parse gives up.
#[test]
fn a_keyword_the_version_does_not_allow_is_located_at_its_key() {
    assert_rejected(
        "type-array-in-3-0.yaml",
        &["spec/type-array-in-3-0.yaml:20:11 (#/components/schemas/Thing/properties/name/type)"],
    );
}

/// Several success types are read into a per-status enum by the runtime's
/// decoding; an output without the runtime is told to set it.
#[test]
fn json_and_no_content_success_responses_need_the_runtime() {
    assert_rejected(
        "two-success-types.yaml",
        &[
            "operation createThing",
            "into `CreateThingResponse2` (200 Ok, 204 NoContent)",
            "set `runtime`",
        ],
    );
}

#[test]
fn example_not_matching_its_schema() {
    assert_rejected(
        "invalid-example.yaml",
        &["application~1json/example", "/id", "\"seven\""],
    );
}

#[test]
fn path_placeholder_without_parameter() {
    assert_rejected(
        "undeclared-placeholder.yaml",
        &["operation getThing", "{thingId}"],
    );
}

#[test]
fn regenerate_then_check_is_clean_and_writes_nothing_twice() {
    let ws = workspace();
    let check = xtask(ws.path(), "check");
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let before = snapshot(ws.path());
    let again = xtask(ws.path(), "regenerate");
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("up to date"));
    assert_eq!(snapshot(ws.path()), before);
}

#[test]
fn check_reports_a_stale_file_with_a_diff() {
    let ws = workspace();
    let client = ws.path().join("crates/mini/src/generated/client.rs");
    let text = std::fs::read_to_string(&client)
        .unwrap()
        .replace("pub fn get_thing", "pub fn hand_edited");
    std::fs::write(&client, text).unwrap();
    let out = xtask(ws.path(), "check");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("-    pub fn hand_edited") && stdout.contains("+    pub fn get_thing"),
        "{stdout}"
    );
    let err = stderr(&out);
    assert!(
        err.contains("crates/mini/src/generated/client.rs")
            && err.contains("cargo xtask regenerate"),
        "{err}"
    );
}

/// Without the check, the process dies of a stack overflow, with no message.
#[test]
fn composition_cycle_is_located_instead_of_overflowing_the_stack() {
    assert_rejected(
        "composition-cycle.yaml",
        &[
            "at #/components/schemas/Part",
            "schema `Part` is made of itself (Part -oneOf-> Thing -allOf-> Part)",
        ],
    );
}

#[test]
fn self_alias_is_located_instead_of_generating_an_infinite_type() {
    assert_rejected(
        "self-alias.yaml",
        &["at #/components/schemas/Selfie", "(Selfie -$ref-> Selfie)"],
    );
}

/// typify panics on the schema; without `strict` it is loosened (see
/// crates/masstack-codegen/tests/loosen.rs), with it the error points there.
#[test]
fn a_progenitor_panic_points_at_its_schema_under_strict() {
    assert_rejected_with(
        "progenitor-panic.yaml",
        "strict = true\n",
        &[
            "spec/progenitor-panic.yaml at #/components/schemas/Mixed: loosened schema (strict)",
            "multiple implied types for an un-typed enum",
        ],
    );
}

#[test]
fn a_spec_that_is_not_utf8_is_located() {
    assert_rejected(
        "not-utf8.yaml",
        &["spec/not-utf8.yaml:2:19: the file is not UTF-8 text"],
    );
}
