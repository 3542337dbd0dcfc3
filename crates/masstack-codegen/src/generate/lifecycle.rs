//! The ticket lifecycle from the spec's `x-transactions` table: a
//! `Transaction` enum with each transaction's code, role, names, allowed
//! starting states, resulting state and example payload, and the state-flow
//! diagram (Mermaid) in its docs. Nobody copies the table into Rust by hand.
//!
//! Everything comes from the spec's extensions:
//! - `x-lifecycle: {states: <schema>}` names the string enum of the states;
//! - `x-roles`: the roles (`id`, `name`, `description`), one `Role` variant each;
//! - `x-transactions`: each with `id`, `role` (an `x-roles` id), `name_es`,
//!   `name_en`, `from` (states), `to` (a state, or null for "unchanged"),
//!   `example` (schema name or null), `operation` (operationId or null).

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use typify::TypeSpace;

use crate::diagnostic::{Diagnostic, join};
use crate::error::Error;
use crate::generate::example_values::function_name;
use crate::generate::rust_value::{find_type, value_of};
use crate::load::LoadedSpec;

/// `x-lifecycle.states`: the schema holding the states.
fn state_schema(spec: &LoadedSpec, problems: &mut Vec<Diagnostic>) -> String {
    match spec
        .json
        .pointer("/x-lifecycle/states")
        .and_then(Value::as_str)
    {
        Some(name) => name.to_owned(),
        None => {
            problems.push(Diagnostic::at_pointer(
                &spec.name,
                "#/x-lifecycle",
                "the lifecycle extra needs `x-lifecycle: {states: <schema>}` naming the string enum of the states",
            ));
            String::new()
        }
    }
}

/// One role of `x-roles`.
struct RoleEntry<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
}

fn roles<'a>(spec: &'a LoadedSpec, problems: &mut Vec<Diagnostic>) -> Vec<RoleEntry<'a>> {
    let list = spec.json.get("x-roles").and_then(Value::as_array);
    let roles: Vec<RoleEntry<'a>> = list
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, r)| {
            let text = |k: &str| r.get(k).and_then(Value::as_str);
            match (text("id"), text("name")) {
                (Some(id), Some(name))
                    if id.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) =>
                {
                    Some(RoleEntry {
                        id,
                        name,
                        description: text("description").unwrap_or_default(),
                    })
                }
                _ => {
                    problems.push(Diagnostic::at_pointer(
                        &spec.name,
                        &format!("#/x-roles/{i}"),
                        "a role needs a string `id` (starting with a letter) and `name`",
                    ));
                    None
                }
            }
        })
        .collect();
    if list.is_none() {
        problems.push(Diagnostic::at_pointer(
            &spec.name,
            "#/x-roles",
            "the lifecycle extra needs `x-roles`: the roles that send transactions (`id`, `name`, `description`)",
        ));
    }
    roles
}

struct Entry<'a> {
    pointer: String,
    id: &'a str,
    role: &'a str,
    name_es: &'a str,
    name_en: &'a str,
    from: Vec<&'a str>,
    to: Option<&'a str>,
    example: Option<&'a str>,
    operation: Option<&'a str>,
}

/// Example schemas named by the table.
pub fn transaction_examples(spec: &Value) -> Vec<String> {
    spec.get("x-transactions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("example").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

fn entries<'a>(
    spec: &'a LoadedSpec,
    state_schema: &str,
    role_ids: &[&str],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Entry<'a>> {
    let Some(table) = spec.json.get("x-transactions").and_then(Value::as_array) else {
        problems.push(Diagnostic::at_pointer(
            &spec.name,
            "#/x-transactions",
            "the lifecycle extra needs an `x-transactions` list",
        ));
        return Vec::new();
    };
    let states: Vec<&str> = spec
        .json
        .pointer(&format!("/components/schemas/{state_schema}/enum"))
        .and_then(Value::as_array)
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if states.is_empty() && !state_schema.is_empty() {
        problems.push(Diagnostic::at_pointer(
            &spec.name,
            &join("#/components/schemas", state_schema),
            "`x-lifecycle.states` names this schema: it must be a string enum of the states",
        ));
    }
    let schemas = spec.json.pointer("/components/schemas");
    let op_ids: Vec<&str> = masstack_openapi::operations::operations(&spec.json)
        .iter()
        .filter_map(|o| o.id())
        .collect();

    let mut out = Vec::new();
    for (i, t) in table.iter().enumerate() {
        let pointer = format!("#/x-transactions/{i}");
        let mut bad = |field: Option<&str>, message: String| {
            let at = field.map_or_else(|| pointer.clone(), |f| join(&pointer, f));
            problems.push(Diagnostic::at_pointer(&spec.name, &at, message));
        };
        let text = |field: &str| t.get(field).and_then(Value::as_str);
        let (Some(id), Some(role), Some(name_es), Some(name_en)) =
            (text("id"), text("role"), text("name_es"), text("name_en"))
        else {
            bad(
                None,
                "needs string `id`, `role`, `name_es` and `name_en`".into(),
            );
            continue;
        };
        if !role_ids.contains(&role) {
            bad(
                Some("role"),
                format!(
                    "role `{role}` is not one of `x-roles` ({})",
                    role_ids.join(", ")
                ),
            );
        }
        let from: Vec<&str> = t
            .get("from")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for state in from.iter().chain(text("to").iter()) {
            if !states.contains(state) {
                bad(None, format!("`{state}` is not a state of {state_schema}"));
            }
        }
        let example = text("example");
        if let Some(e) = example
            && schemas.and_then(|s| s.get(e)).is_none()
        {
            bad(
                Some("example"),
                format!("example schema `{e}` does not exist"),
            );
        }
        let operation = text("operation");
        if let Some(op) = operation
            && !op_ids.contains(&op)
        {
            bad(
                Some("operation"),
                format!("operation `{op}` does not exist"),
            );
        }
        out.push(Entry {
            pointer,
            id,
            role,
            name_es,
            name_en,
            from,
            to: text("to"),
            example,
            operation,
        });
    }
    let mut ids: Vec<&str> = out.iter().map(|e| e.id).collect();
    ids.sort();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        problems.push(Diagnostic::at_pointer(
            &spec.name,
            "#/x-transactions",
            format!("transaction `{}` is listed twice", w[0]),
        ));
    }
    out
}

/// `TU01` -> `Tu01`; `TO-RECEIVES` -> `ToReceives`.
/// A role's variant: its id in upper camel case (`TU` -> `Tu`).
fn role_variant(id: &str) -> proc_macro2::Ident {
    format_ident!("{}", id.to_upper_camel_case())
}

fn variant(id: &str) -> proc_macro2::Ident {
    format_ident!("{}", id.to_lowercase().to_upper_camel_case())
}

/// Mermaid wants plain identifiers; the states have dots and dashes.
fn mermaid_id(state: &str) -> String {
    state.replace(['.', '-'], "_")
}

fn mermaid(entries: &[Entry<'_>], states: &[&str]) -> Vec<String> {
    let mut lines = vec!["```mermaid".to_owned(), "stateDiagram-v2".to_owned()];
    for s in states {
        lines.push(format!("    state \"{s}\" as {}", mermaid_id(s)));
    }
    for e in entries {
        let label = format!("{} {}", e.id, e.name_en);
        let targets: Vec<(String, String)> = match e.to {
            Some(to) if e.from.is_empty() => vec![("[*]".into(), mermaid_id(to))],
            Some(to) => e
                .from
                .iter()
                .map(|f| (mermaid_id(f), mermaid_id(to)))
                .collect(),
            None => e
                .from
                .iter()
                .map(|f| (mermaid_id(f), mermaid_id(f)))
                .collect(),
        };
        for (from, to) in targets {
            lines.push(format!("    {from} --> {to}: {label}"));
        }
    }
    lines.push("```".to_owned());
    lines
}

/// The `lifecycle` module from the spec's `x-transactions` table.
pub fn generate(spec: &LoadedSpec, types: &TypeSpace) -> Result<TokenStream, Error> {
    let mut problems = Vec::new();
    let state_schema = state_schema(spec, &mut problems);
    let roles = roles(spec, &mut problems);
    let role_ids: Vec<&str> = roles.iter().map(|r| r.id).collect();
    let entries = entries(spec, &state_schema, &role_ids, &mut problems);
    let state_type = find_type(types, &state_schema);
    if state_type.is_none() && !state_schema.is_empty() {
        problems.push(Diagnostic::at_pointer(
            &spec.name,
            &join("#/components/schemas", &state_schema),
            "progenitor generated no type for the states",
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let state_type = state_type.expect("checked above");
    let state_ident = state_type.ident();
    let state = |s: &str, at: &str| {
        let ty = find_type(types, &state_schema).expect("checked above");
        value_of(types, ty, &Value::String(s.to_owned()), at)
            .map_err(|(p, m)| Diagnostic::at_pointer(&spec.name, &p, m))
    };

    let mut variants = Vec::new();
    let mut arms = ArmSet::default();
    for e in &entries {
        let v = variant(e.id);
        let doc = format!(" {}: {} ({}).", e.id, e.name_es, e.name_en);
        let effect = match e.to {
            Some(to) => format!(" Sent by the {}; the ticket ends in `{to}`.", e.role),
            None => format!(
                " Sent by the {}; the ticket's state does not change.",
                e.role
            ),
        };
        variants.push(quote! { #[doc = #doc] #[doc = ""] #[doc = #effect] #v });
        let (id, es, en) = (e.id, e.name_es, e.name_en);
        arms.code.push(quote! { Self::#v => #id });
        arms.parse.push(quote! { #id => Ok(Self::#v) });
        arms.name_es.push(quote! { Self::#v => #es });
        arms.name_en.push(quote! { Self::#v => #en });
        let role = role_variant(e.role);
        arms.role.push(quote! { Self::#v => Role::#role });
        let from = e
            .from
            .iter()
            .map(|s| state(s, &join(&e.pointer, "from")))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|d| Error::Invalid(vec![d]))?;
        arms.from.push(quote! { Self::#v => &[#(#from),*] });
        let to = match e.to {
            Some(s) => {
                let s = state(s, &join(&e.pointer, "to")).map_err(|d| Error::Invalid(vec![d]))?;
                quote! { Some(#s) }
            }
            None => quote! { None },
        };
        arms.to.push(quote! { Self::#v => #to });
        let operation = match e.operation {
            Some(op) => quote! { Some(#op) },
            None => quote! { None },
        };
        arms.operation.push(quote! { Self::#v => #operation });
        let payload = match e.example {
            Some(name) => {
                let f = function_name(name);
                let payload_variant = format_ident!("{}", name.to_upper_camel_case());
                quote! { Some(ExamplePayload::#payload_variant(crate::examples::#f())) }
            }
            None => quote! { None },
        };
        arms.payload.push(quote! { Self::#v => #payload });
    }

    // One payload variant per distinct example schema.
    let mut payload_schemas: Vec<&str> = entries.iter().filter_map(|e| e.example).collect();
    payload_schemas.sort();
    payload_schemas.dedup();
    let mut payload_variants = Vec::new();
    let mut payload_to_json = Vec::new();
    for name in &payload_schemas {
        let ty = find_type(types, name).ok_or_else(|| {
            Error::Invalid(vec![Diagnostic::at_pointer(
                &spec.name,
                &join("#/components/schemas", name),
                "progenitor generated no type for this schema",
            )])
        })?;
        let ty = ty.ident();
        let v = format_ident!("{}", name.to_upper_camel_case());
        let doc = format!(" The `{name}` example.");
        payload_variants.push(quote! { #[doc = #doc] #v(#ty) });
        payload_to_json.push(quote! { Self::#v(value) => ::serde_json::to_value(value) });
    }

    let all: Vec<_> = entries.iter().map(|e| variant(e.id)).collect();
    let states: Vec<&str> = spec
        .json
        .pointer(&format!("/components/schemas/{state_schema}/enum"))
        .and_then(Value::as_array)
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let role_variants: Vec<_> = roles.iter().map(|r| role_variant(r.id)).collect();
    let role_docs = roles.iter().map(|r| {
        let description = r
            .description
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        format!(" {}: {description}", r.name)
    });
    let role_ids: Vec<&str> = roles.iter().map(|r| r.id).collect();
    let role_list = role_ids.join(", ");
    let unknown_role = format!("unknown role `{{s}}`; expected one of: {role_list}");
    let code_doc = format!(" The role's id: one of {role_list}.");
    let diagram = mermaid(&entries, &states)
        .into_iter()
        .map(|l| format!(" {l}"));
    let ArmSet {
        code,
        parse,
        name_es,
        name_en,
        role,
        from,
        to,
        operation,
        payload,
    } = arms;

    Ok(quote! {
        use crate::types;

        /// Who sends a transaction (the spec's `x-roles`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Role {
            #(#[doc = #role_docs] #role_variants,)*
        }

        impl Role {
            /// Every role, in the spec's order.
            pub const ALL: &'static [Role] = &[#(Self::#role_variants),*];

            #[doc = #code_doc]
            pub fn code(self) -> &'static str {
                match self {
                    #(Self::#role_variants => #role_ids,)*
                }
            }
        }

        impl ::std::str::FromStr for Role {
            type Err = ::std::string::String;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|r| r.code() == s)
                    .ok_or_else(|| format!(#unknown_role))
            }
        }

        impl ::std::fmt::Display for Role {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        /// The transactions of the trouble-ticket lifecycle, from the spec's
        /// `x-transactions` table.
        ///
        /// State flow (each arrow is a transaction):
        ///
        #(#[doc = #diagram])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Transaction {
            #(#variants,)*
        }

        /// A transaction's example payload, typed.
        // Built once per call from static data; boxing would only cost readability.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum ExamplePayload {
            #(#payload_variants,)*
        }

        impl ExamplePayload {
            /// The payload as JSON, as it goes on the wire.
            pub fn to_json(&self) -> ::serde_json::Result<::serde_json::Value> {
                match self {
                    #(#payload_to_json,)*
                }
            }
        }

        impl Transaction {
            /// Every transaction, in table order.
            pub const ALL: &'static [Transaction] = &[#(Self::#all),*];

            /// The transaction's code, e.g. `"TO02"`.
            pub fn code(self) -> &'static str {
                match self { #(#code,)* }
            }

            /// The Spanish name, as published.
            pub fn name_es(self) -> &'static str {
                match self { #(#name_es,)* }
            }

            /// The English name, as published.
            pub fn name_en(self) -> &'static str {
                match self { #(#name_en,)* }
            }

            /// Who may send it.
            pub fn role(self) -> Role {
                match self { #(#role,)* }
            }

            /// The states a ticket may be in for this transaction; empty for
            /// the one that creates the ticket.
            pub fn from_states(self) -> &'static [#state_ident] {
                match self { #(#from,)* }
            }

            /// The state the ticket ends in; `None` when it does not change.
            pub fn resulting_state(self) -> Option<#state_ident> {
                match self { #(#to,)* }
            }

            /// The operation that carries it; `None` for a transaction with
            /// no request of its own.
            pub fn operation_id(self) -> Option<&'static str> {
                match self { #(#operation,)* }
            }

            /// Its published example payload, typed.
            pub fn example_payload(self) -> Option<ExamplePayload> {
                match self { #(#payload,)* }
            }

            /// Whether it may be sent from `state`.
            pub fn allowed_from(self, state: #state_ident) -> bool {
                self.from_states().contains(&state)
            }

        }

        impl ::std::fmt::Display for Transaction {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        /// The code is not one of the table's.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct UnknownTransaction(pub String);

        impl ::std::fmt::Display for UnknownTransaction {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "unknown transaction code `{}`", self.0)
            }
        }

        impl ::std::error::Error for UnknownTransaction {}

        impl ::std::str::FromStr for Transaction {
            type Err = UnknownTransaction;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    #(#parse,)*
                    other => Err(UnknownTransaction(other.to_owned())),
                }
            }
        }
    })
}

#[derive(Default)]
struct ArmSet {
    code: Vec<TokenStream>,
    parse: Vec<TokenStream>,
    name_es: Vec<TokenStream>,
    name_en: Vec<TokenStream>,
    role: Vec<TokenStream>,
    from: Vec<TokenStream>,
    to: Vec<TokenStream>,
    operation: Vec<TokenStream>,
    payload: Vec<TokenStream>,
}
