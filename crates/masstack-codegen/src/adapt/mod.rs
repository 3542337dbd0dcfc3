//! Stage 1c: the spec made into what progenitor can generate, after the
//! manifest's fixes and before the lint. progenitor takes one operationId,
//! one success type, one error type and one JSON (or plain) request body per
//! operation; each pass turns what a spec written by others has instead into
//! that shape, and records a [`Compromise`] saying where and how to make it
//! exact. The later stages generate the code the passes planned
//! ([`Adapted::status_enums`]).
//!
//! The passes, in order:
//! - `versions`: what reading another OpenAPI version in the 3.0 shape
//!   lost (recorded by `masstack_openapi::normalise`), reported;
//! - `operation_ids`: operations without an operationId named from their
//!   method and path;
//! - `media`: request and response bodies that are not JSON, and
//!   `application/*+json`;
//! - `text_parameters`: a path or header parameter of an array, object or
//!   nullable type is a string (progenitor writes them with `Display`);
//! - `status_enums`: several success or error types become one per-status
//!   enum each.

pub mod media;
mod operation_ids;
pub mod status_enums;
mod text_parameters;
mod versions;

use masstack_openapi::load::typed;

use crate::compromise::Compromise;
use crate::error::Error;
use crate::load::LoadedSpec;
use crate::manifest::Output;

/// The spec as progenitor will read it, and what was changed to get there.
pub struct Adapted {
    /// The adapted spec.
    pub spec: LoadedSpec,
    /// What the passes changed, and where.
    pub compromises: Vec<Compromise>,
    /// The per-status enums to generate, by operationId.
    pub status_enums: status_enums::Plans,
}

/// Runs every pass on `spec`. (With `strict = true`, generation ends with
/// every compromise of every stage as a located error, all at once.)
pub fn adapt(output: &Output, mut spec: LoadedSpec) -> Result<Adapted, Error> {
    let mut compromises = versions::losses(&spec);
    let file = spec.name.clone();
    let before = spec.json.clone();
    operation_ids::apply(&file, &mut spec.json, &mut compromises);
    media::apply(&file, &mut spec.json, &mut compromises);
    text_parameters::apply(&file, &mut spec.json, &mut compromises);
    let status_enums = status_enums::apply(&file, output, &mut spec.json, &mut compromises)?;
    // Rebuilt from the adapted JSON, which is what progenitor must see;
    // only when it changed, since the JSON tree does not keep the file's
    // order of operations, which an unchanged spec's client follows.
    if spec.json != before {
        spec.openapi = typed(&spec.json).map_err(|e| {
            Error::Internal(format!(
                "{}: the adapted spec is no longer OpenAPI at {}: {}",
                spec.name, e.pointer, e.message
            ))
        })?;
    }
    Ok(Adapted {
        spec,
        compromises,
        status_enums,
    })
}
