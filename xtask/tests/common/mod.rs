//! What the tests that work on a copy of a workspace share.

// Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The test fixtures (`tests/fixtures`).
pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// The files under `from` (not `target/`, not `.git/`) copied to `to`.
fn copy_tree(from: &Path, to: &Path) {
    let walk = walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some("target" | ".git")));
    for entry in walk {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// This workspace's own files copied to `to`.
pub fn copy_workspace(to: &Path) {
    copy_tree(&root().canonicalize().unwrap(), to);
}

/// A throwaway workspace: the mini fixture, already generated once.
pub fn mini() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("mini"), dir.path());
    let out = run_xtask(dir.path(), "regenerate");
    assert!(
        out.status.success(),
        "the mini fixture must generate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

/// `xtask ARGS…` on the workspace at `ws`, to be run.
pub fn xtask(ws: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.arg("--root").arg(ws).args(args);
    command
}

/// `xtask COMMAND` on the workspace at `root`, run to its end.
pub fn run_xtask(root: &Path, command: &str) -> Output {
    xtask(root, &[command]).output().unwrap()
}

/// Runs `command`, which must succeed (its output is shown if not).
pub fn run(command: &mut Command) -> Output {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `git ARGS…` in `ws`, with a committer identity.
pub fn git(ws: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(ws)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(args);
    command
}

/// What a command printed: its standard output, then its error output.
pub fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
