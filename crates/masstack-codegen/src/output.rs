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

/// Whether the text on disk is the generated text: a checkout that turned
/// line ends into CRLF (Windows, `core.autocrlf`) still matches.
fn same(existing: &str, generated: &str) -> bool {
    existing == generated || existing.replace("\r\n", "\n") == generated
}

/// The first line of every file the generator writes.
const HEADER: &str = "// @generated";

/// Files in `dirs` (each a `src/generated/` directory, relative to `root`)
/// that carry the `@generated` header but that no output produces any more:
/// an extra or an output was removed. Hand-written files are never listed.
pub fn orphans(
    root: &Path,
    dirs: &[String],
    files: &[GeneratedFile],
) -> Result<Vec<String>, Error> {
    let produced: std::collections::BTreeSet<&str> =
        files.iter().map(|f| f.path.as_str()).collect();
    let mut out = Vec::new();
    for dir in dirs {
        let path = root.join(dir);
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&path, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = format!("{}/{name}", dir.trim_end_matches('/'));
            if !name.ends_with(".rs") || produced.contains(relative.as_str()) {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            if text.starts_with(HEADER) {
                out.push(relative);
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Compares every file with the one on disk; orphans are stale too.
pub fn compare(
    root: &Path,
    files: &[GeneratedFile],
    orphans: &[String],
) -> Result<Vec<StaleFile>, Error> {
    let mut stale = Vec::new();
    for file in files {
        let existing = read_existing(root, file)?;
        if existing.as_deref().is_some_and(|e| same(e, &file.contents)) {
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
    for orphan in orphans {
        stale.push(StaleFile {
            path: orphan.clone(),
            diff: format!(
                "{orphan}: generated, but no output produces it any more (regenerate deletes it)\n"
            ),
        });
    }
    Ok(stale)
}

/// Writes the files whose bytes differ and deletes the orphans; returns
/// the paths written or deleted.
///
/// All or nothing, and safe when two runs overlap: a lock (in `target/`)
/// serialises writers; each file is written to a temporary file with a
/// unique name beside its target, and only when every one is written are
/// they renamed over their targets. A failure removes every temporary file
/// and puts back any target already replaced.
pub fn write(
    root: &Path,
    files: &[GeneratedFile],
    orphans: &[String],
) -> Result<Vec<String>, Error> {
    let _lock = lock(root)?;
    let mut staged: Vec<Staged> = Vec::new();
    let fail = |staged: &[Staged], e: Error| {
        for s in staged {
            let _ = std::fs::remove_file(&s.temp);
        }
        e
    };
    for (i, file) in files.iter().enumerate() {
        let previous = match read_existing(root, file) {
            Ok(p) => p,
            Err(e) => return Err(fail(&staged, e)),
        };
        if previous.as_deref().is_some_and(|p| same(p, &file.contents)) {
            continue;
        }
        let target = root.join(&file.path);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.{}-{i}.tmp", std::process::id()));
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&temp, &file.contents));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(fail(&staged, Error::io(&temp, e)));
        }
        staged.push(Staged {
            temp,
            target,
            path: file.path.clone(),
            previous,
        });
    }
    let mut done: Vec<&Staged> = Vec::new();
    for s in &staged {
        if let Err(e) = std::fs::rename(&s.temp, &s.target) {
            // Put back what was already replaced; drop what was not.
            for d in &done {
                match &d.previous {
                    Some(text) => {
                        let _ = std::fs::write(&d.target, text);
                    }
                    None => {
                        let _ = std::fs::remove_file(&d.target);
                    }
                }
            }
            let rest: Vec<Staged> = staged.iter().skip(done.len()).cloned().collect();
            return Err(fail(&rest, Error::io(&s.target, e)));
        }
        done.push(s);
    }
    let mut written: Vec<String> = staged.into_iter().map(|s| s.path).collect();
    for orphan in orphans {
        let path = root.join(orphan);
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        written.push(format!("{orphan} (deleted)"));
    }
    Ok(written)
}

#[derive(Clone)]
struct Staged {
    temp: std::path::PathBuf,
    target: std::path::PathBuf,
    path: String,
    previous: Option<String>,
}

/// Held while writing: a second `regenerate` waits for the first.
fn lock(root: &Path) -> Result<std::fs::File, Error> {
    let dir = root.join("target");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = dir.join(".masstack-regenerate.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    file.lock().map_err(|e| Error::io(&path, e))?;
    Ok(file)
}
