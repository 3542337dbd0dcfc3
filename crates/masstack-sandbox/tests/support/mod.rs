//! What the tests share: a check of every response against the spec,
//! written here with the `jsonschema` crate and apart from the sandbox's
//! own request checks, so a mistake there cannot hide itself.

#![allow(dead_code)] // each test file uses part of it

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use masstack_client_runtime::ClientConfig;
use serde_json::{Map, Value, json};

/// One response as a client saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub operation_id: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// Responses seen by clients configured with [`Recorder::observe`].
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Mutex<Vec<Seen>>>);

impl Recorder {
    pub fn observe(&self, config: ClientConfig) -> ClientConfig {
        let seen = self.0.clone();
        config.on_response(move |exchange| {
            seen.lock().unwrap().push(Seen {
                operation_id: exchange.operation_id.to_owned(),
                status: exchange.status.as_u16(),
                content_type: exchange
                    .headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                body: exchange.body.to_vec(),
            });
        })
    }

    pub fn push(&self, seen: Seen) {
        self.0.lock().unwrap().push(seen);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }

    /// Every response so far conforms to the specs; returns how many.
    pub fn assert_conform(&self) -> usize {
        let seen = self.seen();
        let specs = Specs::load();
        let failures: Vec<String> = seen.iter().filter_map(|s| specs.check(s).err()).collect();
        assert!(
            failures.is_empty(),
            "responses off the spec:\n{}",
            failures.join("\n")
        );
        seen.len()
    }
}

/// Both specs with their operations' documented responses.
pub struct Specs {
    /// operationId → (status → schema, converted; `None`: no body).
    responses: HashMap<String, HashMap<u16, Option<Value>>>,
    components: HashMap<String, Value>,
    /// operationId → which spec.
    spec_of: HashMap<String, &'static str>,
}

const V2: &str = include_str!("../../../../spec/ticketing-v2.yaml");
const OSSJ: &str = include_str!("../../../../spec/ticketing-ossj.yaml");

impl Specs {
    pub fn load() -> Self {
        let mut responses = HashMap::new();
        let mut components = HashMap::new();
        let mut spec_of = HashMap::new();
        for (name, text) in [("v2", V2), ("ossj", OSSJ)] {
            let doc: Value = serde_yaml::from_str(text).unwrap();
            let schemas: Map<String, Value> = doc["components"]["schemas"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), convert(v)))
                .collect();
            components.insert(name.to_owned(), json!({ "schemas": schemas }));
            for item in doc["paths"].as_object().unwrap().values() {
                for op in item.as_object().unwrap().values() {
                    let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                        continue;
                    };
                    let mut statuses = HashMap::new();
                    for (status, response) in op["responses"].as_object().unwrap() {
                        let response = match response.get("$ref").and_then(Value::as_str) {
                            Some(r) => doc.pointer(&r[1..]).unwrap(),
                            None => response,
                        };
                        let schema = response
                            .pointer("/content/application~1json/schema")
                            .map(convert);
                        statuses.insert(status.parse().unwrap(), schema);
                    }
                    responses.insert(id.to_owned(), statuses);
                    spec_of.insert(id.to_owned(), name);
                }
            }
        }
        Self {
            responses,
            components,
            spec_of,
        }
    }

    /// Every operationId of both specs.
    pub fn operation_ids(&self) -> BTreeSet<String> {
        self.responses.keys().cloned().collect()
    }

    /// The statuses `operation_id` documents.
    pub fn statuses(&self, operation_id: &str) -> BTreeSet<u16> {
        self.responses[operation_id].keys().copied().collect()
    }

    /// The response is documented for its operation and status, with the
    /// documented content type and a body that fits the schema.
    pub fn check(&self, seen: &Seen) -> Result<(), String> {
        let at = format!("{} {}", seen.operation_id, seen.status);
        let statuses = self
            .responses
            .get(&seen.operation_id)
            .ok_or_else(|| format!("{at}: no such operation"))?;
        let schema = statuses
            .get(&seen.status)
            .ok_or_else(|| format!("{at}: status not documented"))?;
        let Some(schema) = schema else {
            return if seen.body.is_empty() {
                Ok(())
            } else {
                Err(format!("{at}: a body where none is documented"))
            };
        };
        let content_type = seen.content_type.as_deref().unwrap_or_default();
        if !content_type.starts_with("application/json") {
            return Err(format!("{at}: content type `{content_type}`"));
        }
        let body: Value = serde_json::from_slice(&seen.body)
            .map_err(|e| format!("{at}: body is not JSON: {e}"))?;
        let root = json!({
            "allOf": [schema],
            "components": self.components[self.spec_of[&seen.operation_id]],
        });
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| format!("{at}: schema does not compile: {e}"))?;
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!("{at}: {} in {body}", errors.join("; ")))
        }
    }
}

/// OpenAPI 3.0 to JSON Schema draft 4: `nullable` as a `null` type; the
/// keywords draft 4 does not know are dropped.
fn convert(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    if let Some(r) = map.get("$ref") {
        return json!({ "$ref": r });
    }
    let mut out = Map::new();
    for (k, v) in map {
        if k.starts_with("x-") || k == "nullable" || k == "example" {
            continue;
        }
        let v = match k.as_str() {
            "items" | "not" => convert(v),
            "additionalProperties" if v.is_object() => convert(v),
            "properties" => Value::Object(
                v.as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), convert(v)))
                    .collect(),
            ),
            "allOf" | "anyOf" | "oneOf" => {
                Value::Array(v.as_array().unwrap().iter().map(convert).collect())
            }
            _ => v.clone(),
        };
        out.insert(k.clone(), v);
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        return json!({ "anyOf": [{ "type": "null" }, Value::Object(out)] });
    }
    Value::Object(out)
}

/// The `detailMsg` of an error response body.
pub fn detail(body: &[u8]) -> String {
    serde_json::from_slice::<Value>(body).unwrap()["detailMsg"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
