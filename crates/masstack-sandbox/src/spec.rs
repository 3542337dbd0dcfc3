//! The two specs, read once from `spec/`: every operation (method, path,
//! parameters, body, documented statuses) with JSON Schema validators
//! compiled from its schemas, so requests are checked against the same
//! documents the clients are generated from. What an OpenAPI document
//! means (operations, `$ref`s, schemas) is `masstack-openapi`'s; what is
//! here is the sandbox's routing and checking view of it.

use std::collections::HashMap;
use std::sync::OnceLock;

use http::Method;
use jsonschema::Validator;
use masstack_openapi::json_schema::Schemas;
use masstack_openapi::load::Document;
use masstack_openapi::operations::{OperationRef, operations};
use serde_json::{Value, json};

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
        let doc = self.doc(api);
        let (_, response) = operation(doc, operation_id)?
            .responses(doc)
            .into_iter()
            .find(|(code, _)| *code == status)?;
        response.pointer("/content/application~1json/example")
    }

    /// The documented example of `operation_id`'s request body.
    pub fn request_example(&self, api: Api, operation_id: &str) -> Option<&Value> {
        let doc = self.doc(api);
        operation(doc, operation_id)?
            .request_body(doc)?
            .pointer("/content/application~1json/example")
    }

    /// The example of `operation_id`'s parameter `name`.
    pub fn parameter_example(&self, api: Api, operation_id: &str, name: &str) -> Option<&Value> {
        let doc = self.doc(api);
        operation(doc, operation_id)?
            .parameter_list(doc)
            .into_iter()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name))?
            .get("example")
    }
}

/// The operation `operation_id` of `doc`.
fn operation<'a>(doc: &'a Value, operation_id: &str) -> Option<OperationRef<'a>> {
    operations(doc)
        .into_iter()
        .find(|op| op.id() == Some(operation_id))
}

/// The specs, parsed and compiled on first use.
pub(crate) fn specs() -> &'static Specs {
    static SPECS: OnceLock<Specs> = OnceLock::new();
    SPECS.get_or_init(|| {
        // The specs are part of this crate's source; `cargo xtask check`
        // and the spec tests keep them valid, so a failure here is a bug.
        let read = |name: &str, text: &str| {
            Document::parse(name, text)
                .unwrap_or_else(|e| panic!("{e}"))
                .json
        };
        let v2 = read("spec/ticketing-v2.yaml", V2_YAML);
        let ossj = read("spec/ticketing-ossj.yaml", OSSJ_YAML);
        let mut operations = Vec::new();
        let mut schemas = HashMap::new();
        for (api, doc) in [(Api::V2, &v2), (Api::Ossj, &ossj)] {
            // Converted once per spec, for its operations and its components.
            let converted = Schemas::new(doc);
            operations.extend(operations_of(api, doc, &converted));
            for (name, schema) in doc
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                schemas.insert((api, name.clone()), compile(&converted, schema));
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

/// The operations of `doc` that have an operationId and a method `http`
/// knows, with their schemas compiled.
pub(crate) fn operations_of(api: Api, doc: &Value, schemas: &Schemas) -> Vec<Operation> {
    operations(doc)
        .iter()
        .filter_map(|op| {
            let method = op.method.to_uppercase().parse::<Method>().ok()?;
            let id = op.id()?;
            let params = op
                .parameter_list(doc)
                .into_iter()
                .filter_map(|p| param(p, doc, schemas))
                .collect();
            let body = op.request_body(doc).map(|b| {
                let required = b.get("required").and_then(Value::as_bool).unwrap_or(false);
                let schema = b
                    .pointer("/content/application~1json/schema")
                    .cloned()
                    .unwrap_or(json!({}));
                (required, compile(schemas, &schema))
            });
            let statuses = op
                .responses(doc)
                .iter()
                .filter_map(|(code, _)| code.parse().ok())
                .collect();
            Some(Operation {
                api,
                id: id.to_owned(),
                method,
                segments: segments(op.path),
                params,
                body,
                statuses,
            })
        })
        .collect()
}

fn param(p: &Value, doc: &Value, schemas: &Schemas) -> Option<Param> {
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
        validator: compile(schemas, &schema),
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

fn compile(schemas: &Schemas, schema: &Value) -> Validator {
    schemas
        .compile(schema)
        .unwrap_or_else(|e| panic!("the specs' schemas compile: {e}"))
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
}
