//! Path and header parameters whose schema is an array, an object or
//! nullable. progenitor writes these parameters with their `Display`, which
//! such a type does not have, so the generated crate would not compile
//! (found by the fuzzer): the parameter becomes a string the caller
//! formats, reported where the parameter is written.
//!
//! A query array sent as one delimited value (`explode: false`, Swagger
//! 2.0's default `csv`, `spaceDelimited`, `pipeDelimited`) is the same:
//! progenitor always repeats the key (`tags=a&tags=b`), which such a
//! server does not read, so it becomes a string the caller joins.

use std::collections::BTreeMap;

use masstack_openapi::diagnostic::Location;
use masstack_openapi::operations::operations;
use masstack_openapi::refs::resolve;
use serde_json::{Value, json};

use crate::compromise::{Compromise, CompromiseKind};

/// Loosens every path or header parameter whose schema has no text form.
pub fn apply(file: &str, json: &mut Value, out: &mut Vec<Compromise>) {
    // Parameter pointer (without `#`) -> (`in`, name, what its schema is).
    let mut loosen: BTreeMap<String, (String, String, Shape)> = BTreeMap::new();
    for op in operations(json) {
        let item_pointer = op
            .pointer
            .rsplit_once('/')
            .map_or(String::new(), |(item, _)| item.to_owned());
        let lists = [
            (
                format!("{}/parameters", op.pointer),
                op.operation.get("parameters"),
            ),
            (
                format!("{item_pointer}/parameters"),
                op.path_item.get("parameters"),
            ),
        ];
        for (list_pointer, list) in lists {
            let Some(list) = list.and_then(Value::as_array) else {
                continue;
            };
            for (i, parameter) in list.iter().enumerate() {
                let pointer = match parameter.get("$ref").and_then(Value::as_str) {
                    Some(reference) => reference.to_owned(),
                    None => format!("{list_pointer}/{i}"),
                };
                let Some(resolved) = resolve(json, parameter) else {
                    continue;
                };
                let place = resolved
                    .get("in")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let schema = resolved.get("schema").and_then(|s| resolve(json, s));
                let shape = match place {
                    "path" | "header" => schema.and_then(without_text_form_or_null),
                    "query" => schema.and_then(|s| delimited(resolved, s)),
                    _ => None,
                };
                if let Some(shape) = shape {
                    let name = resolved
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let pointer = pointer.trim_start_matches('#').to_owned();
                    loosen.insert(pointer, (place.to_owned(), name.to_owned(), shape));
                }
            }
        }
    }
    for (pointer, (place, name, shape)) in loosen {
        if let Some(parameter) = json.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            parameter.insert("schema".into(), json!({"type": "string"}));
            // The joined string is sent as one `form` value.
            parameter.remove("style");
            parameter.remove("explode");
        }
        let (what, exact) = match shape {
            Shape::NoText(shape) => (
                format!(
                    "{place} parameter `{name}` is {shape}, which progenitor cannot write as text: it is a string the caller formats"
                ),
                "a string, number, boolean or string enum schema for it (an overlay)",
            ),
            Shape::Delimited(separator) => (
                format!(
                    "query parameter `{name}` is an array sent as one value joined by `{separator}`, which progenitor cannot send (it repeats the key): it is a string the caller joins"
                ),
                "`explode: true` (`collectionFormat: multi` in Swagger 2.0) if the server reads repeated keys (an overlay)",
            ),
        };
        out.push(Compromise {
            kind: CompromiseKind::LoosenedSchema,
            file: file.to_owned(),
            location: Location::Pointer(format!("#{pointer}")),
            what,
            exact: exact.into(),
        });
    }
}

/// Why a parameter is loosened.
enum Shape {
    /// A path or header parameter with no text form: `an array`, `an
    /// object`, `nullable`.
    NoText(&'static str),
    /// A query array sent as one value, joined by this separator.
    Delimited(&'static str),
}

/// The separator of a query array sent as one value: `form` without
/// `explode` (`explode` defaults to true for `form`), `spaceDelimited`,
/// `pipeDelimited`.
fn delimited(parameter: &Value, schema: &Value) -> Option<Shape> {
    let is_array = schema.get("type").and_then(Value::as_str) == Some("array")
        || (schema.get("type").is_none() && schema.get("items").is_some());
    if !is_array {
        return None;
    }
    let style = parameter
        .get("style")
        .and_then(Value::as_str)
        .unwrap_or("form");
    let explode = parameter.get("explode").and_then(Value::as_bool);
    match (style, explode) {
        ("form", Some(false)) => Some(Shape::Delimited(",")),
        ("spaceDelimited", _) => Some(Shape::Delimited(" ")),
        ("pipeDelimited", _) => Some(Shape::Delimited("|")),
        _ => None,
    }
}

/// `an array` or `an object` when the schema is one, `nullable` when it
/// admits `null` (an `Option`, which has no text form either).
fn without_text_form_or_null(schema: &Value) -> Option<Shape> {
    if schema.get("nullable") == Some(&Value::Bool(true)) {
        return Some(Shape::NoText("nullable"));
    }
    let shape = match schema.get("type").and_then(Value::as_str) {
        Some("array") => "an array",
        Some("object") => "an object",
        Some(_) => return None,
        None if schema.get("items").is_some() => "an array",
        None if schema.get("properties").is_some()
            || schema.get("additionalProperties").is_some() =>
        {
            "an object"
        }
        None => return None,
    };
    Some(Shape::NoText(shape))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_array_object_or_nullable_parameter_becomes_a_string_where_it_is_written() {
        let mut spec = json!({
            "paths": {"/a/{ids}/{key}/{n}": {
                "parameters": [{"$ref": "#/components/parameters/Key"}],
                "get": {"parameters": [
                    {"name": "ids", "in": "path", "required": true,
                     "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "n", "in": "path", "required": true, "schema": {"type": "integer"}},
                    {"name": "q", "in": "query", "schema": {"type": "array", "items": {}}},
                    {"name": "csv", "in": "query", "style": "form", "explode": false,
                     "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "pipes", "in": "query", "style": "pipeDelimited",
                     "schema": {"type": "array", "items": {"type": "string"}}}
                ], "responses": {}}}},
            "components": {
                "parameters": {"Key": {"name": "key", "in": "path", "required": true,
                    "schema": {"$ref": "#/components/schemas/Key"}}},
                "schemas": {"Key": {"type": "object", "properties": {"a": {}}}}}
        });
        let mut out = Vec::new();
        apply("x.yaml", &mut spec, &mut out);
        let located: Vec<String> = out
            .iter()
            .map(|c| format!("{:?} {}", c.location, c.what))
            .collect();
        assert_eq!(
            located,
            [
                "Pointer(\"#/components/parameters/Key\") path parameter `key` is an object, which progenitor cannot write as text: it is a string the caller formats",
                "Pointer(\"#/paths/~1a~1{ids}~1{key}~1{n}/get/parameters/0\") path parameter `ids` is an array, which progenitor cannot write as text: it is a string the caller formats",
                "Pointer(\"#/paths/~1a~1{ids}~1{key}~1{n}/get/parameters/3\") query parameter `csv` is an array sent as one value joined by `,`, which progenitor cannot send (it repeats the key): it is a string the caller joins",
                "Pointer(\"#/paths/~1a~1{ids}~1{key}~1{n}/get/parameters/4\") query parameter `pipes` is an array sent as one value joined by `|`, which progenitor cannot send (it repeats the key): it is a string the caller joins",
            ]
        );
        assert_eq!(
            spec.pointer("/components/parameters/Key/schema"),
            Some(&json!({"type": "string"}))
        );
        let get = &spec["paths"]["/a/{ids}/{key}/{n}"]["get"]["parameters"];
        assert_eq!(get[0]["schema"], json!({"type": "string"}));
        assert_eq!(
            get[1]["schema"],
            json!({"type": "integer"}),
            "a number has a text form"
        );
        assert_eq!(
            get[2]["schema"]["type"], "array",
            "a query array of repeated keys is serialised by progenitor"
        );
        assert_eq!(
            get[3],
            json!({"name": "csv", "in": "query", "schema": {"type": "string"}})
        );
        assert_eq!(
            get[4],
            json!({"name": "pipes", "in": "query", "schema": {"type": "string"}})
        );
    }
}
