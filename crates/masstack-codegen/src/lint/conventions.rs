//! This project's conventions for the specs it curates by hand, switched on
//! per output (`[output.lint]`): specs written by others need not follow them.

use serde_json::Value;

use crate::diagnostic::{Diagnostic, join};
use crate::load::LoadedSpec;
use crate::manifest::LintSettings;

/// The conventions `settings` switches on.
pub fn check(spec: &LoadedSpec, settings: &LintSettings) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if settings.examples {
        out.extend(masstack_openapi::examples::validate_all(
            &spec.name, &spec.json,
        ));
    }
    if settings.inferred {
        inferred_reasons(&spec.name, &spec.json, "#", &mut out);
    }
    out
}

/// Every `x-inferred: true` says why in `x-inferred-reason`.
fn inferred_reasons(file: &str, node: &Value, pointer: &str, out: &mut Vec<Diagnostic>) {
    match node {
        Value::Object(map) => {
            if map.get("x-inferred") == Some(&Value::Bool(true)) {
                let reason = map.get("x-inferred-reason").and_then(Value::as_str);
                if reason.is_none_or(|r| r.trim().is_empty()) {
                    out.push(Diagnostic::at_pointer(
                        file,
                        pointer,
                        "`x-inferred: true` without an `x-inferred-reason`: say in one line what the published reference does not state (or switch the convention off with `[output.lint] inferred = false`)",
                    ));
                }
            }
            for (k, v) in map {
                inferred_reasons(file, v, &join(pointer, k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                inferred_reasons(file, v, &join(pointer, &i.to_string()), out);
            }
        }
        _ => {}
    }
}
