//! Stage 5: write the generated files (only those that changed, each
//! through a temp file and a rename) or compare them with what is on disk.

use std::path::Path;

use similar::TextDiff;

use crate::error::Error;

/// One generated file: its path relative to the workspace root, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the workspace root.
    pub path: String,
    /// The whole text, header included.
    pub contents: String,
}

/// A committed file that differs from what the specs produce.
#[derive(Debug, Clone)]
pub struct StaleFile {
    /// Relative to the workspace root.
    pub path: String,
    /// A unified diff from the committed text to the expected one.
    pub diff: String,
}

fn read_existing(root: &Path, file: &GeneratedFile) -> Result<Option<String>, Error> {
    let path = root.join(&file.path);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Compares every file with the one on disk.
pub fn compare(root: &Path, files: &[GeneratedFile]) -> Result<Vec<StaleFile>, Error> {
    let mut stale = Vec::new();
    for file in files {
        let existing = read_existing(root, file)?;
        if existing.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        let old = existing.unwrap_or_default();
        let diff = TextDiff::from_lines(&old, &file.contents)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("a/{} (committed)", file.path),
                &format!("b/{} (from the specs)", file.path),
            )
            .to_string();
        stale.push(StaleFile {
            path: file.path.clone(),
            diff,
        });
    }
    Ok(stale)
}

/// Writes the files whose bytes differ; returns the paths written.
///
/// Each file is first written beside its target and then renamed over it,
/// so a reader never sees half a file. All temp files are written before
/// the first rename; if one write fails, none of the targets changes.
pub fn write(root: &Path, files: &[GeneratedFile]) -> Result<Vec<String>, Error> {
    let mut pending = Vec::new();
    for file in files {
        if read_existing(root, file)?.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        let target = root.join(&file.path);
        let temp = target.with_extension("rs.tmp");
        let staged = (|| {
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&temp, &file.contents)
        })();
        if let Err(e) = staged {
            for (t, _, _) in &pending {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&temp);
            return Err(Error::io(&temp, e));
        }
        pending.push((temp, target, file.path.clone()));
    }
    let mut written = Vec::new();
    for (temp, target, path) in pending {
        std::fs::rename(&temp, &target).map_err(|e| Error::io(&target, e))?;
        written.push(path);
    }
    Ok(written)
}
