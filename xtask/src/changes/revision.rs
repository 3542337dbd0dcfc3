//! A spec's files as a git revision has them, so the change review reads a
//! base of any version and layout (a folder of several files) exactly as
//! `regenerate` reads the working tree.

use std::path::Path;

use masstack_openapi::bundle::{Source, declares_version, pick_entry};
use masstack_openapi::load::LoadError;

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

    /// The entry of the folder at the base, by the same rule as in the
    /// working tree ([`pick_entry`]); `None` when the base has no file
    /// there.
    fn entry_of_folder(&self, relative: &str) -> Result<Option<String>, LoadError> {
        let relative = relative.trim_end_matches('/');
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
        let files: Vec<String> = listing
            .lines()
            .filter_map(|n| n.strip_prefix(relative)?.strip_prefix('/'))
            .map(str::to_owned)
            .collect();
        if files.is_empty() {
            return Ok(None);
        }
        let is_document = |file: &str| {
            let text = self.read(&format!("{relative}/{file}")).ok().flatten();
            text.is_some_and(|t| declares_version(file, &t))
        };
        pick_entry(relative, files, is_document)
            .map(Some)
            .map_err(|mut d| {
                d.message = format!("at {}: {}", self.base, d.message);
                LoadError::Invalid(vec![d])
            })
    }
}
