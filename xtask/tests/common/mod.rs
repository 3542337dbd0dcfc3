//! What the tests that work on a copy of this workspace share.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The workspace's own files (not `target/`, not `.git/`) copied to `to`.
pub fn copy_workspace(to: &Path) {
    let root = root().canonicalize().unwrap();
    let walk = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some("target" | ".git")));
    for entry in walk {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&root).unwrap();
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
