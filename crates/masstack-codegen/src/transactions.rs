//! The ticket lifecycle a spec declares in three extensions, typed:
//! `x-lifecycle: {states: <schema>}` names the string enum of the states,
//! `x-roles` the parties that send transactions, and `x-transactions` the
//! table of transactions (code, role, names, starting and resulting
//! states, example schema, operation).
//!
//! Parsed once, in the lint stage ([`crate::lint`]), which also checks that
//! every state, role, operation and example schema it names exists; the
//! `lifecycle` and `examples` extras read this model, not the JSON.

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, escape_segment};
use crate::load::LoadedSpec;
use masstack_openapi::load::deserialize_at;

/// The spec's lifecycle: its states, roles and transactions.
#[derive(Debug, Clone, PartialEq)]
pub struct Transactions {
    /// The schema `x-lifecycle.states` names.
    pub state_schema: String,
    /// That schema's `enum`, in the spec's order (empty when it is not a
    /// string enum, which lint reports).
    pub states: Vec<String>,
    /// `x-roles`, in the spec's order.
    pub roles: Vec<Role>,
    /// `x-transactions`, in table order.
    pub list: Vec<Transaction>,
}

/// One party that sends transactions (an entry of `x-roles`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Its code, e.g. `TU`.
    pub id: String,
    /// Its name, e.g. `Territory User`.
    pub name: String,
    /// What it does.
    #[serde(default)]
    pub description: String,
}

/// One transaction (an entry of `x-transactions`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    /// Its code, e.g. `TU01`.
    pub id: String,
    /// The `x-roles` id of who sends it.
    pub role: String,
    /// The Spanish name, as published.
    pub name_es: String,
    /// The English name, as published.
    pub name_en: String,
    /// The states it may start from; empty for the one creating the ticket.
    #[serde(default)]
    pub from: Vec<String>,
    /// The state it leaves the ticket in; `None` when the state does not change.
    pub to: Option<String>,
    /// The schema (in `components/schemas`) holding its example payload.
    pub example: Option<String>,
    /// The operationId of the request that carries it; `None` when no
    /// request is involved.
    pub operation: Option<String>,
    /// Whether the spec supplied facts the published reference lacks.
    #[serde(default)]
    pub inferred: bool,
    /// What was supplied, when `inferred`.
    #[serde(default)]
    pub inferred_reason: Option<String>,
    /// Its JSON pointer (`#/x-transactions/3`), for messages.
    #[serde(skip)]
    pub pointer: String,
}

/// The three extensions as written; each absent one is `None`.
#[derive(Deserialize)]
struct Extensions {
    #[serde(rename = "x-lifecycle")]
    lifecycle: Option<StatesRef>,
    #[serde(rename = "x-roles")]
    roles: Option<Vec<Role>>,
    #[serde(rename = "x-transactions")]
    transactions: Option<Vec<Transaction>>,
}

/// `x-lifecycle`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatesRef {
    states: String,
}

impl Transactions {
    /// The spec's lifecycle; `Ok(None)` when it declares none of the three
    /// extensions. An extension of the wrong shape, or one missing while
    /// another is present, is a located diagnostic.
    pub fn parse(spec: &LoadedSpec) -> Result<Option<Self>, Vec<Diagnostic>> {
        let found: Extensions = deserialize_at(&spec.json).map_err(|e| {
            vec![Diagnostic::at_pointer(
                &spec.name,
                &e.pointer,
                format!(
                    "{}; see the spec's description of `x-lifecycle`, `x-roles` and `x-transactions`",
                    e.message
                ),
            )]
        })?;
        let (lifecycle, roles, list) = match (found.lifecycle, found.roles, found.transactions) {
            (None, None, None) => return Ok(None),
            (Some(l), Some(r), Some(t)) => (l, r, t),
            (l, r, t) => return Err(missing(&spec.name, l.is_none(), r.is_none(), t.is_none())),
        };
        let states = spec
            .json
            .pointer(&format!(
                "/components/schemas/{}/enum",
                escape_segment(&lifecycle.states)
            ))
            .and_then(Value::as_array)
            .map(|v| {
                v.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let list = list
            .into_iter()
            .enumerate()
            .map(|(i, t)| Transaction {
                pointer: format!("#/x-transactions/{i}"),
                ..t
            })
            .collect();
        Ok(Some(Self {
            state_schema: lifecycle.states,
            states,
            roles,
            list,
        }))
    }

    /// The lifecycle an extra needs: one located diagnostic per extension
    /// when the spec declares none.
    pub fn required<'a>(file: &str, found: Option<&'a Self>) -> Result<&'a Self, Vec<Diagnostic>> {
        found.ok_or_else(|| missing(file, true, true, true))
    }

    /// The example schemas the transactions name, each once, in table order.
    pub fn example_schemas(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for name in self.list.iter().filter_map(|t| t.example.as_deref()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }
}

/// The lifecycle is declared in part: one diagnostic per missing extension.
fn missing(file: &str, lifecycle: bool, roles: bool, transactions: bool) -> Vec<Diagnostic> {
    [
        (lifecycle, "#/x-lifecycle", "`x-lifecycle: {states: <schema>}` naming the string enum of the states"),
        (roles, "#/x-roles", "`x-roles`: the roles that send transactions (`id`, `name`, `description`)"),
        (transactions, "#/x-transactions", "an `x-transactions` list"),
    ]
    .into_iter()
    .filter(|(absent, _, _)| *absent)
    .map(|(_, pointer, what)| {
        Diagnostic::at_pointer(
            file,
            pointer,
            format!("the lifecycle needs {what}: add it (or, without a lifecycle, remove the other lifecycle extensions and the `lifecycle` extra)"),
        )
    })
    .collect()
}
