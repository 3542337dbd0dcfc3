//! The spec's lifecycle ([`Transactions`]): parsed, then checked against
//! the rest of the spec, so that the `lifecycle` and `examples` extras
//! generate from a table whose every state, role, operation and example
//! schema exists.

use serde_json::Value;

use crate::diagnostic::{Diagnostic, join};
use crate::load::LoadedSpec;
use crate::transactions::{Role, Transaction, Transactions};
use masstack_openapi::operations::operations;

/// The lifecycle, if the spec declares one, and every problem with it.
pub fn check(spec: &LoadedSpec) -> (Option<Transactions>, Vec<Diagnostic>) {
    let model = match Transactions::parse(spec) {
        Ok(Some(model)) => model,
        Ok(None) => return (None, Vec::new()),
        Err(problems) => return (None, problems),
    };
    let mut out = Vec::new();
    states(spec, &model, &mut out);
    roles(&spec.name, &model.roles, &mut out);
    let context = Context::new(spec, &model);
    for (i, t) in model.list.iter().enumerate() {
        transaction(&context, t, &mut out);
        unique(&spec.name, &model.list[..i], t, &mut out);
    }
    (Some(model), out)
}

/// What a transaction may name.
struct Context<'a> {
    file: &'a str,
    model: &'a Transactions,
    schemas: Option<&'a serde_json::Map<String, Value>>,
    /// Each operationId and whether its operation takes a request body.
    operations: Vec<(&'a str, bool)>,
}

impl<'a> Context<'a> {
    /// A problem with `t`'s `key`.
    fn problem(&self, t: &Transaction, key: &str, message: String) -> Diagnostic {
        Diagnostic::at_pointer(self.file, &join(&t.pointer, key), message)
    }

    fn new(spec: &'a LoadedSpec, model: &'a Transactions) -> Self {
        Self {
            file: &spec.name,
            model,
            schemas: spec
                .json
                .pointer("/components/schemas")
                .and_then(Value::as_object),
            operations: operations(&spec.json)
                .iter()
                .filter_map(|o| Some((o.id()?, o.operation.get("requestBody").is_some())))
                .collect(),
        }
    }
}

/// `x-lifecycle.states` names a string enum.
fn states(spec: &LoadedSpec, model: &Transactions, out: &mut Vec<Diagnostic>) {
    if model.states.is_empty() {
        out.push(Diagnostic::at_pointer(
            &spec.name,
            "#/x-lifecycle/states",
            format!(
                "`{}` is not a string enum in `components/schemas`: name the schema whose `enum` lists the states",
                model.state_schema
            ),
        ));
    }
}

/// Role ids become Rust names: they start with a letter and are unique.
fn roles(file: &str, roles: &[Role], out: &mut Vec<Diagnostic>) {
    for (i, role) in roles.iter().enumerate() {
        let at = join(&format!("#/x-roles/{i}"), "id");
        if !starts_with_letter(&role.id) {
            out.push(Diagnostic::at_pointer(
                file,
                &at,
                format!(
                    "role id `{}` must start with a letter (it becomes a Rust variant name)",
                    role.id
                ),
            ));
        }
        if roles[..i].iter().any(|r| r.id == role.id) {
            out.push(Diagnostic::at_pointer(
                file,
                &at,
                format!(
                    "role `{}` is listed twice: give each role its own id",
                    role.id
                ),
            ));
        }
    }
}

fn starts_with_letter(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
}

/// One transaction's code, role, states, example and operation.
fn transaction(cx: &Context<'_>, t: &Transaction, out: &mut Vec<Diagnostic>) {
    let mut bad = |key: &str, message: String| out.push(cx.problem(t, key, message));
    if !starts_with_letter(&t.id) {
        bad(
            "id",
            format!(
                "transaction code `{}` must start with a letter (it becomes a Rust variant name)",
                t.id
            ),
        );
    }
    if !cx.model.roles.iter().any(|r| r.id == t.role) {
        let ids: Vec<&str> = cx.model.roles.iter().map(|r| r.id.as_str()).collect();
        bad(
            "role",
            format!(
                "role `{}` is not one of `x-roles` ({}): use one of them, or add the role",
                t.role,
                ids.join(", ")
            ),
        );
    }
    known_states(cx, t, out);
    example(cx, t, out);
}

/// Each state it starts from or ends in is one of the states.
fn known_states(cx: &Context<'_>, t: &Transaction, out: &mut Vec<Diagnostic>) {
    // Without states, `states` has already said so once.
    if cx.model.states.is_empty() {
        return;
    }
    let from = t
        .from
        .iter()
        .enumerate()
        .map(|(k, s)| (format!("from/{k}"), s));
    let to = t.to.iter().map(|s| ("to".to_owned(), s));
    for (key, state) in from.chain(to) {
        if !cx.model.states.contains(state) {
            let message = format!(
                "`{state}` is not a state of `{}` ({}): use one of its `enum` values",
                cx.model.state_schema,
                cx.model.states.join(", ")
            );
            // `from/0` is two segments: joined as they are.
            out.push(Diagnostic::at_pointer(
                cx.file,
                &format!("{}/{key}", t.pointer),
                message,
            ));
        }
    }
}

/// The example schema exists and holds an example; a transaction whose
/// operation takes a body names one.
fn example(cx: &Context<'_>, t: &Transaction, out: &mut Vec<Diagnostic>) {
    let mut bad = |key: &str, message: String| out.push(cx.problem(t, key, message));
    let takes_body = match &t.operation {
        None => false,
        Some(op) => match cx.operations.iter().find(|(id, _)| id == op) {
            Some((_, body)) => *body,
            None => {
                bad(
                    "operation",
                    format!(
                        "operation `{op}` does not exist: name an operationId of the spec, or `null` when no request carries the transaction"
                    ),
                );
                false
            }
        },
    };
    match &t.example {
        None if takes_body => bad(
            "example",
            format!(
                "`{}` carries a request body ({}) but names no example schema: name the schema in `components/schemas` holding its example payload",
                t.id,
                t.operation.as_deref().unwrap_or_default()
            ),
        ),
        None => {}
        Some(name) => match cx.schemas.and_then(|s| s.get(name)) {
            None => bad(
                "example",
                format!(
                    "example schema `{name}` does not exist in `components/schemas`: add it, or name an existing one"
                ),
            ),
            Some(schema) if schema.get("example").is_none() => bad(
                "example",
                format!(
                    "example schema `{name}` has no `example`: give it one ({}), it is the transaction's payload",
                    join(&join("#/components/schemas", name), "example")
                ),
            ),
            Some(_) => {}
        },
    }
}

/// Codes are unique, also ignoring case and punctuation: each becomes a
/// Rust variant (`TU-01` and `tu01` would both be `Tu01`).
fn unique(file: &str, before: &[Transaction], t: &Transaction, out: &mut Vec<Diagnostic>) {
    let key = |id: &str| -> String {
        id.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    if let Some(first) = before.iter().find(|b| key(&b.id) == key(&t.id)) {
        out.push(Diagnostic::at_pointer(
            file,
            &join(&t.pointer, "id"),
            format!(
                "transaction `{}` repeats `{}` ({}): give each transaction its own code (case and punctuation aside)",
                t.id, first.id, first.pointer
            ),
        ));
    }
}

#[cfg(test)]
mod tests;
