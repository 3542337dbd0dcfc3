//! What progenitor needs from a spec: each rule here matches an `assert!`,
//! a `todo!` or an unsupported case in progenitor or typify, so a spec that
//! passes generates without a panic. Messages say what to change, and
//! name the manifest setting that would fix the spec without editing it.

use std::collections::{BTreeMap, BTreeSet};

use masstack_openapi::operations::{OperationRef, operations, placeholders};
use masstack_openapi::refs;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, join};
use crate::load::LoadedSpec;

/// The problems found, and whether every `$ref` resolves.
pub struct Found {
    /// Every problem, in document order.
    pub problems: Vec<Diagnostic>,
    /// No `$ref` is broken: rules that follow references may run.
    pub refs_resolve: bool,
}

/// Every requirement, on the whole spec.
pub fn check(spec: &LoadedSpec) -> Found {
    let file = spec.name.as_str();
    let root = &spec.json;
    let mut out = Vec::new();
    version(file, root, &mut out);
    let before = out.len();
    refs(file, root, root, "#", Context::Schema, &mut out);
    let refs_resolve = out.len() == before;
    if refs_resolve {
        cycles(file, root, &mut out);
    }
    let ops = operations(root);
    operation_ids(file, &ops, &mut out);
    for op in &ops {
        parameters(file, root, op, &mut out);
        request_body(file, root, op, &mut out);
        responses(file, root, op, &mut out);
    }
    Found {
        problems: out,
        refs_resolve,
    }
}

fn version(file: &str, root: &Value, out: &mut Vec<Diagnostic>) {
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
}

/// What the keys of the object being walked are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Keywords of a schema or any other OpenAPI object.
    Schema,
    /// Names chosen by the author (`properties`, `components/schemas`, …):
    /// a property called `$ref` is a property, not a reference.
    Names,
}

/// Keys whose values are names mapped to objects.
const NAME_MAPS: [&str; 9] = [
    "properties",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "paths",
    "content",
];

fn refs(
    file: &str,
    root: &Value,
    node: &Value,
    pointer: &str,
    context: Context,
    out: &mut Vec<Diagnostic>,
) {
    match node {
        Value::Object(map) => {
            if context == Context::Schema
                && let Some(Value::String(target)) = map.get("$ref")
            {
                let found = refs::target(root, target).is_ok();
                if !target.starts_with("#/") {
                    out.push(Diagnostic::at_pointer(
                            file,
                            pointer,
                            format!("$ref `{target}` is not a local reference (`#/...`); only local ones are supported: bundle the spec into one file first"),
                        ));
                } else if !found {
                    out.push(Diagnostic::at_pointer(
                            file,
                            pointer,
                            format!("$ref `{target}` points to nothing: fix the target, or add it with an overlay (`[output.fixes] overlays`)"),
                        ));
                }
            }
            for (k, v) in map {
                // Examples, defaults, enums and extensions are data, not schema.
                let data = matches!(k.as_str(), "example" | "examples" | "default" | "enum")
                    || k.starts_with("x-");
                if data && context == Context::Schema {
                    continue;
                }
                let inner = if context == Context::Schema && NAME_MAPS.contains(&k.as_str()) {
                    Context::Names
                } else {
                    Context::Schema
                };
                refs(file, root, v, &join(pointer, k), inner, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                refs(
                    file,
                    root,
                    v,
                    &join(pointer, &i.to_string()),
                    Context::Schema,
                    out,
                );
            }
        }
        _ => {}
    }
}

/// Schemas that are made of themselves: an alias chain that comes back
/// (`A: {$ref: A}`), or `allOf`/`oneOf`/`anyOf` members that lead back to
/// the schema. typify recurses into these without end (a stack overflow)
/// or emits a type of infinite size. Properties and items may refer back:
/// those become boxed fields.
pub(crate) fn cycles(file: &str, root: &Value, out: &mut Vec<Diagnostic>) {
    let Some(schemas) = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let graph: Graph<'_> = schemas
        .iter()
        .map(|(name, schema)| {
            let mut edges = Vec::new();
            composed(schema, "$ref", &mut edges);
            (name.as_str(), edges)
        })
        .collect();
    for start in graph.keys().copied() {
        let mut path = Vec::new();
        walk(&graph, start, start, &mut path, &mut |cycle| {
            let route: String = cycle
                .iter()
                .map(|(name, via)| format!("{name} -{via}-> "))
                .collect();
            out.push(Diagnostic::at_pointer(
                file,
                &join("#/components/schemas", start),
                format!(
                    "schema `{start}` is made of itself ({route}{start}); the generator cannot build such a type (it would recurse without end): break the cycle with an overlay, or use an existing Rust type for one of them (`[output.client.replace]`)"
                ),
            ));
        });
    }
}

/// Each schema's direct parts: (schema it names, keyword that names it).
type Graph<'a> = BTreeMap<&'a str, Vec<(&'a str, &'static str)>>;

/// A path of the walk: each schema and how it names the next.
type Steps<'a> = Vec<(&'a str, &'static str)>;

/// Depth-first from `node`, reporting each path back to `start`. Only
/// schemas after `start` in name order are visited, so each cycle is
/// reported once, at its first member.
fn walk<'a>(
    graph: &Graph<'a>,
    start: &'a str,
    node: &'a str,
    path: &mut Steps<'a>,
    report: &mut dyn FnMut(&Steps<'a>),
) {
    for &(next, via) in graph.get(node).into_iter().flatten() {
        path.push((node, via));
        if next == start {
            report(path);
        } else if next > start && !path.iter().any(|(n, _)| *n == next) {
            walk(graph, start, next, path, report);
        }
        path.pop();
    }
}

/// The named schemas `schema` is composed of: its own `$ref` (an alias),
/// and the members of `allOf`/`oneOf`/`anyOf`, inline ones included.
fn composed<'a>(schema: &'a Value, via: &'static str, out: &mut Vec<(&'a str, &'static str)>) {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        if let Some(name) = target.strip_prefix("#/components/schemas/") {
            out.push((name, via));
        }
        return;
    }
    for keyword in ["allOf", "oneOf", "anyOf"] {
        for member in schema
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            composed(member, keyword, out);
        }
    }
}

/// Unique operationIds (those missing were named by the adapt stage).
fn operation_ids(file: &str, ops: &[OperationRef<'_>], out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for op in ops {
        let here = format!("{} {}", op.method.to_uppercase(), op.path);
        let Some(id) = op.id() else { continue };
        if let Some(first) = seen.get(id) {
            out.push(Diagnostic::new(
                file,
                op.location(),
                format!("operationId `{id}` is also used by {first}; operationIds must be unique: rename one (an overlay, or `[output.fixes.operation_id_map]`)"),
            ));
        } else {
            seen.insert(id, here);
        }
    }
}

/// Path, query and header parameters; path-level ones apply unless the
/// operation redeclares them.
fn parameters(file: &str, root: &Value, op: &OperationRef<'_>, out: &mut Vec<Diagnostic>) {
    let mut report = |message: String| out.push(Diagnostic::new(file, op.location(), message));
    let params = op.parameters(root);
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
                "parameter `{name}` is `in: {other}`, which the generator does not support; drop it with an overlay if the API works without it"
            )),
        }
        if p.get("schema").is_none() {
            report(format!("parameter `{name}` has no schema"));
        }
    }
}

/// The request body: the adapt stage left one media type progenitor
/// takes, with a schema; `encoding` it cannot read.
fn request_body(file: &str, root: &Value, op: &OperationRef<'_>, out: &mut Vec<Diagnostic>) {
    for (media, mt) in op.request_bodies(root) {
        if has_encoding(mt) {
            out.push(Diagnostic::new(
                file,
                op.location(),
                format!(
                    "request body `{media}` uses `encoding`, which the generator does not support"
                ),
            ));
        }
    }
}

fn has_encoding(media_type: &Value) -> bool {
    media_type
        .get("encoding")
        .and_then(Value::as_object)
        .is_some_and(|e| !e.is_empty())
}

/// One success type and one error type per operation.
fn responses(file: &str, root: &Value, op: &OperationRef<'_>, out: &mut Vec<Diagnostic>) {
    let mut report = |message: String| out.push(Diagnostic::new(file, op.location(), message));
    let mut success: BTreeSet<String> = BTreeSet::new();
    let mut errors: BTreeSet<String> = BTreeSet::new();
    let mut success_codes = Vec::new();
    let mut error_codes = Vec::new();
    let mut has_default = false;
    for (code, response) in op.responses(root) {
        let (kind, label) = response_kind(response);
        if let Some(mt) = json_media(response)
            && has_encoding(mt)
        {
            report(format!(
                "response {code} uses `encoding`, which the generator does not support"
            ));
        }
        if code == "default" {
            has_default = true;
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
        let hint = if has_default {
            "; progenitor counts `default` as a success: if it describes errors, set `default_response = \"error\"` under `[output.fixes]`"
        } else {
            ": keep one with an overlay"
        };
        report(format!(
            "has {} different success responses: {}; the generator supports one success type per operation{hint}",
            success.len(),
            success_codes.join(", ")
        ));
    }
    if errors.len() > 1 {
        report(format!(
            "has {} different error responses: {}; the generator supports one error type per operation: make them one schema with an overlay",
            errors.len(),
            error_codes.join(", ")
        ));
    }
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
