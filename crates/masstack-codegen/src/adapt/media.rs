//! Request and response bodies progenitor cannot take as written.
//! progenitor types a request body of `application/json`, form-urlencoded,
//! `application/octet-stream` (schema `string`/`binary`) or `text/plain`
//! (schema `string`), one media type per body, and a response body of
//! `application/json`, each with a schema. Per operation:
//!
//! - a request body offering several media types keeps one: JSON if
//!   offered, else the first of `PREFERENCE`, else the first in key order;
//! - JSON without a schema gets `{}` (any JSON);
//! - `application/*+json` is presented as `application/json`;
//! - `multipart/form-data` is presented as octet-stream, which the refine
//!   stage replaces with a builder of its parts;
//! - text (`text/*`, XML) is presented as `text/plain` and anything else
//!   (`image/png`) as octet-stream: a body of text or bytes.
//!
//! What is presented as another media type keeps the spec's in a marker
//! on the media type object ([`MEDIA_TYPE`], and [`MULTIPART`] for the
//! parts), from which the refine stage sends the real `Content-Type` and
//! `Accept`. What loses information on the way is a [`Compromise`].

use heck::ToUpperCamelCase;
use masstack_openapi::diagnostic::{Location, join};
use masstack_openapi::operations::{OperationRef, operations};
use masstack_openapi::refs::resolve;
use serde_json::{Map, Value, json};

use super::status_enums::is_json;
use crate::compromise::{Compromise, CompromiseKind};

/// Marker: the media type as the spec wrote it, where the adapted key is
/// another (`application/json` for `application/vnd.x+json`).
pub const MEDIA_TYPE: &str = "x-masstack-media-type";

/// Marker: the parts of a `multipart/form-data` request body presented as
/// octet-stream, in the schema's order: `[{"name", "binary", "required"}]`.
pub const MULTIPART: &str = "x-masstack-multipart";

/// Request media types by preference when none is JSON.
const PREFERENCE: [&str; 5] = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/octet-stream",
    "text/plain",
    "application/xml",
];

const OCTET_STREAM: &str = "application/octet-stream";
const MULTIPART_FORM: &str = "multipart/form-data";

/// The name of the parts builder of operation `id`'s multipart body.
pub fn parts_name(id: &str) -> String {
    format!("{}Parts", id.to_upper_camel_case())
}

/// Adapts every operation's request and response bodies.
pub fn apply(file: &str, json: &mut Value, out: &mut Vec<Compromise>) {
    let root = json.clone();
    let mut edits = Vec::new();
    for op in operations(&root) {
        let at = join(&op.pointer, "requestBody");
        if let Some(body) = op.request_body(&root)
            && let Some(body) = request_body(file, &op, &root, &at, body, out)
        {
            edits.push((at, body));
        }
        for (status, response) in op.responses(&root) {
            let at = join(&join(&op.pointer, "responses"), status);
            if let Some(response) = response_body(file, &op, &at, response, out) {
                edits.push((at, response));
            }
        }
    }
    // A body behind a `$ref` is replaced by its adapted copy in this
    // operation only: another may take it as written.
    for (pointer, value) in edits {
        if let Some(node) = json.pointer_mut(pointer.trim_start_matches('#')) {
            *node = value;
        }
    }
}

/// A media type without its parameters, lower case.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// JSON as progenitor reads it (`application/json`, with parameters).
fn progenitor_json(media: &str) -> bool {
    essence(media) == "application/json"
}

/// Sent as text: `text/*` and XML.
fn is_text(media: &str) -> bool {
    let e = essence(media);
    e.starts_with("text/") || e == "application/xml" || e.ends_with("+xml")
}

/// A compromise of `op`, located at `pointer` (its media type).
fn compromise(
    file: &str,
    op: &OperationRef<'_>,
    pointer: &str,
    kind: CompromiseKind,
    what: String,
    exact: &str,
) -> Compromise {
    let name = match op.location() {
        Location::Operation { name, .. } => name,
        _ => op.pointer.clone(),
    };
    Compromise {
        kind,
        file: file.to_owned(),
        location: Location::Operation {
            name,
            pointer: pointer.to_owned(),
        },
        what,
        exact: exact.to_owned(),
    }
}

/// The one media type a request body keeps.
fn choose<'a>(keys: &[&'a str]) -> Option<&'a str> {
    let find = |test: &dyn Fn(&str) -> bool| keys.iter().copied().find(|k| test(k));
    find(&progenitor_json)
        .or_else(|| find(&is_json))
        .or_else(|| {
            PREFERENCE
                .iter()
                .find_map(|p| keys.iter().copied().find(|k| essence(k) == *p))
        })
        .or_else(|| keys.first().copied())
}

/// One operation's chosen request media type, and where to report.
struct Chosen<'a> {
    file: &'a str,
    op: &'a OperationRef<'a>,
    /// The media type as the spec writes it.
    media: &'a str,
    /// Its media type object's pointer.
    at: String,
}

impl Chosen<'_> {
    fn report(&self, kind: CompromiseKind, what: String, exact: &str) -> Compromise {
        compromise(self.file, self.op, &self.at, kind, what, exact)
    }
}

/// The adapted request body, when it changes.
fn request_body(
    file: &str,
    op: &OperationRef<'_>,
    root: &Value,
    at: &str,
    body: &Value,
    out: &mut Vec<Compromise>,
) -> Option<Value> {
    let content = body.get("content").and_then(Value::as_object)?;
    let keys: Vec<&str> = content.keys().map(String::as_str).collect();
    let chosen = choose(&keys)?;
    let mut changed = false;
    if keys.len() > 1 {
        out.push(compromise(
            file,
            op,
            &join(at, "content"),
            CompromiseKind::RawBody,
            format!(
                "its request body offers {}: the client sends `{chosen}` only",
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "keep the one media type the client should send (an overlay removing the others)",
        ));
        changed = true;
    }
    let media = content
        .get(chosen)?
        .as_object()
        .cloned()
        .unwrap_or_default();
    let schema = media.get("schema").and_then(|s| resolve(root, s));
    let here = Chosen {
        file,
        op,
        media: chosen,
        at: join(&join(at, "content"), chosen),
    };
    let adapted = if is_json(chosen) || essence(chosen) == "application/x-www-form-urlencoded" {
        typed_body(&here, media.clone(), out)
    } else if essence(chosen) == MULTIPART_FORM {
        Some(multipart_body(&here, root, schema, out))
    } else {
        raw_body(&here, schema, out)
    };
    let (key, media) = match adapted {
        Some(adapted) => adapted,
        None if changed => (chosen.to_owned(), media),
        None => return None,
    };
    let mut body = body.as_object().cloned().unwrap_or_default();
    let mut content = Map::new();
    content.insert(key, Value::Object(media));
    body.insert("content".into(), Value::Object(content));
    Some(Value::Object(body))
}

/// A media type key and its object, as adapted.
type Adapted = (String, Map<String, Value>);

/// JSON or a form: a schema if it has none, `application/*+json` as JSON.
fn typed_body(
    here: &Chosen<'_>,
    mut media: Map<String, Value>,
    out: &mut Vec<Compromise>,
) -> Option<Adapted> {
    let mut changed = false;
    if media.get("schema").is_none() {
        media.insert("schema".into(), json!({}));
        out.push(any_json(here.file, here.op, &here.at, "request body"));
        changed = true;
    }
    if is_json(here.media) && !progenitor_json(here.media) {
        media.insert(MEDIA_TYPE.into(), Value::String(here.media.to_owned()));
        return Some(("application/json".to_owned(), media));
    }
    changed.then(|| (here.media.to_owned(), media))
}

/// `multipart/form-data`: octet-stream for progenitor, its parts marked.
fn multipart_body(
    here: &Chosen<'_>,
    root: &Value,
    schema: Option<&Value>,
    out: &mut Vec<Compromise>,
) -> Adapted {
    let (parts, loose) = parts(root, schema);
    let id = here.op.id().unwrap_or_default();
    let mut what = format!(
        "its `multipart/form-data` body is a builder of its parts (`{}`): files as bytes or a `reqwest::multipart::Part`, other parts as text",
        parts_name(id)
    );
    if !loose.is_empty() {
        what.push_str(&format!(
            "; {} written as text by the caller",
            loose
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push(here.report(
        CompromiseKind::MultipartBody,
        what,
        "none: the generator has no typed multipart bodies; `strict` refuses them",
    ));
    let mut adapted = Map::new();
    adapted.insert(
        "schema".into(),
        json!({"type": "string", "format": "binary"}),
    );
    adapted.insert(MEDIA_TYPE.into(), Value::String(here.media.to_owned()));
    adapted.insert(MULTIPART.into(), Value::Array(parts));
    (OCTET_STREAM.to_owned(), adapted)
}

/// Text (`text/plain` for progenitor) or bytes (octet-stream), with the
/// real media type marked; none when progenitor takes it as written.
fn raw_body(
    here: &Chosen<'_>,
    schema: Option<&Value>,
    out: &mut Vec<Compromise>,
) -> Option<Adapted> {
    let chosen = here.media;
    let text = is_text(chosen);
    let (native, wanted) = if text {
        (
            ["text/plain", "text/x-markdown"].contains(&essence(chosen).as_str()),
            json!({"type": "string"}),
        )
    } else {
        (
            essence(chosen) == OCTET_STREAM,
            json!({"type": "string", "format": "binary"}),
        )
    };
    if native && schema.is_some_and(|s| plain_string(s, &wanted)) {
        return None;
    }
    let exact_schema = schema.is_none_or(|s| plain_string(s, &wanted));
    let range = essence(chosen).contains('*');
    let mut adapted = Map::new();
    adapted.insert("schema".into(), wanted);
    if !native && !range {
        adapted.insert(MEDIA_TYPE.into(), Value::String(chosen.to_owned()));
    }
    let sent = if text { "text" } else { "bytes" };
    if !exact_schema {
        out.push(here.report(
            CompromiseKind::RawBody,
            format!(
                "its `{chosen}` request body is {sent} the caller writes, not the type of its schema"
            ),
            "none: the generator types JSON bodies only",
        ));
    } else if range {
        out.push(here.report(
            CompromiseKind::RawBody,
            format!(
                "its request body is {sent} sent as `{OCTET_STREAM}`: `{chosen}` is a range, not a content type"
            ),
            "a concrete media type for the body (an overlay)",
        ));
    }
    let key = if text { "text/plain" } else { OCTET_STREAM };
    Some((key.to_owned(), adapted))
}

/// The schema is a string schema progenitor takes for a raw body: `type:
/// string` with the format of `wanted`, nothing that constrains it more.
fn plain_string(schema: &Value, wanted: &Value) -> bool {
    let Some(schema) = schema.as_object() else {
        return false;
    };
    let constrains = [
        "nullable",
        "default",
        "pattern",
        "enum",
        "minLength",
        "maxLength",
        "discriminator",
    ]
    .iter()
    .any(|k| schema.get(*k).is_some_and(|v| v != &Value::Bool(false)));
    schema.get("type") == wanted.get("type")
        && schema.get("format") == wanted.get("format")
        && !constrains
}

/// The parts of a multipart schema, and those (not strings or files)
/// that are sent as text the caller writes.
fn parts(root: &Value, schema: Option<&Value>) -> (Vec<Value>, Vec<String>) {
    let Some(schema) = schema else {
        return (Vec::new(), Vec::new());
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut parts = Vec::new();
    let mut loose = Vec::new();
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let property = resolve(root, property).unwrap_or(property);
        let kind = property.get("type").and_then(Value::as_str);
        let binary = kind == Some("string")
            && property.get("format").and_then(Value::as_str) == Some("binary");
        if !matches!(
            kind,
            Some("string" | "integer" | "number" | "boolean") | None
        ) {
            loose.push(name.clone());
        }
        parts.push(json!({
            "name": name,
            "binary": binary,
            "required": required.contains(&name.as_str()),
        }));
    }
    (parts, loose)
}

fn any_json(file: &str, op: &OperationRef<'_>, media_at: &str, what: &str) -> Compromise {
    compromise(
        file,
        op,
        media_at,
        CompromiseKind::LoosenedSchema,
        format!("its JSON {what} has no schema: any JSON (`serde_json::Value`)"),
        "a schema for it (an overlay)",
    )
}

/// The adapted response, when it changes: JSON gets a schema, and
/// `application/*+json` is presented as `application/json`.
fn response_body(
    file: &str,
    op: &OperationRef<'_>,
    at: &str,
    response: &Value,
    out: &mut Vec<Compromise>,
) -> Option<Value> {
    let content = response.get("content").and_then(Value::as_object)?;
    let mut adapted = content.clone();
    let mut changed = false;
    for (media, object) in adapted.iter_mut() {
        if !is_json(media) {
            continue;
        }
        if let Some(object) = object.as_object_mut()
            && object.get("schema").is_none()
        {
            object.insert("schema".into(), json!({}));
            let media_at = join(&join(at, "content"), media);
            out.push(any_json(file, op, &media_at, "response"));
            changed = true;
        }
    }
    let read = adapted.keys().any(|k| progenitor_json(k));
    if !read && let Some(media) = adapted.keys().find(|k| is_json(k)).cloned() {
        let mut object = adapted.remove(&media).unwrap_or_default();
        if let Some(object) = object.as_object_mut() {
            object.insert(MEDIA_TYPE.into(), Value::String(media));
        }
        adapted.insert("application/json".into(), object);
        changed = true;
    }
    if !changed {
        return None;
    }
    let mut response = response.as_object().cloned().unwrap_or_default();
    response.insert("content".into(), Value::Object(adapted));
    Some(Value::Object(response))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A spec of one `POST /x` operation with `body` and `responses`.
    fn spec(body: Value, responses: Value) -> Value {
        json!({
            "paths": {"/x": {"post": {
                "operationId": "sendX",
                "requestBody": body,
                "responses": responses
            }}},
            "components": {"requestBodies": {"Shared": {"content": {
                "application/xml": {"schema": {"type": "object"}}
            }}}}
        })
    }

    fn adapted(body: Value, responses: Value) -> (Value, Vec<Compromise>) {
        let mut json = spec(body, responses);
        let mut out = Vec::new();
        apply("spec/x.yaml", &mut json, &mut out);
        (json, out)
    }

    fn request(json: &Value) -> &Value {
        &json["paths"]["/x"]["post"]["requestBody"]["content"]
    }

    fn kinds(out: &[Compromise]) -> Vec<CompromiseKind> {
        out.iter().map(|c| c.kind).collect()
    }

    #[test]
    fn several_request_media_types_keep_json_else_the_preferred_one() {
        let (json, out) = adapted(
            json!({"content": {
                "application/xml": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}}
            }}),
            json!({}),
        );
        assert_eq!(
            request(&json),
            &json!({"application/json": {"schema": {"type": "object"}}})
        );
        assert_eq!(kinds(&out), [CompromiseKind::RawBody]);
        assert_eq!(
            out[0].to_string(),
            "spec/x.yaml operation sendX (#/paths/~1x/post/requestBody/content): its request body offers `application/json`, `application/xml`: the client sends `application/json` only; to make it exact: keep the one media type the client should send (an overlay removing the others)"
        );
        let (json, _) = adapted(
            json!({"content": {
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "text/plain": {"schema": {"type": "string"}}
            }}),
            json!({}),
        );
        assert_eq!(
            request(&json),
            &json!({"text/plain": {"schema": {"type": "string"}}})
        );
    }

    #[test]
    fn json_without_a_schema_is_any_json_located_at_its_media_type() {
        let (json, out) = adapted(
            json!({"content": {"application/json": {}}}),
            json!({"200": {"description": "", "content": {"application/problem+json": {}}}}),
        );
        assert_eq!(request(&json)["application/json"]["schema"], json!({}));
        let response = &json["paths"]["/x"]["post"]["responses"]["200"]["content"];
        assert_eq!(
            response,
            &json!({"application/json": {"schema": {}, MEDIA_TYPE: "application/problem+json"}})
        );
        assert_eq!(
            kinds(&out),
            [
                CompromiseKind::LoosenedSchema,
                CompromiseKind::LoosenedSchema
            ]
        );
        let pointers: Vec<String> = out
            .iter()
            .map(|c| match &c.location {
                Location::Operation { pointer, .. } => pointer.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            pointers,
            [
                "#/paths/~1x/post/requestBody/content/application~1json",
                "#/paths/~1x/post/responses/200/content/application~1problem+json"
            ]
        );
    }

    #[test]
    fn vendor_json_is_read_as_json_and_keeps_its_media_type() {
        let schema = json!({"$ref": "#/components/schemas/Pet"});
        let (json, out) = adapted(
            json!({"content": {"application/vnd.x+json": {"schema": schema}}}),
            json!({
                "200": {"description": "", "content": {"application/vnd.x+json": {"schema": schema}}},
                "201": {"description": "", "content": {
                    "application/json; charset=utf-8": {"schema": schema},
                    "application/vnd.x+json": {"schema": schema}
                }}
            }),
        );
        assert_eq!(
            request(&json),
            &json!({"application/json": {"schema": schema, MEDIA_TYPE: "application/vnd.x+json"}})
        );
        let responses = &json["paths"]["/x"]["post"]["responses"];
        assert_eq!(
            responses["200"]["content"]["application/json"][MEDIA_TYPE],
            "application/vnd.x+json"
        );
        // progenitor reads `application/json; charset=utf-8` itself.
        assert!(
            responses["201"]["content"]
                .get("application/json")
                .is_none()
        );
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn a_multipart_body_is_octet_stream_with_its_parts() {
        let (json, out) = adapted(
            json!({"content": {"multipart/form-data": {
                "schema": {"type": "object", "required": ["file"], "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "caption": {"type": "string"},
                    "meta": {"type": "object"}
                }},
                "encoding": {"file": {"contentType": "image/png"}}
            }}}),
            json!({}),
        );
        assert_eq!(
            request(&json),
            &json!({OCTET_STREAM: {
                "schema": {"type": "string", "format": "binary"},
                MEDIA_TYPE: "multipart/form-data",
                MULTIPART: [
                    {"name": "caption", "binary": false, "required": false},
                    {"name": "file", "binary": true, "required": true},
                    {"name": "meta", "binary": false, "required": false}
                ]
            }})
        );
        assert_eq!(kinds(&out), [CompromiseKind::MultipartBody]);
        assert!(
            out[0].what.contains("(`SendXParts`)")
                && out[0]
                    .what
                    .ends_with("; `meta` written as text by the caller"),
            "{}",
            out[0].what
        );
    }

    #[test]
    fn other_media_types_are_bytes_or_text_with_their_content_type() {
        // Bytes: exact, no compromise.
        let (json, out) = adapted(
            json!({"content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}),
            json!({}),
        );
        assert_eq!(
            request(&json),
            &json!({OCTET_STREAM: {"schema": {"type": "string", "format": "binary"}, MEDIA_TYPE: "image/png"}})
        );
        assert!(out.is_empty(), "{out:?}");
        // Text with a typed schema: the schema is lost.
        let (json, out) = adapted(
            json!({"$ref": "#/components/requestBodies/Shared"}),
            json!({}),
        );
        assert_eq!(
            request(&json),
            &json!({"text/plain": {"schema": {"type": "string"}, MEDIA_TYPE: "application/xml"}})
        );
        assert_eq!(kinds(&out), [CompromiseKind::RawBody]);
        // The shared body stays as written for other operations.
        assert!(
            json.pointer("/components/requestBodies/Shared/content/application~1xml")
                .is_some()
        );
        // A range is no content type: octet-stream, reported.
        let (json, out) = adapted(json!({"content": {"*/*": {}}}), json!({}));
        assert_eq!(
            request(&json),
            &json!({OCTET_STREAM: {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(kinds(&out), [CompromiseKind::RawBody]);
        // What progenitor takes is left as written.
        let body = json!({"content": {"text/plain": {"schema": {"type": "string"}}}});
        let (json, out) = adapted(body.clone(), json!({}));
        assert_eq!(json, spec(body, json!({})));
        assert!(out.is_empty());
        // ... but not a text schema it refuses (a pattern).
        let (json, _) = adapted(
            json!({"content": {"text/plain": {"schema": {"type": "string", "pattern": "a+"}}}}),
            json!({}),
        );
        assert_eq!(
            request(&json),
            &json!({"text/plain": {"schema": {"type": "string"}}})
        );
    }
}
