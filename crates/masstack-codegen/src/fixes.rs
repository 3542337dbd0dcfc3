//! Stage 1b: declarative fixes from the manifest, applied to a spec as it is
//! loaded and before the lint, so that a spec a team does not own is never
//! edited: OpenAPI Overlay 1.0 documents, skipped operations, names for
//! operations without an operationId, and `default` responses as errors.

use std::collections::BTreeSet;
use std::path::Path;

use masstack_openapi::load::typed;
use masstack_openapi::operations::{operations, operations_mut, retain_operations};
use serde_json::Value;
use serde_json_path::JsonPath;

use crate::diagnostic::{Diagnostic, Location, join, unescape_segment};
use crate::error::Error;
use crate::load::{self, LoadedSpec};
use crate::manifest::{DefaultResponse, Fixes, OperationIdRule};

/// Applies `fixes` to `spec`; `manifest` names the manifest in messages.
pub fn apply(
    root: &Path,
    manifest: &str,
    fixes: &Fixes,
    mut spec: LoadedSpec,
) -> Result<LoadedSpec, Error> {
    let unchanged = fixes.overlays.is_empty()
        && fixes.skip_operations.is_empty()
        && fixes.operation_ids.is_none()
        && fixes.operation_id_map.is_empty()
        && fixes.default_response == DefaultResponse::AsIs;
    if unchanged {
        return Ok(spec);
    }
    let mut problems = Vec::new();
    for overlay in &fixes.overlays {
        match load::read_document(root, overlay) {
            Ok(document) => problems.extend(apply_overlay(overlay, &document, &mut spec.json)),
            Err(e) => return Err(e),
        }
    }
    skip_operations(
        manifest,
        &fixes.skip_operations,
        &mut spec.json,
        &mut problems,
    );
    name_operations(manifest, fixes, &mut spec.json, &mut problems);
    if fixes.default_response == DefaultResponse::Error {
        defaults_as_errors(&mut spec.json);
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    // progenitor reads the typed document: rebuild it from the fixed JSON.
    // (Positions are the file's: after the fixes, the pointer is the place.)
    let openapi = typed(&spec.json).map_err(|e| {
        Error::Invalid(vec![Diagnostic::at_pointer(
            &spec.name,
            &e.pointer,
            format!(
                "after the manifest's fixes the spec is no longer OpenAPI: {}",
                e.message
            ),
        )])
    })?;
    spec.openapi = openapi;
    Ok(spec)
}

/// One OpenAPI Overlay 1.0 document: each action's JSONPath `target`
/// selects nodes; `remove: true` removes them, `update` is merged into
/// objects (recursively) and appended to arrays.
pub fn apply_overlay(name: &str, overlay: &Value, doc: &mut Value) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let version = overlay.get("overlay").and_then(Value::as_str);
    if !version.is_some_and(|v| v.starts_with("1.")) {
        problems.push(Diagnostic::at_pointer(
            name,
            "#/overlay",
            "not an OpenAPI Overlay 1.x document: it needs `overlay: 1.0.0`",
        ));
        return problems;
    }
    let actions = overlay
        .get("actions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, action) in actions.iter().enumerate() {
        let at = format!("#/actions/{i}");
        let Some(target) = action.get("target").and_then(Value::as_str) else {
            problems.push(Diagnostic::at_pointer(
                name,
                &at,
                "the action has no `target` (a JSONPath)",
            ));
            continue;
        };
        let path = match JsonPath::parse(target) {
            Ok(p) => p,
            Err(e) => {
                problems.push(Diagnostic::at_pointer(
                    name,
                    &join(&at, "target"),
                    format!("`{target}` is not a JSONPath: {e}"),
                ));
                continue;
            }
        };
        let pointers: Vec<String> = path
            .query_located(doc)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            problems.push(Diagnostic::at_pointer(
                name,
                &join(&at, "target"),
                format!("`{target}` selects nothing in the spec; fix the target (the spec may have changed)"),
            ));
            continue;
        }
        let remove = action.get("remove") == Some(&Value::Bool(true));
        // Deepest first, so removing array items keeps earlier indices valid.
        for pointer in pointers.iter().rev() {
            if remove {
                remove_at(doc, pointer);
            } else if let Some(update) = action.get("update")
                && let Some(node) = doc.pointer_mut(pointer)
            {
                match node {
                    Value::Array(items) => items.push(update.clone()),
                    _ => merge(node, update),
                }
            }
        }
    }
    problems
}

/// Overlay merge: objects merge key by key; anything else is replaced.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(target), Value::Object(changes)) => {
            for (k, v) in changes {
                match target.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (node, update) => *node = update.clone(),
    }
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = unescape_segment(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

/// `"METHOD /path"` of an operation.
fn label(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_uppercase())
}

fn skip_operations(
    manifest: &str,
    skip: &[String],
    doc: &mut Value,
    problems: &mut Vec<Diagnostic>,
) {
    let mut unused: BTreeSet<&str> = skip.iter().map(String::as_str).collect();
    // A path left with no operation is dropped too: it would only confuse the lint.
    retain_operations(doc, |path, method, op| {
        let id = op.get("operationId").and_then(Value::as_str);
        let here = label(method, path);
        let hit = skip.iter().find(|s| Some(s.as_str()) == id || **s == here);
        if let Some(hit) = hit {
            unused.remove(hit.as_str());
        }
        hit.is_none()
    });
    for s in unused {
        problems.push(Diagnostic::new(
            manifest,
            Location::File,
            format!("`skip_operations` names `{s}`, which is no operation of the spec (an operationId or `METHOD /path`)"),
        ));
    }
}

fn name_operations(manifest: &str, fixes: &Fixes, doc: &mut Value, problems: &mut Vec<Diagnostic>) {
    let mut unused: BTreeSet<&str> = fixes.operation_id_map.keys().map(String::as_str).collect();
    operations_mut(doc, |path, method, op| {
        let here = label(method, path);
        if let Some(id) = fixes.operation_id_map.get(&here) {
            unused.remove(here.as_str());
            op.insert("operationId".into(), Value::String(id.clone()));
        }
    });
    // Chosen in the manifest, the names are no compromise (the adapt
    // stage names what is left, and reports it).
    if let Some(OperationIdRule::MethodPath) = fixes.operation_ids {
        name_missing(doc);
    }
    for key in unused {
        problems.push(Diagnostic::new(
            manifest,
            Location::File,
            format!("`operation_id_map` has `{key}`, which is no operation of the spec; keys are `METHOD /path` as in the spec"),
        ));
    }
}

/// An operation [`name_missing`] named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// Its path, as in the spec.
    pub path: String,
    /// Its method, lower case.
    pub method: String,
    /// The operationId it was given.
    pub id: String,
}

/// Gives every operation without an operationId its [`method_path_id`],
/// in the order of the operations; a name already taken (compared as the
/// Rust method name progenitor makes of it, so `getPets` takes
/// `get_pets`) gets the first free suffix `_2`, `_3`, ….
pub fn name_missing(doc: &mut Value) -> Vec<Named> {
    use heck::ToSnakeCase;
    let mut taken: BTreeSet<String> = operations(doc)
        .iter()
        .filter_map(|op| op.id())
        .map(|id| id.to_snake_case())
        .collect();
    let mut named = Vec::new();
    operations_mut(doc, |path, method, op| {
        if op.get("operationId").is_some() {
            return;
        }
        let base = method_path_id(method, path);
        let mut id = base.clone();
        let mut n = 1;
        while taken.contains(&id.to_snake_case()) {
            n += 1;
            id = format!("{base}_{n}");
        }
        taken.insert(id.to_snake_case());
        op.insert("operationId".into(), Value::String(id.clone()));
        named.push(Named {
            path: path.to_owned(),
            method: method.to_owned(),
            id,
        });
    });
    named
}

/// `GET /pets/{petId}/photos` -> `get_pets_pet_id_photos`.
pub fn method_path_id(method: &str, path: &str) -> String {
    use heck::ToSnakeCase;
    let words: Vec<String> = path
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_snake_case())
        .collect();
    if words.is_empty() {
        format!("{method}_root")
    } else {
        format!("{method}_{}", words.join("_"))
    }
}

/// A `default` response becomes the error of every status the operation
/// does not list: `4XX` and `5XX` ranges with the same response, so that
/// progenitor reads it as the error type rather than a second success.
fn defaults_as_errors(doc: &mut Value) {
    operations_mut(doc, |_, _, op| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        if let Some(default) = responses.remove("default") {
            for range in ["4XX", "5XX"] {
                responses.entry(range).or_insert_with(|| default.clone());
            }
        }
    });
}
