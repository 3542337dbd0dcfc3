//! The two specs, read once from `spec/`: every operation (method, path,
//! parameters, body, documented statuses) with JSON Schema validators
//! compiled from its schemas, so requests are checked against the same
//! documents the clients are generated from.

use std::collections::HashMap;
use std::sync::OnceLock;

use http::Method;
use jsonschema::Validator;
use serde_json::{Map, Value, json};

use crate::param_type::ParamType;

const V2_YAML: &str = include_str!("../../../spec/ticketing-v2.yaml");
const OSSJ_YAML: &str = include_str!("../../../spec/ticketing-ossj.yaml");

/// Which of the two APIs an operation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Api {
    V2,
    Ossj,
}

/// One piece of a path template.
#[derive(Debug)]
pub(crate) enum Segment {
    Literal(String),
    Param(String),
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
}

impl Location {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Path => "path parameter",
            Self::Query => "query parameter",
            Self::Header => "header",
        }
    }
}

/// A parameter with its compiled schema.
pub(crate) struct Param {
    pub name: String,
    pub location: Location,
    pub required: bool,
    /// What its text is read as before validation.
    pub kind: ParamType,
    pub validator: Validator,
}

/// An operation as the spec declares it.
pub(crate) struct Operation {
    pub api: Api,
    pub id: String,
    pub method: Method,
    pub segments: Vec<Segment>,
    pub params: Vec<Param>,
    /// The JSON body's validator, and whether a body is required.
    pub body: Option<(bool, Validator)>,
    /// Documented response statuses.
    pub statuses: Vec<u16>,
}

impl Operation {
    pub fn documents(&self, status: u16) -> bool {
        self.statuses.contains(&status)
    }

    /// How many literal segments the path has: the more, the more specific.
    pub fn specificity(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count()
    }
}

/// Both specs, parsed and compiled.
pub(crate) struct Specs {
    pub v2: Value,
    pub ossj: Value,
    pub operations: Vec<Operation>,
    /// Every named component schema of both specs, compiled.
    schemas: HashMap<(Api, String), Validator>,
}

impl Specs {
    /// The spec document of `api`.
    pub fn doc(&self, api: Api) -> &Value {
        match api {
            Api::V2 => &self.v2,
            Api::Ossj => &self.ossj,
        }
    }

    /// The compiled component schema `name` of `api`.
    pub fn schema(&self, api: Api, name: &str) -> Option<&Validator> {
        self.schemas.get(&(api, name.to_owned()))
    }

    /// The documented example of `operation_id`'s `status` response.
    pub fn response_example(&self, api: Api, operation_id: &str, status: &str) -> Option<&Value> {
        let op = self.operation_doc(api, operation_id)?;
        let response = resolve(self.doc(api), op.pointer(&format!("/responses/{status}"))?);
        response.pointer("/content/application~1json/example")
    }

    /// The documented example of `operation_id`'s request body.
    pub fn request_example(&self, api: Api, operation_id: &str) -> Option<&Value> {
        self.operation_doc(api, operation_id)?
            .pointer("/requestBody/content/application~1json/example")
    }

    /// The example of `operation_id`'s parameter `name`.
    pub fn parameter_example(&self, api: Api, operation_id: &str, name: &str) -> Option<&Value> {
        let doc = self.doc(api);
        let op = self.operation_doc(api, operation_id)?;
        op.get("parameters")?
            .as_array()?
            .iter()
            .map(|p| resolve(doc, p))
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name))?
            .get("example")
    }

    fn operation_doc(&self, api: Api, operation_id: &str) -> Option<&Value> {
        self.doc(api)
            .get("paths")?
            .as_object()?
            .values()
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
            .find(|op| op.get("operationId").and_then(Value::as_str) == Some(operation_id))
    }
}

/// The specs, parsed and compiled on first use.
pub(crate) fn specs() -> &'static Specs {
    static SPECS: OnceLock<Specs> = OnceLock::new();
    SPECS.get_or_init(|| {
        // The specs are part of this crate's source; `cargo xtask check`
        // and the spec tests keep them valid, so a failure here is a bug.
        let v2: Value = serde_yaml::from_str(V2_YAML).expect("spec/ticketing-v2.yaml parses");
        let ossj: Value = serde_yaml::from_str(OSSJ_YAML).expect("spec/ticketing-ossj.yaml parses");
        let mut operations = operations_of(Api::V2, &v2);
        operations.extend(operations_of(Api::Ossj, &ossj));
        let mut schemas = HashMap::new();
        for (api, doc) in [(Api::V2, &v2), (Api::Ossj, &ossj)] {
            let components = converted_components(doc);
            for (name, schema) in doc
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                schemas.insert((api, name.clone()), compile(schema, &components));
            }
        }
        Specs {
            v2,
            ossj,
            operations,
            schemas,
        }
    })
}

pub(crate) fn operations_of(api: Api, doc: &Value) -> Vec<Operation> {
    let components = converted_components(doc);
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let shared = item.get("parameters").and_then(Value::as_array);
        for (method, op) in item.as_object().into_iter().flatten() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let params = shared
                .into_iter()
                .flatten()
                .chain(
                    op.get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                )
                .map(|p| resolve(doc, p))
                .filter_map(|p| param(p, doc, &components))
                .collect();
            let body = op.get("requestBody").map(|b| resolve(doc, b)).map(|b| {
                let required = b.get("required").and_then(Value::as_bool).unwrap_or(false);
                let schema = b
                    .pointer("/content/application~1json/schema")
                    .cloned()
                    .unwrap_or(json!({}));
                (required, compile(&schema, &components))
            });
            let statuses = op
                .get("responses")
                .and_then(Value::as_object)
                .map(|r| r.keys().filter_map(|k| k.parse().ok()).collect())
                .unwrap_or_default();
            out.push(Operation {
                api,
                id: id.to_owned(),
                method,
                segments: segments(path),
                params,
                body,
                statuses,
            });
        }
    }
    out
}

fn param(p: &Value, doc: &Value, components: &Value) -> Option<Param> {
    let location = match p.get("in")?.as_str()? {
        "path" => Location::Path,
        "query" => Location::Query,
        "header" => Location::Header,
        _ => return None,
    };
    let schema = p.get("schema").cloned().unwrap_or_else(|| json!({}));
    Some(Param {
        name: p.get("name")?.as_str()?.to_owned(),
        location,
        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
        kind: ParamType::of(&schema, doc),
        validator: compile(&schema, components),
    })
}

fn segments(path: &str) -> Vec<Segment> {
    path.split('/')
        .skip(1)
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_owned()),
                None => Segment::Literal(s.to_owned()),
            },
        )
        .collect()
}

/// Follows a local `$ref` (`#/components/...`), once.
fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|pointer| doc.pointer(pointer))
            .unwrap_or(node),
        None => node,
    }
}

fn converted_components(doc: &Value) -> Value {
    let schemas: Map<String, Value> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| {
            s.iter()
                .map(|(k, v)| (k.clone(), to_json_schema(v)))
                .collect()
        })
        .unwrap_or_default();
    json!({ "schemas": schemas })
}

fn compile(schema: &Value, components: &Value) -> Validator {
    // The schema sits under `allOf` so that a `$ref` at its root still
    // resolves against the components carried in the same document.
    let root = json!({ "allOf": [to_json_schema(schema)], "components": components });
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&root)
        .expect("the specs' schemas compile")
}

/// An OpenAPI 3.0 schema as JSON Schema draft 4: `nullable` becomes a
/// `null` type, and keywords JSON Schema does not know are dropped.
pub(crate) fn to_json_schema(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    if let Some(r) = map.get("$ref") {
        // In OpenAPI 3.0 a reference ignores its siblings.
        return json!({ "$ref": r });
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
        match out.get("type").cloned() {
            Some(Value::String(t)) => {
                out.insert("type".into(), json!([t, "null"]));
            }
            _ => return json!({ "anyOf": [{ "type": "null" }, Value::Object(out)] }),
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_both_specs_is_read() {
        let specs = specs();
        let count = |api| specs.operations.iter().filter(|o| o.api == api).count();
        assert_eq!(count(Api::V2), 27);
        assert_eq!(count(Api::Ossj), 3);
    }

    #[test]
    fn nullable_becomes_a_null_type() {
        let converted = to_json_schema(&json!({ "type": "object", "nullable": true }));
        assert_eq!(converted, json!({ "type": ["object", "null"] }));
    }
}
