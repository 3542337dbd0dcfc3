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

#[cfg(test)]
mod tests {
    use masstack_openapi::diagnostic::Location;

    use super::*;

    /// A keyword with no Rust equivalent is dropped by the loader and
    /// reported here at its own key in the user's file.
    #[test]
    fn a_3_1_keyword_without_rust_equivalent_is_a_located_compromise() {
        let text = "openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Labels:
      type: object
      patternProperties:
        '^x-':
          type: string
";
        let spec = crate::load::parse("spec/labels.yaml", text).unwrap();
        let found = losses(&spec);
        assert_eq!(found.len(), 1, "{found:?}");
        let loss = &found[0];
        assert_eq!(loss.kind, CompromiseKind::LoosenedSchema);
        assert_eq!(loss.file, "spec/labels.yaml");
        assert_eq!(
            loss.location,
            Location::Key {
                line: 8,
                column: 7,
                pointer: "#/components/schemas/Labels/patternProperties".into()
            }
        );
        assert!(loss.what.contains("patternProperties"), "{}", loss.what);
        assert!(
            loss.to_error()
                .to_string()
                .starts_with("spec/labels.yaml:8:7 (#/components/schemas/Labels/patternProperties): loosened schema (strict): "),
            "{}",
            loss.to_error()
        );
    }
}
