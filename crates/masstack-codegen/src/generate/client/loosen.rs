//! Schemas typify cannot type as written: each is replaced by the closest
//! looser schema it can (a keyword or a composition member left out, else
//! `{}`, which is `serde_json::Value`), and the change is a
//! [`Compromise`] at the schema. An operation that progenitor cannot
//! generate stays a located error.

use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator};
use serde_json::{Map, Value};

use masstack_openapi::load::typed;

use super::{
    Culprit, cannot_generate, fails, failure, locate_failure, schema_location, schema_pointer,
};
use crate::compromise::{Compromise, CompromiseKind};
use crate::diagnostic::{Diagnostic, Location};
use crate::error::Error;
use crate::generate::panic_guard;
use crate::load::LoadedSpec;

/// Rounds of generation before giving up: each round loosens one schema by
/// at least one keyword, so a spec with this many failures is not one a
/// looser type will save.
const MAX_ROUNDS: usize = 32;

/// progenitor's output, and what had to be loosened to get it.
pub struct Generated {
    /// The generator, whose type space the extras read.
    pub generator: Generator,
    /// The client as progenitor wrote it.
    pub tokens: TokenStream,
    /// The spec progenitor read, when schemas had to be loosened.
    pub spec: Option<LoadedSpec>,
    /// One compromise per loosened schema.
    pub loosened: Vec<Compromise>,
}

/// One loosened schema: what was left out, and typify's first complaint.
struct Loosening {
    name: String,
    dropped: Vec<String>,
    value: bool,
    message: String,
}

/// Runs progenitor on `spec`; while it fails on a component schema, that
/// schema is loosened and progenitor runs again.
pub fn generate(settings: &GenerationSettings, spec: &LoadedSpec) -> Result<Generated, Error> {
    let mut current: Option<LoadedSpec> = None;
    let mut loosenings: Vec<Loosening> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let now = current.as_ref().unwrap_or(spec);
        let mut generator = Generator::new(settings);
        let (message, panicked) =
            match panic_guard::catch(|| generator.generate_tokens(&now.openapi)) {
                Ok(Ok(tokens)) => {
                    let loosened = loosenings.iter().map(|l| l.compromise(spec)).collect();
                    return Ok(Generated {
                        generator,
                        tokens,
                        spec: current,
                        loosened,
                    });
                }
                Ok(Err(e)) => (e.to_string(), false),
                Err(panic) => (panic.0, true),
            };
        let culprit = locate_failure(settings, &now.json);
        let name = match culprit {
            Some(Culprit::Schema(name)) => name,
            None if !panicked => {
                return Err(Error::Invalid(vec![Diagnostic::new(
                    &now.name,
                    Location::File,
                    format!("progenitor failed: {message}"),
                )]));
            }
            other => return Err(cannot_generate(now, other, &message)),
        };
        let pointer = schema_pointer(&name);
        let schema = now.json.pointer(&pointer).cloned().unwrap_or(Value::Null);
        if schema == Value::Object(Map::new()) {
            // Already `serde_json::Value`: something else fails with it.
            return Err(cannot_generate(now, Some(Culprit::Schema(name)), &message));
        }
        let (looser, dropped, own_message) = looser(settings, &now.json, &name, &schema);
        let mut json = now.json.clone();
        if let Some(slot) = json.pointer_mut(&pointer) {
            *slot = looser;
        }
        let openapi = typed(&json).map_err(|e| {
            Error::Internal(format!(
                "{}: loosening schema `{name}` made the spec no OpenAPI at {}: {}",
                spec.name, e.pointer, e.message
            ))
        })?;
        let index = match loosenings.iter().position(|l| l.name == name) {
            Some(i) => i,
            None => {
                loosenings.push(Loosening {
                    name: name.clone(),
                    dropped: Vec::new(),
                    value: false,
                    message: first_line(own_message.as_deref().unwrap_or(&message)),
                });
                loosenings.len() - 1
            }
        };
        match dropped {
            Some(d) => loosenings[index].dropped.push(d),
            None => loosenings[index].value = true,
        }
        let mut next = now.clone();
        next.json = json;
        next.openapi = openapi;
        current = Some(next);
    }
    Err(Error::Invalid(vec![Diagnostic::new(
        &spec.name,
        Location::File,
        format!(
            "progenitor still fails after {MAX_ROUNDS} schemas were loosened; change them with an overlay (`[output.fixes] overlays`)"
        ),
    )]))
}

impl Loosening {
    fn compromise(&self, spec: &LoadedSpec) -> Compromise {
        let what = if self.value {
            format!(
                "typify cannot type this schema ({}); it is `serde_json::Value`",
                self.message
            )
        } else {
            format!(
                "typify cannot type this schema ({}); it is typed without {}",
                self.message,
                self.dropped.join(" and ")
            )
        };
        Compromise {
            kind: CompromiseKind::LoosenedSchema,
            file: spec.name.clone(),
            location: schema_location(&self.name),
            what,
            exact: format!(
                "an overlay making `{}` a schema typify can type, or `[output.client.replace]` with a Rust type for it",
                self.name
            ),
        }
    }
}

/// The closest looser form of schema `name` that progenitor generates when
/// every other schema is blanked (so only this one is judged), and what it
/// leaves out (`{}` and `None` when no closer one does); and progenitor's
/// message on the schema alone.
fn looser(
    settings: &GenerationSettings,
    json: &Value,
    name: &str,
    schema: &Value,
) -> (Value, Option<String>, Option<String>) {
    let pointer = schema_pointer(name);
    let alone = |candidate: &Value| {
        let mut json = json.clone();
        if let Some(Value::Object(schemas)) = json.pointer_mut("/components/schemas") {
            for (other, s) in schemas.iter_mut() {
                *s = if other == name {
                    candidate.clone()
                } else {
                    Value::Object(Map::new())
                };
            }
        }
        debug_assert!(json.pointer(&pointer).is_some());
        json
    };
    let message = failure(settings, &alone(schema));
    let (looser, dropped) = candidates(schema)
        .into_iter()
        .find(|(candidate, _)| !fails(settings, &alone(candidate)))
        // Left with nothing, it is `serde_json::Value`, and said so.
        .map(|(candidate, dropped)| {
            let value = candidate == Value::Object(Map::new());
            (candidate, (!value).then_some(dropped))
        })
        .unwrap_or((Value::Object(Map::new()), None));
    (looser, dropped, message)
}

/// The schema with one thing typify may not handle left out, closest
/// first: a keyword, then one member of a composition.
fn candidates(schema: &Value) -> Vec<(Value, String)> {
    let Value::Object(map) = schema else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in ["format", "not", "default", "enum", "pattern"] {
        if let Some(value) = map.get(key) {
            let mut looser = map.clone();
            looser.remove(key);
            let shown = match value {
                Value::String(s) => format!("its `{key}: {s}`"),
                _ => format!("its `{key}`"),
            };
            out.push((Value::Object(looser), shown));
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        let Some(Value::Array(members)) = map.get(key) else {
            continue;
        };
        for i in 0..members.len() {
            let mut looser = map.clone();
            let mut rest = members.clone();
            rest.remove(i);
            if rest.is_empty() {
                looser.remove(key);
            } else {
                looser.insert(key.to_owned(), Value::Array(rest));
            }
            out.push((Value::Object(looser), format!("member {i} of its `{key}`")));
        }
    }
    out
}

/// A panic's first line (typify's `todo!` messages go on with the schema).
fn first_line(message: &str) -> String {
    message
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches([':', '(', '{', ' '])
        .to_owned()
}
