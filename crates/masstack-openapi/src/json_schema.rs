//! OpenAPI 3.0 schemas as JSON Schema, for validating values against them.
//!
//! OpenAPI 3.0 schemas are not JSON Schema: `nullable: true` must become a
//! `null` type, and keywords JSON Schema does not know are dropped. The
//! result is draft 4, whose boolean `exclusiveMinimum` matches 3.0.

use std::collections::HashMap;

use jsonschema::Validator;
use serde_json::{Map, Value, json};

/// Keywords that are not JSON Schema, dropped from a converted schema.
/// `readOnly`, `writeOnly` and `discriminator` are among them on purpose:
/// the first two depend on the direction of the message, which a schema
/// alone does not know, and a discriminator only says which member of the
/// `oneOf`/`anyOf` beside it to try first; the validation is that `oneOf`.
const NOT_JSON_SCHEMA: [&str; 8] = [
    "nullable",
    "example",
    "discriminator",
    "xml",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Converts an OpenAPI 3.0 schema object into JSON Schema draft 4; `$ref`s
/// are kept, to be resolved against [`Schemas`]' converted components.
pub fn to_json_schema(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    if let Some(reference) = map.get("$ref") {
        // In OpenAPI 3.0 a reference ignores its siblings.
        return json!({ "$ref": reference });
    }
    let mut out = Map::new();
    for (key, value) in map {
        if key.starts_with("x-") || NOT_JSON_SCHEMA.contains(&key.as_str()) {
            continue;
        }
        let converted = match key.as_str() {
            "items" | "not" => to_json_schema(value),
            "additionalProperties" if value.is_object() => to_json_schema(value),
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), to_json_schema(v)))
                    .collect(),
            ),
            "allOf" | "oneOf" | "anyOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(to_json_schema)
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        return nullable(out);
    }
    Value::Object(out)
}

/// A converted schema that also accepts `null`.
fn nullable(mut schema: Map<String, Value>) -> Value {
    // An `enum` lists every value allowed: null must be among them.
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match schema.get("type").cloned() {
        Some(Value::String(t)) => {
            schema.insert("type".into(), json!([t, "null"]));
            Value::Object(schema)
        }
        _ => json!({ "anyOf": [{ "type": "null" }, Value::Object(schema)] }),
    }
}

/// A spec's component schemas, converted once, against which the `$ref`s of
/// the schemas compiled here resolve.
#[derive(Debug, Clone)]
pub struct Schemas {
    /// `{ "schemas": { name: converted } }`, where `#/components/...` points.
    components: Value,
}

impl Schemas {
    /// The converted component schemas of `spec`.
    pub fn new(spec: &Value) -> Self {
        let schemas: Map<String, Value> = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, schema)| (name.clone(), to_json_schema(schema)))
            .collect();
        Self {
            components: json!({ "schemas": schemas }),
        }
    }

    /// The names of the component schemas.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.components["schemas"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, _)| name.as_str())
    }

    /// A validator for `schema` (OpenAPI, as written in the spec); the
    /// error is the `jsonschema` crate's message.
    pub fn compile(&self, schema: &Value) -> Result<Validator, String> {
        // The schema sits under `allOf` so that a `$ref` at its root still
        // resolves against the components carried in the same document.
        let root = json!({ "allOf": [to_json_schema(schema)], "components": self.components });
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| e.to_string())
    }
}

/// Compiled validators, one per distinct schema.
#[derive(Debug)]
pub struct ValidatorCache {
    schemas: Schemas,
    compiled: HashMap<String, Result<Validator, String>>,
}

impl ValidatorCache {
    /// An empty cache for the schemas of `spec`.
    pub fn new(spec: &Value) -> Self {
        Self {
            schemas: Schemas::new(spec),
            compiled: HashMap::new(),
        }
    }

    /// The validator of `schema`, compiled on first use.
    pub fn get(&mut self, schema: &Value) -> Result<&Validator, &str> {
        let schemas = &self.schemas;
        self.compiled
            .entry(schema.to_string())
            .or_insert_with(|| schemas.compile(schema))
            .as_ref()
            .map_err(String::as_str)
    }
}

/// Every violation of `value` against `validator`, each prefixed with where
/// in the value it is (nothing at its root).
pub fn violations(validator: &Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| {
            let at = e.instance_path().to_string();
            if at.is_empty() {
                e.to_string()
            } else {
                format!("{at}: {e}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_becomes_a_null_type() {
        assert_eq!(
            to_json_schema(&json!({ "type": "object", "nullable": true })),
            json!({ "type": ["object", "null"] })
        );
        // A nullable enum lists null; a schema without a type gets an anyOf.
        assert_eq!(
            to_json_schema(&json!({ "type": "string", "enum": ["a"], "nullable": true })),
            json!({ "type": ["string", "null"], "enum": ["a", null] })
        );
        assert_eq!(
            to_json_schema(&json!({ "$ref": "#/x", "nullable": true })),
            json!({ "$ref": "#/x" })
        );
        assert_eq!(
            to_json_schema(&json!({ "allOf": [{ "$ref": "#/x" }], "nullable": true })),
            json!({ "anyOf": [{ "type": "null" }, { "allOf": [{ "$ref": "#/x" }] }] })
        );
    }

    #[test]
    fn keywords_json_schema_does_not_know_are_dropped_at_any_depth() {
        let schema = json!({
            "type": "object", "x-internal": true, "discriminator": { "propertyName": "kind" },
            "properties": { "id": { "type": "string", "readOnly": true, "example": "1" } },
            "items": { "writeOnly": true, "xml": {}, "externalDocs": {}, "deprecated": true },
        });
        assert_eq!(
            to_json_schema(&schema),
            json!({ "type": "object", "properties": { "id": { "type": "string" } }, "items": {} })
        );
    }

    #[test]
    fn refs_resolve_against_the_converted_components() {
        let spec = json!({ "components": { "schemas": {
            "Name": { "type": "string", "nullable": true, "maxLength": 3 },
        } } });
        let mut cache = ValidatorCache::new(&spec);
        let validator = cache
            .get(&json!({ "$ref": "#/components/schemas/Name" }))
            .unwrap();
        assert!(violations(validator, &Value::Null).is_empty());
        assert!(violations(validator, &json!("abc")).is_empty());
        assert_eq!(
            violations(validator, &json!("abcd")),
            [r#""abcd" is longer than 3 characters"#]
        );
        assert!(cache.get(&json!({ "type": 5 })).is_err());
    }
}
