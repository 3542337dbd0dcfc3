//! Validates every `example` in a spec against the schema it illustrates.
//!
//! OpenAPI 3.0 schemas are not JSON Schema: `nullable: true` must become a
//! `null` type, and vendor keys are dropped. Each example is checked with the
//! `jsonschema` crate against the converted schema, with `$ref`s resolved
//! inside the converted document.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::diagnostic::{Diagnostic, join};

/// One example found in a spec: where it is and which schema it must match.
#[derive(Debug, Clone)]
pub struct ExampleSite {
    /// Pointer to the example value itself.
    pub pointer: String,
    /// The schema (as written in the spec, possibly a `$ref`).
    pub schema: Value,
    /// The example value.
    pub value: Value,
}

/// Finds every example: in schemas (at any depth), parameters, media types
/// and `examples` maps (their `value`).
pub fn collect(spec: &Value) -> Vec<ExampleSite> {
    let mut sites = Vec::new();
    walk(spec, "#", false, &mut sites);
    sites
}

fn walk(node: &Value, pointer: &str, is_schema: bool, sites: &mut Vec<ExampleSite>) {
    match node {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{pointer}/{i}"), false, sites);
            }
        }
        Value::Object(map) => {
            // A schema carries its own example; a parameter or media type
            // carries one for its `schema`.
            let own_schema = if is_schema {
                Some(node)
            } else {
                map.get("schema")
            };
            if let Some(schema) = own_schema {
                if let Some(example) = map.get("example") {
                    sites.push(ExampleSite {
                        pointer: join(pointer, "example"),
                        schema: schema.clone(),
                        value: example.clone(),
                    });
                }
                if !is_schema && let Some(Value::Object(examples)) = map.get("examples") {
                    for (name, ex) in examples {
                        if let Some(value) = ex.get("value") {
                            sites.push(ExampleSite {
                                pointer: join(&join(&join(pointer, "examples"), name), "value"),
                                schema: schema.clone(),
                                value: value.clone(),
                            });
                        }
                    }
                }
            }
            for (key, child) in map {
                if key == "example"
                    || key == "examples"
                    || key.starts_with("x-")
                    || key == "enum"
                    || key == "default"
                {
                    continue;
                }
                let child_pointer = join(pointer, key);
                let child_is_schema = match key.as_str() {
                    "schema" | "items" | "not" | "additionalProperties" => child.is_object(),
                    _ => false,
                } || (is_schema
                    && matches!(key.as_str(), "allOf" | "oneOf" | "anyOf"))
                    || pointer == "#/components/schemas";
                if is_schema && key == "properties" {
                    if let Value::Object(props) = child {
                        for (name, prop) in props {
                            walk(prop, &join(&child_pointer, name), true, sites);
                        }
                    }
                    continue;
                }
                if is_schema && matches!(key.as_str(), "allOf" | "oneOf" | "anyOf") {
                    if let Value::Array(items) = child {
                        for (i, item) in items.iter().enumerate() {
                            walk(item, &format!("{child_pointer}/{i}"), true, sites);
                        }
                    }
                    continue;
                }
                walk(child, &child_pointer, child_is_schema, sites);
            }
        }
        _ => {}
    }
}

/// Converts an OpenAPI 3.0 schema object into JSON Schema (draft 4, whose
/// boolean `exclusiveMinimum` matches OpenAPI 3.0).
pub fn to_json_schema(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    if map.contains_key("$ref") {
        // In OpenAPI 3.0 a reference ignores its siblings.
        return json!({ "$ref": map["$ref"] });
    }
    let mut out = Map::new();
    for (key, value) in map {
        if key.starts_with("x-")
            || matches!(
                key.as_str(),
                "nullable"
                    | "example"
                    | "discriminator"
                    | "xml"
                    | "externalDocs"
                    | "deprecated"
                    | "readOnly"
                    | "writeOnly"
            )
        {
            continue;
        }
        let converted = match key.as_str() {
            "items" | "not" => to_json_schema(value),
            "additionalProperties" if value.is_object() => to_json_schema(value),
            "properties" => Value::Object(
                value
                    .as_object()
                    .map(|props| {
                        props
                            .iter()
                            .map(|(k, v)| (k.clone(), to_json_schema(v)))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            "allOf" | "oneOf" | "anyOf" => Value::Array(
                value
                    .as_array()
                    .map(|items| items.iter().map(to_json_schema).collect())
                    .unwrap_or_default(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        if let Some(Value::String(t)) = out.get("type") {
            let t = t.clone();
            out.insert("type".into(), json!([t, "null"]));
        }
        if let Some(Value::Array(values)) = out.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
        if !out.contains_key("type") {
            return json!({ "anyOf": [{ "type": "null" }, Value::Object(out)] });
        }
    }
    Value::Object(out)
}

/// Validates examples against a spec, converting its components once.
pub struct ExampleValidator {
    /// The converted `components` (schemas only), where `$ref`s point.
    components: Value,
    cache: HashMap<String, Result<jsonschema::Validator, String>>,
}

impl ExampleValidator {
    /// A validator that resolves `$ref`s against `spec`'s components.
    pub fn new(spec: &Value) -> Self {
        let schemas = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|s| {
                s.iter()
                    .map(|(k, v)| (k.clone(), to_json_schema(v)))
                    .collect::<Map<_, _>>()
            })
            .unwrap_or_default();
        Self {
            components: json!({ "schemas": schemas }),
            cache: HashMap::new(),
        }
    }

    /// Checks one example; returns one message per violation.
    pub fn check(&mut self, site: &ExampleSite) -> Result<(), Vec<String>> {
        let key = site.schema.to_string();
        let components = &self.components;
        let validator = self.cache.entry(key).or_insert_with(|| {
            // The target schema sits under `allOf` so that a root `$ref`
            // still resolves against the components in the same document.
            let root = json!({ "allOf": [to_json_schema(&site.schema)], "components": components });
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft4)
                .should_validate_formats(true)
                .build(&root)
                .map_err(|e| format!("its schema cannot be compiled: {e}"))
        });
        match validator {
            Err(e) => Err(vec![e.clone()]),
            Ok(v) => {
                let errors: Vec<String> = v
                    .iter_errors(&site.value)
                    .map(|e| {
                        let at = e.instance_path().to_string();
                        if at.is_empty() {
                            e.to_string()
                        } else {
                            format!("{at}: {e}")
                        }
                    })
                    .collect();
                if errors.is_empty() {
                    Ok(())
                } else {
                    Err(errors)
                }
            }
        }
    }
}

/// Validates every example in `spec`; one diagnostic per failing example.
pub fn validate_all(file: &str, spec: &Value) -> Vec<Diagnostic> {
    let mut validator = ExampleValidator::new(spec);
    collect(spec)
        .iter()
        .filter_map(|site| {
            validator.check(site).err().map(|errors| {
                Diagnostic::at_pointer(
                    file,
                    &site.pointer,
                    format!("example does not match its schema: {}", errors.join("; ")),
                )
            })
        })
        .collect()
}
