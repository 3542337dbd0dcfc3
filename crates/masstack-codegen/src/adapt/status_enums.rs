//! Several success or error types in one operation. progenitor asserts one
//! of each, so the operation's statuses of that kind all point to one
//! component schema named after the operation (`GetPetError`), which
//! progenitor takes as a type it need not generate (a replacement); the
//! refine stage writes that type, one variant per documented status
//! (`GetPetError::NotFound(BasicError)`), and reads each status into its own
//! variant ([`Plans`]). Inline bodies become component schemas of their own
//! so that typify names them.
//!
//! A `default` response next to 2xx ones describes the errors of every
//! status the operation does not list (`4XX` and `5XX`), not another success.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use masstack_openapi::diagnostic::{Location, join, unescape_segment};
use masstack_openapi::operations::{operations, operations_mut};
use serde_json::{Map, Value, json};

use crate::compromise::{Compromise, CompromiseKind};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::manifest::Output;
use crate::naming::type_name;

/// The marker on the component schemas standing for status enums.
pub const MARKER: &str = "x-masstack-status-enum";

/// The status enums to generate, by operationId.
pub type Plans = BTreeMap<String, OperationPlan>;

/// One operation's status enums.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationPlan {
    /// Its 2xx statuses, when they have several types.
    pub success: Option<StatusEnum>,
    /// Its error statuses, when they have several types.
    pub error: Option<StatusEnum>,
}

/// A per-status enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEnum {
    /// Its type name in the `types` module.
    pub name: String,
    /// The operationId whose answers it holds.
    pub operation: String,
    /// One per documented status, in status order.
    pub variants: Vec<Variant>,
}

impl StatusEnum {
    /// The variant a status key of the adapted spec (`404`, `4XX`) reads into.
    pub fn variant_of(&self, status: &str) -> Option<&Variant> {
        self.variants
            .iter()
            .find(|v| v.statuses.iter().any(|s| s == status))
    }
}

/// One variant: the statuses it stands for and their body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// `NotFound`, `Status299`, `ClientError`, `Default`.
    pub name: String,
    /// The status keys of the adapted spec it covers.
    pub statuses: Vec<String>,
    /// The status as documented (`404`, `4XX`, `default`).
    pub documented: String,
    /// The response's description.
    pub description: String,
    /// What the status's body is read into.
    pub body: Body,
}

/// What a variant holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// JSON read into the Rust type at this path (`types::BasicError`).
    Json(String),
    /// No body.
    Empty,
    /// A body of another media type, as bytes.
    Bytes,
}

/// Plans the status enums of every operation that needs one and points
/// its statuses at the enum's schema.
pub fn apply(
    file: &str,
    output: &Output,
    json: &mut Value,
    out: &mut Vec<Compromise>,
) -> Result<Plans, Error> {
    defaults_next_to_successes_are_errors(json);
    let mut names = Names::taken(json, output);
    let mut plans = Plans::new();
    let mut edits = Vec::new();
    let root = json.clone();
    for op in operations(&root) {
        let Some(id) = op.id() else { continue };
        let statuses = Statuses::of(&op.responses(&root));
        let mut plan = OperationPlan::default();
        for (kind, list) in [
            (Kind::Success, &statuses.success),
            (Kind::Error, &statuses.error),
        ] {
            let distinct: BTreeSet<&Shape> = list.iter().map(|s| &s.shape).collect();
            if distinct.len() < 2 {
                continue;
            }
            broken_refs(file, &root, &op.location(), list)?;
            let name = names.claim(&format!("{}{}", id.to_upper_camel_case(), kind.suffix()));
            let (status_enum, hoisted) = plan_enum(&name, id, list, &mut names, output);
            out.push(compromise(file, &op.location(), kind, &status_enum));
            edits.push(Edit {
                path: op.path.to_owned(),
                method: op.method.to_owned(),
                status_enum: status_enum.clone(),
                hoisted,
            });
            match kind {
                Kind::Success => plan.success = Some(status_enum),
                Kind::Error => plan.error = Some(status_enum),
            }
        }
        if plan != OperationPlan::default() {
            plans.insert(id.to_owned(), plan);
        }
    }
    if !edits.is_empty() && output.client.decode().is_none() {
        return Err(Error::Invalid(
            out.iter()
                .filter(|c| matches!(c.kind, CompromiseKind::ErrorEnum | CompromiseKind::SuccessEnum))
                .map(|c| {
                    Diagnostic::new(
                        file,
                        c.location.clone(),
                        format!("{}; per-status types are read by the runtime's decoding: set `runtime` (or `decode`) under `[output.client]`", c.what),
                    )
                })
                .collect(),
        ));
    }
    for edit in edits {
        edit.apply(json);
    }
    Ok(plans)
}

/// A variant's body must be a schema that exists: a `$ref` to a missing
/// one is refused where it is written, not found later as a missing type.
fn broken_refs(file: &str, root: &Value, at: &Location, statuses: &[Status]) -> Result<(), Error> {
    let missing: Vec<Diagnostic> = statuses
        .iter()
        .filter_map(|s| {
            let reference = s.schema.as_ref()?.get("$ref")?.as_str()?;
            let found = reference
                .strip_prefix('#')
                .and_then(|pointer| root.pointer(pointer))
                .is_some();
            (!found).then(|| {
                Diagnostic::new(
                    file,
                    at.clone(),
                    format!(
                        "response {}: `$ref: {reference}` names no schema of the document; fix the reference (an overlay) or add the schema",
                        s.key
                    ),
                )
            })
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(missing))
    }
}

/// A `default` response in an operation that documents a 2xx status is
/// its error for every status not listed.
fn defaults_next_to_successes_are_errors(json: &mut Value) {
    operations_mut(json, |_, _, op| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let has_success = responses.keys().any(|k| k.starts_with('2') || k == "101");
        if !has_success {
            return;
        }
        if let Some(default) = responses.remove("default") {
            for range in ["4XX", "5XX"] {
                responses.entry(range).or_insert_with(|| default.clone());
            }
        }
    });
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Success,
    Error,
}

impl Kind {
    fn suffix(self) -> &'static str {
        match self {
            Self::Success => "Response",
            Self::Error => "Error",
        }
    }
}

/// What a response's body is, for telling types apart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    /// A JSON body: its schema (a `$ref` or inline), as written.
    Json(String),
    Empty,
    Bytes,
}

/// One documented status of an operation.
struct Status {
    key: String,
    description: String,
    shape: Shape,
    schema: Option<Value>,
}

/// An operation's statuses by kind, in status order.
struct Statuses {
    success: Vec<Status>,
    error: Vec<Status>,
}

impl Statuses {
    fn of(responses: &[(&str, &Value)]) -> Self {
        let mut statuses = Self {
            success: Vec::new(),
            error: Vec::new(),
        };
        let mut default = None;
        for (key, response) in responses {
            let (shape, schema) = shape(response);
            let status = Status {
                key: (*key).to_owned(),
                description: response
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                shape,
                schema,
            };
            // A `101` upgrade has no body to read into a variant: left to
            // progenitor.
            if key.starts_with('2') {
                statuses.success.push(status);
            } else if key.starts_with('4') || key.starts_with('5') {
                statuses.error.push(status);
            } else if *key == "default" {
                default = Some(status);
            }
        }
        // Left alone by `defaults_next_to_successes_are_errors`, a `default`
        // is the only success progenitor knows of.
        statuses.success.extend(default);
        statuses.success.sort_by(|a, b| a.key.cmp(&b.key));
        statuses.error.sort_by(|a, b| a.key.cmp(&b.key));
        statuses
    }
}

/// The shape of a response body, and its JSON schema when it is JSON.
fn shape(response: &Value) -> (Shape, Option<Value>) {
    let content = response.get("content").and_then(Value::as_object);
    let Some(content) = content.filter(|c| !c.is_empty()) else {
        return (Shape::Empty, None);
    };
    let json = content.iter().find(|(media, _)| is_json(media));
    match json {
        Some((_, media)) => {
            let schema = media.get("schema").cloned().unwrap_or_else(|| json!({}));
            // A `$ref` is its own identity; an inline schema its text.
            let identity = match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => r.to_owned(),
                None => schema.to_string(),
            };
            (Shape::Json(identity), Some(schema))
        }
        None => (Shape::Bytes, None),
    }
}

/// `application/json`, with parameters or as a `+json` suffix.
pub fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The variants of one enum, and the inline schemas hoisted into
/// components for them (name, schema).
fn plan_enum(
    name: &str,
    operation: &str,
    statuses: &[Status],
    names: &mut Names,
    output: &Output,
) -> (StatusEnum, Vec<(String, Value)>) {
    let mut variants: Vec<Variant> = Vec::new();
    let mut hoisted = Vec::new();
    let mut used = BTreeSet::new();
    for status in statuses {
        let mut variant_name = variant_name(&status.key);
        while !used.insert(variant_name.clone()) {
            variant_name.push('_');
        }
        let body = match (&status.shape, &status.schema) {
            (Shape::Json(_), Some(schema)) => match component_name(schema) {
                Some(component) => Body::Json(rust_type(&component, output)),
                None => {
                    let hoisted_name = names.claim(&format!("{name}{variant_name}"));
                    hoisted.push((hoisted_name.clone(), schema.clone()));
                    Body::Json(format!("types::{hoisted_name}"))
                }
            },
            (Shape::Bytes, _) => Body::Bytes,
            _ => Body::Empty,
        };
        variants.push(Variant {
            name: variant_name,
            statuses: vec![status.key.clone()],
            documented: status.key.clone(),
            description: status.description.clone(),
            body,
        });
    }
    (
        StatusEnum {
            name: name.to_owned(),
            operation: operation.to_owned(),
            variants,
        },
        hoisted,
    )
}

/// `404` -> `NotFound`, `299` -> `Status299`, `4XX` -> `ClientError`.
fn variant_name(status: &str) -> String {
    match status.to_ascii_uppercase().as_str() {
        "DEFAULT" => return "Default".into(),
        "1XX" => return "Informational".into(),
        "2XX" => return "Success".into(),
        "3XX" => return "Redirection".into(),
        "4XX" => return "ClientError".into(),
        "5XX" => return "ServerError".into(),
        _ => {}
    }
    let reason = status
        .parse::<u16>()
        .ok()
        .and_then(|code| http::StatusCode::from_u16(code).ok())
        .and_then(|code| code.canonical_reason());
    match reason {
        Some(reason) => {
            let words: String = reason
                .chars()
                .filter(|c| *c != '\'')
                .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
                .collect();
            words.to_upper_camel_case()
        }
        None => format!("Status{status}"),
    }
}

/// The component a `$ref` schema names.
fn component_name(schema: &Value) -> Option<String> {
    let reference = schema.get("$ref")?.as_str()?;
    let name = reference.strip_prefix("#/components/schemas/")?;
    Some(unescape_segment(name))
}

/// The Rust type typify gives a component schema: the manifest's
/// replacement, its rename, or typify's own name.
fn rust_type(component: &str, output: &Output) -> String {
    let name = type_name(component);
    if let Some(replace) = output.client.replace.get(&name) {
        return replace.rust_type.clone();
    }
    match output
        .client
        .patch
        .get(component)
        .and_then(|p| p.rename.clone())
    {
        Some(rename) => format!("types::{rename}"),
        None => format!("types::{name}"),
    }
}

/// The type names in use, so that new ones do not collide.
struct Names(BTreeSet<String>);

impl Names {
    /// Component schemas, and the names progenitor gives inline bodies
    /// (`{operationId}-response` when there is one, `-body`).
    fn taken(json: &Value, output: &Output) -> Self {
        let mut taken: BTreeSet<String> = json
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, _)| type_name(name))
            .collect();
        for op in operations(json) {
            let Some(id) = op.id() else { continue };
            let inline = |media: &Value| {
                media
                    .get("schema")
                    .is_some_and(|schema| schema.get("$ref").is_none())
            };
            let inline_response = op
                .responses(json)
                .iter()
                .filter_map(|(_, r)| r.get("content").and_then(Value::as_object))
                .flat_map(|content| content.values())
                .any(inline);
            if inline_response {
                taken.insert(type_name(&format!("{id}-response")));
            }
            taken.insert(type_name(&format!("{id}-body")));
        }
        taken.extend(
            output
                .client
                .patch
                .values()
                .filter_map(|p| p.rename.clone()),
        );
        Self(taken)
    }

    /// `wanted`, else `wanted2`, `wanted3`…
    fn claim(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_owned();
        let mut n = 2;
        while self.0.contains(&name) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        self.0.insert(name.clone());
        name
    }
}

fn compromise(file: &str, location: &Location, kind: Kind, status_enum: &StatusEnum) -> Compromise {
    let statuses: Vec<String> = status_enum
        .variants
        .iter()
        .map(|v| format!("{} {}", v.documented, v.name))
        .collect();
    let (kind, what, exact) = match kind {
        Kind::Success => (
            CompromiseKind::SuccessEnum,
            "successes",
            "one success schema for every 2xx status (an overlay)",
        ),
        Kind::Error => (
            CompromiseKind::ErrorEnum,
            "errors",
            "one error schema for every error status (an overlay)",
        ),
    };
    Compromise {
        kind,
        file: file.to_owned(),
        location: location.clone(),
        what: format!(
            "its {what} are read per status into `{}` ({})",
            status_enum.name,
            statuses.join(", ")
        ),
        exact: exact.to_owned(),
    }
}

/// The spec edits for one enum.
struct Edit {
    path: String,
    method: String,
    status_enum: StatusEnum,
    hoisted: Vec<(String, Value)>,
}

impl Edit {
    fn apply(self, json: &mut Value) {
        let schemas = json
            .as_object_mut()
            .map(|doc| doc.entry("components").or_insert_with(|| json!({})))
            .and_then(Value::as_object_mut)
            .map(|c| c.entry("schemas").or_insert_with(|| json!({})))
            .and_then(Value::as_object_mut);
        let Some(schemas) = schemas else { return };
        schemas.insert(
            self.status_enum.name.clone(),
            json!({ MARKER: true, "description": "A per-status enum, written by the generator." }),
        );
        for (name, schema) in self.hoisted {
            schemas.insert(name, schema);
        }
        let reference = format!("#/components/schemas/{}", self.status_enum.name);
        let pointer = join(&join("/paths", &self.path), &self.method);
        let Some(responses) = json
            .pointer_mut(&format!("{pointer}/responses"))
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        for variant in &self.status_enum.variants {
            let mut response = Map::new();
            response.insert(
                "description".into(),
                Value::String(variant.description.clone()),
            );
            response.insert(
                "content".into(),
                json!({ "application/json": { "schema": { "$ref": reference } } }),
            );
            for status in &variant.statuses {
                responses.insert(status.clone(), Value::Object(response.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_named_by_reason() {
        assert_eq!(variant_name("404"), "NotFound");
        assert_eq!(variant_name("422"), "UnprocessableEntity");
        assert_eq!(variant_name("418"), "ImATeapot");
        assert_eq!(variant_name("299"), "Status299");
        assert_eq!(variant_name("4XX"), "ClientError");
        assert_eq!(variant_name("default"), "Default");
    }
}
