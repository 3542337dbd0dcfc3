//! Stage 1: read a spec file into both a JSON tree (for pointers and
//! examples) and a typed `openapiv3::OpenAPI` (for progenitor); see
//! [`masstack_openapi::load`], whose failures become this crate's [`Error`].

use std::path::Path;

use masstack_openapi::load::Document;
pub use masstack_openapi::load::{LoadedSpec, load_from, parse};
pub use masstack_openapi::normalise::Version;
use serde_json::Value;

use crate::error::Error;

/// Reads and parses `root/relative`.
pub fn load(root: &Path, relative: &str) -> Result<LoadedSpec, Error> {
    Ok(masstack_openapi::load::load(root, relative)?)
}

/// Reads a YAML or JSON document (by extension) as JSON, for documents
/// that are not specs (overlays).
pub fn read_document(root: &Path, relative: &str) -> Result<Value, Error> {
    Ok(Document::read(root, relative)?.json)
}
