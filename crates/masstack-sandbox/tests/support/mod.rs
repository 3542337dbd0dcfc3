//! What the tests share: a check of every response against the spec,
//! apart from the sandbox's own request checks and routing, so a mistake
//! there cannot hide itself. What a spec's schema means (the conversion to
//! JSON Schema) is `masstack-openapi`'s, for the tests as for the sandbox.

#![allow(dead_code)] // each test file uses part of it

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use masstack_client_runtime::ClientConfig;
use masstack_openapi::json_schema::{Schemas, violations};
use masstack_openapi::load::Document;
use masstack_openapi::operations::operations;
use serde_json::Value;

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

/// Both specs with their operations' routes and documented responses.
pub struct Specs {
    operations: HashMap<String, Documented>,
    /// Each spec's component schemas, converted once.
    schemas: HashMap<&'static str, Schemas>,
}

/// One operation as its spec documents it.
struct Documented {
    /// Which spec (`v2`, `ossj`).
    spec: &'static str,
    /// The method, upper case, and the path template.
    route: (String, String),
    /// status → schema, as written (`None`: no JSON body).
    responses: HashMap<u16, Option<Value>>,
}

const V2: &str = include_str!("../../../../spec/ticketing-v2.yaml");
const OSSJ: &str = include_str!("../../../../spec/ticketing-ossj.yaml");

impl Specs {
    pub fn load() -> Self {
        let mut operations_by_id = HashMap::new();
        let mut schemas = HashMap::new();
        for (name, text) in [("v2", V2), ("ossj", OSSJ)] {
            let doc = Document::parse(name, text).unwrap().json;
            schemas.insert(name, Schemas::new(&doc));
            for op in operations(&doc) {
                let Some(id) = op.id() else { continue };
                let responses = op
                    .responses(&doc)
                    .into_iter()
                    .map(|(status, response)| {
                        let schema = response.pointer("/content/application~1json/schema");
                        (status.parse().unwrap(), schema.cloned())
                    })
                    .collect();
                let route = (op.method.to_uppercase(), op.path.to_owned());
                let documented = Documented {
                    spec: name,
                    route,
                    responses,
                };
                operations_by_id.insert(id.to_owned(), documented);
            }
        }
        Self {
            operations: operations_by_id,
            schemas,
        }
    }

    /// Every operationId of both specs.
    pub fn operation_ids(&self) -> BTreeSet<String> {
        self.operations.keys().cloned().collect()
    }

    /// The method (upper case) and path template of `operation_id`.
    pub fn route(&self, operation_id: &str) -> (&str, &str) {
        let (method, path) = &self.operations[operation_id].route;
        (method, path)
    }

    /// The statuses `operation_id` documents.
    pub fn statuses(&self, operation_id: &str) -> BTreeSet<u16> {
        self.operations[operation_id]
            .responses
            .keys()
            .copied()
            .collect()
    }

    /// The response is documented for its operation and status, with the
    /// documented content type and a body that fits the schema.
    pub fn check(&self, seen: &Seen) -> Result<(), String> {
        let at = format!("{} {}", seen.operation_id, seen.status);
        let operation = self
            .operations
            .get(&seen.operation_id)
            .ok_or_else(|| format!("{at}: no such operation"))?;
        let schema = operation
            .responses
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
        let validator = self.schemas[operation.spec]
            .compile(schema)
            .map_err(|e| format!("{at}: schema does not compile: {e}"))?;
        let errors = violations(&validator, &body);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!("{at}: {} in {body}", errors.join("; ")))
        }
    }
}

/// The `detailMsg` of an error response body.
pub fn detail(body: &[u8]) -> String {
    serde_json::from_slice::<Value>(body).unwrap()["detailMsg"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
