//! A spec's files as a git revision has them, so the change review reads a
//! base of any version and layout (a folder of several files) exactly as
//! `regenerate` reads the working tree.

use std::path::Path;

use masstack_openapi::bundle::Source;
use masstack_openapi::diagnostic::{Diagnostic, Location};
use masstack_openapi::load::{Document, LoadError};

use super::git;

/// The files of `base` in the repository at `root`.
pub struct Revision<'a> {
    /// The repository.
    pub root: &'a Path,
    /// The revision (`release-…`, a commit).
    pub base: &'a str,
}

impl Source for Revision<'_> {
    fn read(&self, relative: &str) -> Result<Option<String>, LoadError> {
        Ok(git(
            self.root,
            &["show", &format!("{}:{relative}", self.base)],
        ))
    }

    fn entry_of_folder(&self, relative: &str) -> Result<Option<String>, LoadError> {
        let listing = git(
            self.root,
            &[
                "ls-tree",
                "-r",
                "--name-only",
                self.base,
                "--",
                &format!("{relative}/"),
            ],
        )
        .unwrap_or_default();
        let documents: Vec<&str> = listing
            .lines()
            .filter(|n| [".yaml", ".yml", ".json"].iter().any(|x| n.ends_with(x)))
            .collect();
        if documents.is_empty() {
            return Ok(None);
        }
        let mut entries = Vec::new();
        for name in documents {
            let Some(text) = self.read(name)? else {
                continue;
            };
            let Ok(document) = Document::parse(name, &text) else {
                continue;
            };
            if document.json.get("openapi").is_some() || document.json.get("swagger").is_some() {
                entries.push(name.to_owned());
            }
        }
        match entries.as_slice() {
            [entry] => Ok(Some(entry.clone())),
            _ => Err(LoadError::Invalid(vec![Diagnostic::new(
                relative,
                Location::File,
                format!(
                    "at {}, the spec folder has {} documents with an `openapi` or `swagger` key ({}); it needs exactly one, the entry document",
                    self.base,
                    entries.len(),
                    entries.join(", ")
                ),
            )])),
        }
    }
}
