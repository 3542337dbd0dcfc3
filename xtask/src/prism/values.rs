//! A value for each parameter the driver sends: the spec's own example,
//! else its default, else the first of its enum, else a value of its type
//! (within its bounds and formats, so that Prism's validation accepts it).

use masstack_openapi::json_schema::{Schemas, violations};
use masstack_openapi::refs::resolve;
use serde_json::{Value, json};

/// Where a parameter's value came from (reported with each call).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `example` / `examples` of the parameter or its schema.
    Example,
    /// The schema's `default`.
    Default,
    /// The first of the schema's `enum`.
    Enum,
    /// Made from the schema's type.
    Type,
}

/// The value for `parameter` (resolved), and where it came from.
pub fn for_parameter(root: &Value, parameter: &Value) -> (Value, Source) {
    let schema = parameter
        .get("schema")
        .and_then(|s| resolve(root, s))
        .unwrap_or(&Value::Null);
    if let Some(example) = parameter.get("example") {
        return (example.clone(), Source::Example);
    }
    let first_example = parameter
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|e| e.values().next())
        .and_then(|e| resolve(root, e))
        .and_then(|e| e.get("value"));
    if let Some(example) = first_example {
        return (example.clone(), Source::Example);
    }
    declared(root, schema).unwrap_or_else(|| (of_type(root, schema, 0), Source::Type))
}

/// The value of a request body's media type object: its example, else a
/// value of its schema.
pub fn for_media(root: &Value, media: &Value) -> (Value, Source) {
    if let Some(example) = media.get("example") {
        return (example.clone(), Source::Example);
    }
    let first_example = media
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|e| e.values().next())
        .and_then(|e| resolve(root, e))
        .and_then(|e| e.get("value"));
    if let Some(example) = first_example {
        return (example.clone(), Source::Example);
    }
    let schema = media.get("schema").unwrap_or(&Value::Null);
    (of_type(root, schema, 0), Source::Type)
}

/// Whether the spec says what value a parameter takes (an example, a
/// default or an enum); optional parameters are sent only then.
pub fn is_declared(root: &Value, parameter: &Value) -> bool {
    let schema = parameter
        .get("schema")
        .and_then(|s| resolve(root, s))
        .unwrap_or(&Value::Null);
    parameter.get("example").is_some()
        || parameter.get("examples").is_some()
        || declared(root, schema).is_some()
}

/// The schema's example, default or first enum value.
fn declared(root: &Value, schema: &Value) -> Option<(Value, Source)> {
    let schema = resolve(root, schema)?;
    if let Some(example) = schema.get("example") {
        return Some((example.clone(), Source::Example));
    }
    if let Some(example) = schema
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return Some((example.clone(), Source::Example));
    }
    if let Some(default) = schema.get("default") {
        return Some((default.clone(), Source::Default));
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.iter().find(|v| !v.is_null()))
    {
        return Some((first.clone(), Source::Enum));
    }
    // A `$ref` wrapped in `allOf` (a described reference) declares what
    // its target declares.
    let parts = schema.get("allOf").and_then(Value::as_array)?;
    parts.iter().find_map(|p| declared(root, p))
}

/// A value of `schema`'s type; `depth` stops recursive schemas.
fn of_type(root: &Value, schema: &Value, depth: usize) -> Value {
    let Some(schema) = resolve(root, schema) else {
        return json!("string");
    };
    if depth > 0
        && let Some((value, _)) = declared(root, schema)
    {
        return value;
    }
    if depth > 8 {
        return Value::Null;
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find(|s| s.get("type") != Some(&json!("null"))))
        {
            return of_type(root, first, depth + 1);
        }
    }
    match type_name(schema) {
        "integer" => json!(number(schema) as i64),
        "number" => json!(number(schema)),
        "boolean" => json!(true),
        "array" => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            json!([of_type(root, items, depth + 1)])
        }
        "object" => object(root, schema, depth),
        _ => string(schema),
    }
}

/// `type`, or the first non-null of a list of types (3.1).
fn type_name(schema: &Value) -> &str {
    match schema.get("type") {
        Some(Value::String(t)) => t,
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("string"),
        _ if schema.get("properties").is_some() => "object",
        _ => "string",
    }
}

/// 1, moved into `minimum`..`maximum`.
fn number(schema: &Value) -> f64 {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let mut value = 1.0_f64;
    if let Some(min) = bound("minimum") {
        let exclusive = schema.get("exclusiveMinimum") == Some(&json!(true));
        value = value.max(if exclusive { min + 1.0 } else { min });
    }
    if let Some(min) = bound("exclusiveMinimum") {
        value = value.max(min + 1.0);
    }
    if let Some(max) = bound("maximum") {
        value = value.min(max);
    }
    value
}

/// The required properties, each a value of its type.
fn object(root: &Value, schema: &Value, depth: usize) -> Value {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let properties = schema.get("properties").and_then(Value::as_object);
    let object = required
        .iter()
        .map(|name| {
            let property = properties
                .and_then(|p| p.get(*name))
                .unwrap_or(&Value::Null);
            ((*name).to_owned(), of_type(root, property, depth + 1))
        })
        .collect();
    Value::Object(object)
}

/// Strings tried, in order, against a `pattern`.
const PATTERN_CANDIDATES: [&str; 14] = [
    "string",
    "1.0.0",
    "a",
    "abc",
    "a.b",
    "a-b",
    "a:b",
    "a_b",
    "a1",
    "A",
    "0",
    "1",
    "example.com",
    "abc:def",
];

/// A string in the schema's `format`, within its length bounds, matching
/// its `pattern` when one of a few candidates does.
fn string(schema: &Value) -> Value {
    let typed = formatted(schema);
    let Some(pattern) = schema.get("pattern") else {
        return typed;
    };
    let check = serde_json::json!({ "type": "string", "pattern": pattern });
    let Ok(validator) = Schemas::new(&Value::Null).compile(&check) else {
        return typed;
    };
    std::iter::once(typed)
        .chain(PATTERN_CANDIDATES.iter().map(|c| json!(c)))
        .find(|candidate| violations(&validator, candidate).is_empty())
        .unwrap_or_else(|| formatted(schema))
}

/// A string in the schema's `format`, within its length bounds.
fn formatted(schema: &Value) -> Value {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let text = match format {
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05Z",
        "email" => "user@example.com",
        "uri" | "url" => "https://example.com/",
        "hostname" => "example.com",
        "ipv4" | "ip" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "c3RyaW5n",
        _ => "string",
    };
    let mut text = text.to_owned();
    let length = |key: &str| {
        schema
            .get(key)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    if let Some(min) = length("minLength") {
        while text.len() < min {
            text.push('x');
        }
    }
    if let Some(max) = length("maxLength") {
        text.truncate(max.max(1));
    }
    Value::String(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(parameter: Value) -> (Value, Source) {
        let root = json!({"components": {"schemas": {
            "Kind": {"type": "string", "enum": ["cat", "dog"]},
            "Id": {"type": "string", "format": "uuid"}
        }}});
        for_parameter(&root, &parameter)
    }

    #[test]
    fn the_spec_says_first() {
        assert_eq!(
            value(json!({"example": 7, "schema": {"type": "integer", "default": 3}})),
            (json!(7), Source::Example)
        );
        assert_eq!(
            value(json!({"examples": {"a": {"value": "x"}}, "schema": {"type": "string"}})),
            (json!("x"), Source::Example)
        );
        assert_eq!(
            value(json!({"schema": {"type": "integer", "default": 3, "enum": [1, 3]}})),
            (json!(3), Source::Default)
        );
        assert_eq!(
            value(json!({"schema": {"$ref": "#/components/schemas/Kind"}})),
            (json!("cat"), Source::Enum)
        );
    }

    #[test]
    fn else_a_value_of_the_type_within_bounds() {
        let typed = |schema: Value| value(json!({ "schema": schema }));
        assert_eq!(
            typed(json!({"type": "integer", "minimum": 5})),
            (json!(5), Source::Type)
        );
        assert_eq!(
            typed(json!({"type": "integer", "format": "uint32", "maximum": 0})).0,
            json!(0)
        );
        assert_eq!(
            typed(json!({"$ref": "#/components/schemas/Id"})).0,
            json!("3fa85f64-5717-4562-b3fc-2c963f66afa6")
        );
        assert_eq!(
            typed(json!({"type": "string", "minLength": 10})).0,
            json!("stringxxxx")
        );
        assert_eq!(
            typed(json!({"type": "string", "pattern": "^\\d+\\.\\d+\\.\\d+$"})).0,
            json!("1.0.0")
        );
        assert_eq!(
            typed(json!({"type": "array", "items": {"type": "boolean"}})).0,
            json!([true])
        );
        assert_eq!(
            typed(json!({"type": ["null", "number"], "exclusiveMinimum": 2})).0,
            json!(3.0)
        );
    }
}
