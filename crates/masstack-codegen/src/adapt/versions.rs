//! What reading a spec of another OpenAPI version (2.0, 3.1, 3.2) in the
//! 3.0 shape lost, as compromises located where the user wrote it.

use masstack_openapi::normalise::LossKind;

use crate::compromise::{Compromise, CompromiseKind};
use crate::load::LoadedSpec;

/// One compromise per lossy step of normalisation.
pub fn losses(spec: &LoadedSpec) -> Vec<Compromise> {
    spec.origin
        .losses
        .iter()
        .map(|loss| {
            let written = spec.origin.written_in_bundle(&spec.name, &loss.pointer);
            let located = written.diagnostic(String::new());
            Compromise {
                kind: match loss.kind {
                    LossKind::Loosened => CompromiseKind::LoosenedSchema,
                    LossKind::LeftOut => CompromiseKind::LeftOut,
                },
                file: located.file,
                location: located.location,
                what: loss.what.clone(),
                exact: loss.exact.clone(),
            }
        })
        .collect()
}
