//! Every `example` in a spec and its check against the schema it
//! illustrates.

use serde_json::Value;

use crate::diagnostic::{Diagnostic, join};
use crate::json_schema::{ValidatorCache, violations};

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

/// Validates examples against a spec, converting its components once and
/// compiling each distinct schema once.
#[derive(Debug)]
pub struct ExampleValidator {
    validators: ValidatorCache,
}

impl ExampleValidator {
    /// A validator that resolves `$ref`s against `spec`'s components.
    pub fn new(spec: &Value) -> Self {
        Self {
            validators: ValidatorCache::new(spec),
        }
    }

    /// Checks one example; returns one message per violation.
    pub fn check(&mut self, site: &ExampleSite) -> Result<(), Vec<String>> {
        let validator = self
            .validators
            .get(&site.schema)
            .map_err(|e| vec![format!("its schema cannot be compiled: {e}")])?;
        let errors = violations(validator, &site.value);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
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
