//! Stage 2: every rule progenitor relies on, checked before it runs, with
//! every problem reported at once and located by operation or JSON pointer.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Location, join};
use crate::load::LoadedSpec;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Request content types progenitor turns into typed bodies.
const REQUEST_TYPES: [&str; 4] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
];

/// Runs every rule; an empty result means progenitor may run.
pub fn lint(spec: &LoadedSpec) -> Vec<Diagnostic> {
    let file = spec.name.as_str();
    let root = &spec.json;
    let mut out = Vec::new();

    match root.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => out.push(Diagnostic::at_pointer(
            file,
            "#/openapi",
            format!("OpenAPI version {v} is not supported; the generator needs 3.0.x"),
        )),
        None => out.push(Diagnostic::at_pointer(
            file,
            "#/openapi",
            "the `openapi` version is missing",
        )),
    }

    check_refs(file, root, root, "#", &mut out);
    let refs_ok = out.iter().all(|d| !d.message.contains("$ref"));

    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    for op in operations(root) {
        check_operation(file, root, &op, &mut seen_ids, &mut out);
    }

    // Example checks resolve `$ref`s; with a broken one they would only repeat it.
    if refs_ok {
        out.extend(crate::examples::validate_all(file, root));
    }
    out.sort();
    out.dedup();
    out
}

/// One operation and where it sits.
pub struct OperationRef<'a> {
    /// The path template (`/v2/orgs/{org}/ticket`).
    pub path: &'a str,
    /// The method, lower case as in the spec.
    pub method: &'a str,
    /// The operation's JSON pointer.
    pub pointer: String,
    /// The operation object.
    pub operation: &'a Value,
    /// The path item holding it (for shared parameters).
    pub path_item: &'a Value,
}

impl<'a> OperationRef<'a> {
    /// The operationId, if any.
    pub fn id(&self) -> Option<&'a str> {
        self.operation.get("operationId").and_then(Value::as_str)
    }

    fn location(&self) -> Location {
        let name = match self.id() {
            Some(id) => id.to_owned(),
            None => format!("{} {}", self.method.to_uppercase(), self.path),
        };
        Location::Operation {
            name,
            pointer: self.pointer.clone(),
        }
    }
}

/// Every operation of a spec, in document order.
pub fn operations(root: &Value) -> Vec<OperationRef<'_>> {
    let mut ops = Vec::new();
    if let Some(paths) = root.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(operation) = item.get(method) {
                    ops.push(OperationRef {
                        path,
                        method,
                        pointer: join(&join("#/paths", path), method),
                        operation,
                        path_item: item,
                    });
                }
            }
        }
    }
    ops
}

/// Follows a local `$ref` (one level at a time, at most a few levels).
pub fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> Option<&'a Value> {
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => node = root.pointer(r.strip_prefix('#')?)?,
            None => return Some(node),
        }
    }
    None
}

fn check_refs(file: &str, root: &Value, node: &Value, pointer: &str, out: &mut Vec<Diagnostic>) {
    match node {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref") {
                let target = r.as_str().unwrap_or_default();
                let found = target
                    .strip_prefix('#')
                    .and_then(|p| root.pointer(p))
                    .is_some();
                if !target.starts_with("#/") {
                    out.push(Diagnostic::at_pointer(
                        file,
                        pointer,
                        format!("$ref `{target}` is not a local reference (`#/...`); only local ones are supported"),
                    ));
                } else if !found {
                    out.push(Diagnostic::at_pointer(
                        file,
                        pointer,
                        format!("$ref `{target}` points to nothing"),
                    ));
                }
            }
            for (k, v) in map {
                // Examples and extensions are data, not schema.
                if k == "example" || k == "examples" || k.starts_with("x-") {
                    continue;
                }
                check_refs(file, root, v, &join(pointer, k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_refs(file, root, v, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn check_operation(
    file: &str,
    root: &Value,
    op: &OperationRef<'_>,
    seen_ids: &mut BTreeMap<String, String>,
    out: &mut Vec<Diagnostic>,
) {
    let loc = op.location();
    let mut report = |message: String| out.push(Diagnostic::new(file, loc.clone(), message));

    match op.id() {
        None => report("has no operationId; every operation needs a unique one".into()),
        Some(id) => {
            let here = format!("{} {}", op.method.to_uppercase(), op.path);
            if let Some(first) = seen_ids.insert(id.to_owned(), here.clone()) {
                report(format!(
                    "operationId `{id}` is also used by {first}; operationIds must be unique"
                ));
                seen_ids.insert(id.to_owned(), first);
            }
        }
    }

    // Parameters: path-level ones apply unless the operation redeclares them.
    let mut params: BTreeMap<(String, String), &Value> = BTreeMap::new();
    for list in [
        op.path_item.get("parameters"),
        op.operation.get("parameters"),
    ]
    .into_iter()
    .flatten()
    {
        for p in list.as_array().into_iter().flatten() {
            let Some(p) = resolve(root, p) else { continue };
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let location = p
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            params.insert((location, name), p);
        }
    }
    let placeholders = placeholders(op.path);
    for name in &placeholders {
        if !params.contains_key(&("path".to_owned(), name.clone())) {
            report(format!(
                "path placeholder `{{{name}}}` in `{}` has no `in: path` parameter",
                op.path
            ));
        }
    }
    for ((location, name), p) in &params {
        match location.as_str() {
            "path" => {
                if !placeholders.contains(name) {
                    report(format!(
                        "path parameter `{name}` does not appear in `{}`",
                        op.path
                    ));
                }
                if p.get("required") != Some(&Value::Bool(true)) {
                    report(format!("path parameter `{name}` must be `required: true`"));
                }
            }
            "query" | "header" => {}
            other => report(format!(
                "parameter `{name}` is `in: {other}`, which the generator does not support"
            )),
        }
        if p.get("schema").is_none() {
            report(format!("parameter `{name}` has no schema"));
        }
    }

    if let Some(body) = op
        .operation
        .get("requestBody")
        .and_then(|b| resolve(root, b))
    {
        let content = body.get("content").and_then(Value::as_object);
        match content.map(|c| c.len()).unwrap_or(0) {
            0 => {}
            1 => {
                let (media, mt) = content
                    .into_iter()
                    .flatten()
                    .next()
                    .unwrap_or_else(|| unreachable!());
                if !REQUEST_TYPES.contains(&media.as_str()) {
                    report(format!(
                        "request body content type `{media}` is not supported; use one of {}",
                        REQUEST_TYPES.join(", ")
                    ));
                }
                if mt.get("schema").is_none() {
                    report(format!("request body `{media}` has no schema"));
                }
                if mt
                    .get("encoding")
                    .is_some_and(|e| e.as_object().is_some_and(|e| !e.is_empty()))
                {
                    report(format!(
                        "request body `{media}` uses `encoding`, which the generator does not support"
                    ));
                }
            }
            n => report(format!(
                "request body offers {n} content types; the generator needs exactly one"
            )),
        }
    }

    let mut success: BTreeSet<String> = BTreeSet::new();
    let mut errors: BTreeSet<String> = BTreeSet::new();
    let mut success_codes = Vec::new();
    let mut error_codes = Vec::new();
    for (code, response) in op
        .operation
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some(response) = resolve(root, response) else {
            continue;
        };
        let (kind, label) = response_kind(response);
        if let Some(mt) = json_media(response) {
            if mt.get("schema").is_none() {
                report(format!("response {code} has a JSON body with no schema"));
            }
            if mt
                .get("encoding")
                .is_some_and(|e| e.as_object().is_some_and(|e| !e.is_empty()))
            {
                report(format!(
                    "response {code} uses `encoding`, which the generator does not support"
                ));
            }
        }
        if code == "default" || code.starts_with('2') || code == "101" {
            success.insert(kind);
            success_codes.push(format!("{code} ({label})"));
        } else if code.starts_with('4') || code.starts_with('5') {
            errors.insert(kind);
            error_codes.push(format!("{code} ({label})"));
        }
    }
    if success.len() > 1 {
        report(format!(
            "has {} different success responses: {}; the generator supports one success type per operation",
            success.len(),
            success_codes.join(", ")
        ));
    }
    if errors.len() > 1 {
        report(format!(
            "has {} different error responses: {}; the generator supports one error type per operation",
            errors.len(),
            error_codes.join(", ")
        ));
    }
}

/// The placeholders of a path template, in order.
pub fn placeholders(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

fn json_media(response: &Value) -> Option<&Value> {
    response
        .get("content")?
        .as_object()?
        .iter()
        .find(|(k, _)| *k == "application/json" || k.starts_with("application/json;"))
        .map(|(_, v)| v)
}

/// What progenitor would make of a response: a typed body (keyed by its
/// schema), a raw body, or nothing. Returns (identity, readable label).
fn response_kind(response: &Value) -> (String, String) {
    if let Some(mt) = json_media(response) {
        return match mt.get("schema") {
            Some(schema) => match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => (
                    r.to_owned(),
                    format!("JSON `{}`", r.rsplit('/').next().unwrap_or(r)),
                ),
                None => (schema.to_string(), "JSON, inline schema".into()),
            },
            None => ("json".into(), "JSON".into()),
        };
    }
    match response.get("content").and_then(Value::as_object) {
        Some(c) if !c.is_empty() => ("raw".into(), "raw body".into()),
        _ => ("none".into(), "no body".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_in_order() {
        assert_eq!(
            placeholders("/v2/orgs/{org}/ticket/{ticketId}/attachment/{attachmentId}"),
            ["org", "ticketId", "attachmentId"]
        );
    }

    #[test]
    fn a_path_without_placeholders_has_none() {
        assert!(placeholders("/v2/ticket/metadata/types").is_empty());
        assert!(placeholders("").is_empty());
        assert!(placeholders("/").is_empty());
    }

    #[test]
    fn placeholders_at_the_start_adjacent_and_inside_a_segment() {
        assert_eq!(placeholders("{a}{b}"), ["a", "b"]);
        assert_eq!(placeholders("/files/{name}.{ext}"), ["name", "ext"]);
    }

    /// Repeated names are kept, so a caller can tell a path that uses one
    /// twice.
    #[test]
    fn repeated_placeholders_are_all_listed() {
        assert_eq!(placeholders("/a/{id}/b/{id}"), ["id", "id"]);
    }

    /// An unclosed `{` is not a placeholder, and a stray `}` is ignored.
    #[test]
    fn unbalanced_braces() {
        assert!(placeholders("/a/{id").is_empty());
        assert_eq!(placeholders("/a/{x}/{id"), ["x"]);
        assert_eq!(placeholders("/a/id}/{y}"), ["y"]);
    }

    /// `{}` yields an empty name, which then matches no parameter and is
    /// reported, rather than being silently dropped.
    #[test]
    fn empty_braces_give_an_empty_name() {
        assert_eq!(placeholders("/a/{}"), [""]);
    }
}
