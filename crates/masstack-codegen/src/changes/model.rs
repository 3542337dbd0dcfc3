//! What a spec promises, reduced to what a client depends on: operations
//! (method, path, parameters, body, responses), named schemas (fields,
//! enum values), servers and security; and for each schema whether it
//! travels in requests, in responses, or both.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diagnostic::{join, unescape_segment};
use masstack_openapi::operations::{OperationRef, operations as spec_operations};
use masstack_openapi::refs::resolve;

/// A spec's client-facing contract.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// By operationId.
    pub operations: BTreeMap<String, Operation>,
    /// Named schemas (`components/schemas`).
    pub schemas: BTreeMap<String, Schema>,
    /// Server URLs, in order.
    pub servers: Vec<String>,
    /// Security scheme names with their kind (`bearer`, `apiKey header X-Key`).
    pub security: BTreeMap<String, String>,
    /// Whether operations require security by default (`security` at the top).
    pub secured: bool,
    /// `info.version`.
    pub version: String,
    /// Schemas written inline in a named schema's properties (an enum or
    /// an object, for which typify generates a type of its own), in
    /// `schemas` as `Parent.field` (`Parent.field[]` for array items): the
    /// named schema they sit in, and their JSON pointer.
    pub inline: BTreeMap<String, (String, String)>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Upper case.
    pub method: String,
    /// The path template.
    pub path: String,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// Keyed by (location, name).
    pub params: BTreeMap<(String, String), Param>,
    /// The request body's type, and whether it is required.
    pub body: Option<(String, bool)>,
    /// Success statuses and their body type (`()` for none).
    pub success: BTreeMap<String, String>,
    /// Error statuses and their body type.
    pub errors: BTreeMap<String, String>,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Whether it must be sent.
    pub required: bool,
    /// Its type, summarised.
    pub ty: String,
}

/// A named schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schema {
    /// An object with named fields.
    Object(BTreeMap<String, Field>),
    /// A string enum.
    Enum(BTreeSet<String>),
    /// Anything else, summarised.
    Other(String),
}

/// A field of an object schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its type, summarised.
    pub ty: String,
    /// Whether it is required.
    pub required: bool,
}

/// Where values of a schema travel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Sent by the client (a request body or parameter reaches it).
    pub request: bool,
    /// Received by the client (a response reaches it).
    pub response: bool,
}

impl Api {
    /// Reads the contract of a spec's JSON.
    pub fn read(spec: &Value) -> Self {
        let mut api = Api {
            version: spec
                .pointer("/info/version")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            secured: spec
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(|s| !s.is_empty()),
            ..Api::default()
        };
        api.operations = read_operations(spec);
        for (name, schema) in spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            api.schemas.insert(name.clone(), read_schema(schema));
            let pointer = join("#/components/schemas", name);
            lift_inline(name, name, &pointer, schema, &mut api, 0);
        }
        api.servers = spec
            .get("servers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("url").and_then(Value::as_str).map(str::to_owned))
            .collect();
        for (name, scheme) in spec
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let text = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or_default();
            let kind = match text("type") {
                "http" => text("scheme").to_owned(),
                "apiKey" => format!("apiKey {} {}", text("in"), text("name")),
                other => other.to_owned(),
            };
            api.security.insert(name.clone(), kind);
        }
        api
    }

    /// Where each named schema travels, following references from the
    /// operations through properties, items and compositions.
    pub fn usage(spec: &Value) -> BTreeMap<String, Usage> {
        let mut usage: BTreeMap<String, Usage> = BTreeMap::new();
        for op in spec_operations(spec) {
            let (sent, received) = direct_refs(spec, &op);
            for (names, request) in [(sent, true), (received, false)] {
                for name in reach(spec, names) {
                    let u = usage.entry(name).or_default();
                    if request {
                        u.request = true;
                    } else {
                        u.response = true;
                    }
                }
            }
        }
        usage
    }

    /// `usage` with the inline schemas' entries: where the named schema
    /// they sit in travels.
    pub fn with_inline_usage(&self, mut usage: BTreeMap<String, Usage>) -> BTreeMap<String, Usage> {
        for (name, (root, _)) in &self.inline {
            if let Some(u) = usage.get(root).copied() {
                usage.insert(name.clone(), u);
            }
        }
        usage
    }

    /// The JSON pointer of a schema of `schemas`.
    pub fn schema_pointer(&self, name: &str) -> String {
        self.inline
            .get(name)
            .map_or_else(|| join("#/components/schemas", name), |(_, p)| p.clone())
    }
}

/// The operations of a spec, by operationId (those without one are not
/// callable by name, and left out).
fn read_operations(spec: &Value) -> BTreeMap<String, Operation> {
    let mut operations = BTreeMap::new();
    for op in spec_operations(spec) {
        let Some(id) = op.id() else { continue };
        let params = op
            .parameters(spec)
            .into_iter()
            .map(|(key, p)| {
                let param = Param {
                    required: p.get("required") == Some(&Value::Bool(true)),
                    ty: p
                        .get("schema")
                        .map_or_else(|| summary(&Value::Null), summary),
                };
                (key, param)
            })
            .collect();
        let body = op
            .operation
            .get("requestBody")
            .and_then(|b| resolve(spec, b))
            .map(|b| {
                let schema = b
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.values().next())
                    .and_then(|m| m.get("schema"))
                    .cloned()
                    .unwrap_or(Value::Null);
                (
                    summary(&schema),
                    b.get("required") == Some(&Value::Bool(true)),
                )
            });
        let mut success = BTreeMap::new();
        let mut errors = BTreeMap::new();
        // As the adapt stage reads it: a `default` beside 2xx statuses is
        // the error of the statuses not listed.
        let default_is_error = op
            .responses(spec)
            .iter()
            .any(|(code, _)| code.starts_with('2'));
        for (code, response) in op.responses(spec) {
            let ty = response
                .get("content")
                .and_then(Value::as_object)
                .and_then(|c| c.values().next())
                .and_then(|m| m.get("schema"))
                .map_or_else(|| "()".to_owned(), summary);
            if code.starts_with('2') || (code == "default" && !default_is_error) {
                success.insert(code.to_owned(), ty);
            } else {
                errors.insert(code.to_owned(), ty);
            }
        }
        operations.insert(
            id.to_owned(),
            Operation {
                method: op.method.to_uppercase(),
                path: op.path.to_owned(),
                pointer: op.pointer.clone(),
                params,
                body,
                success,
                errors,
            },
        );
    }
    operations
}

/// Records the inline enums and objects under `schema`'s properties (and
/// their array items) as schemas of their own, named after `prefix`.
fn lift_inline(
    root: &str,
    prefix: &str,
    pointer: &str,
    schema: &Value,
    api: &mut Api,
    depth: usize,
) {
    // Deeper nesting is not written by hand; the bound keeps odd input finite.
    if depth > 8 {
        return;
    }
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (field, p) in properties {
        let mut name = format!("{prefix}.{field}");
        let mut at = join(&format!("{pointer}/properties"), field);
        let mut node = p;
        if let Some(items) = p
            .get("items")
            .filter(|_| p.get("type") == Some(&Value::from("array")))
        {
            name.push_str("[]");
            at.push_str("/items");
            node = items;
        }
        let inline = node.get("$ref").is_none()
            && (node.get("enum").is_some() || node.get("properties").is_some());
        if inline {
            api.schemas.insert(name.clone(), read_schema(node));
            api.inline
                .insert(name.clone(), (root.to_owned(), at.clone()));
            lift_inline(root, &name, &at, node, api, depth + 1);
        }
    }
}

/// The named schemas an operation's parameters, request body and
/// responses reach, through any chain of references.
pub fn operation_schemas(spec: &Value, op: &OperationRef<'_>) -> BTreeSet<String> {
    let (mut names, received) = direct_refs(spec, op);
    names.extend(received);
    reach(spec, names)
}

/// The schema names an operation's requests (parameters and body) and
/// its responses name themselves.
fn direct_refs(spec: &Value, op: &OperationRef<'_>) -> (Vec<String>, Vec<String>) {
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for p in op.parameters(spec).values() {
        refs(p, &mut sent);
    }
    if let Some(b) = op
        .operation
        .get("requestBody")
        .and_then(|b| resolve(spec, b))
    {
        refs(b, &mut sent);
    }
    for (_, response) in op.responses(spec) {
        refs(response, &mut received);
    }
    (sent, received)
}

/// `names` and every named schema they refer to, through any chain.
pub fn reach(spec: &Value, mut names: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    while let Some(name) = names.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = spec.pointer(&join("/components/schemas", &name)) {
            refs(schema, &mut names);
        }
    }
    seen
}

/// The schema names a node refers to (not following them).
fn refs(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                out.push(unescape_segment(name));
            }
            for (k, v) in map {
                if !matches!(k.as_str(), "example" | "examples") {
                    refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

fn read_schema(schema: &Value) -> Schema {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return Schema::Enum(
            values
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect(),
        );
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        return Schema::Object(
            properties
                .iter()
                .map(|(name, p)| {
                    (
                        name.clone(),
                        Field {
                            ty: summary(p),
                            required: required.contains(name.as_str()),
                        },
                    )
                })
                .collect(),
        );
    }
    Schema::Other(summary(schema))
}

/// A schema summarised as a type: `Ticket`, `string`, `string(date-time)`,
/// `integer(int64)`, `array<Comment>`, `map<string>`, `nullable string`.
pub fn summary(schema: &Value) -> String {
    let base = if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        r.rsplit('/').next().unwrap_or(r).to_owned()
    } else {
        let ty = schema.get("type").and_then(Value::as_str).unwrap_or("");
        match ty {
            "array" => format!(
                "array<{}>",
                schema.get("items").map_or_else(|| "any".into(), summary)
            ),
            "object" if schema.get("properties").is_none() => {
                match schema.get("additionalProperties") {
                    Some(Value::Object(v)) if !v.is_empty() => {
                        format!("map<{}>", summary(&Value::Object(v.clone())))
                    }
                    _ => "object".into(),
                }
            }
            "" => {
                let composed = ["allOf", "oneOf", "anyOf"]
                    .iter()
                    .find_map(|k| schema.get(*k).and_then(Value::as_array).map(|m| (k, m)));
                match composed {
                    Some((k, members)) => {
                        let inner: Vec<String> = members.iter().map(summary).collect();
                        format!("{k}<{}>", inner.join(", "))
                    }
                    None => "any".into(),
                }
            }
            t => match schema.get("format").and_then(Value::as_str) {
                Some(f) => format!("{t}({f})"),
                None => t.to_owned(),
            },
        }
    };
    if schema.get("nullable") == Some(&Value::Bool(true)) {
        format!("nullable {base}")
    } else {
        base
    }
}
