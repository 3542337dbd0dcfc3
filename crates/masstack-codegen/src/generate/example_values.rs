//! For each `*Example` schema: a function that returns its documented
//! example as a typed value. The value is emitted as Rust expressions built
//! from the example JSON at generation time; nothing is parsed as JSON at run
//! time.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use typify::TypeSpace;

use crate::diagnostic::{Diagnostic, join};
use crate::error::Error;
use crate::generate::rust_value::{find_type, value_of};
use crate::load::LoadedSpec;

/// The schemas that get an example function: every `*Example` schema, and
/// every schema a transaction of `x-transactions` names as its example.
pub fn example_schemas(spec: &Value) -> Vec<String> {
    let transactions = crate::generate::lifecycle::transaction_examples(spec);
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    schemas
        .into_iter()
        .flatten()
        .map(|(n, _)| n.clone())
        .filter(|n| n.ends_with("Example") || transactions.contains(n))
        .collect()
}

/// The name of the function returning a schema's example.
pub fn function_name(schema: &str) -> proc_macro2::Ident {
    format_ident!("{}", schema.to_snake_case())
}

/// Generates the examples module (see [`example_schemas`]).
pub fn generate(spec: &LoadedSpec, types: &TypeSpace) -> Result<TokenStream, Error> {
    let schemas = spec
        .json
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut functions = Vec::new();
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let wanted = example_schemas(&spec.json);
    for (name, schema) in schemas
        .into_iter()
        .flatten()
        .filter(|(n, _)| wanted.contains(n))
    {
        let pointer = join("#/components/schemas", name);
        let Some(example) = schema.get("example") else {
            problems.push(Diagnostic::at_pointer(
                &spec.name,
                &pointer,
                "this schema needs an `example` (it is an `*Example` schema or a transaction's example)",
            ));
            continue;
        };
        let Some(ty) = find_type(types, name) else {
            problems.push(Diagnostic::at_pointer(
                &spec.name,
                &pointer,
                "progenitor generated no type for this schema",
            ));
            continue;
        };
        let ty_ident = ty.ident();
        match value_of(types, ty, example, &join(&pointer, "example")) {
            Ok(expr) => {
                let fn_name = function_name(name);
                let doc = format!(" The published example of `{name}`, as a typed value.");
                // A blank doc line, then the schema's description, if any.
                let description: Vec<String> = schema
                    .get("description")
                    .and_then(Value::as_str)
                    .map(|d| {
                        std::iter::once(String::new())
                            .chain(d.lines().map(|l| format!(" {l}")))
                            .collect()
                    })
                    .unwrap_or_default();
                functions.push(quote! {
                    #[doc = #doc]
                    #(#[doc = #description])*
                    pub fn #fn_name() -> #ty_ident {
                        #expr
                    }
                });
                entries.push(quote! {
                    Example {
                        schema: #name,
                        json: || ::serde_json::to_value(#fn_name()).expect("a generated example serializes"),
                        reparse: |json| {
                            let typed: #ty_ident = ::serde_json::from_value(json)?;
                            ::serde_json::to_value(typed)
                        },
                    }
                });
            }
            Err(d) => problems.push(Diagnostic::at_pointer(&spec.name, &d.0, d.1)),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(quote! {
        #[allow(unused_imports)]
        use crate::types;

        #(#functions)*

        /// One published example, reachable without naming its type.
        #[derive(Debug, Clone, Copy)]
        pub struct Example {
            /// The schema's name in `components/schemas`.
            pub schema: &'static str,
            /// Builds the typed example and serializes it.
            pub json: fn() -> ::serde_json::Value,
            /// Parses JSON into the schema's type and serializes it again.
            pub reparse: fn(::serde_json::Value) -> ::serde_json::Result<::serde_json::Value>,
        }

        /// Every example, sorted by schema name.
        pub const ALL: &[Example] = &[#(#entries),*];
    })
}
