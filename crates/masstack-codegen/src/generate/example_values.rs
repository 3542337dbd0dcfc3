//! For each `*Example` schema: a function that returns its documented
//! example as a typed value. The value is emitted as Rust expressions built
//! from the example JSON at generation time; nothing is parsed as JSON at run
//! time.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use typify::TypeSpace;

use crate::diagnostic::{Diagnostic, join};
use crate::error::Error;
use crate::generate::example_fn::function_name;
use crate::generate::rust_value::{find_type, value_of};
use crate::load::LoadedSpec;
use crate::transactions::Transactions;

/// Generates the examples module: a function for every `*Example` schema,
/// and for every schema a transaction of the lifecycle names as its example.
pub fn generate(
    spec: &LoadedSpec,
    transactions: Option<&Transactions>,
    types: &TypeSpace,
) -> Result<TokenStream, Error> {
    let schemas = spec
        .json
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut functions = Vec::new();
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let named = transactions.map(Transactions::example_schemas);
    let wanted =
        |name: &str| name.ends_with("Example") || named.as_ref().is_some_and(|n| n.contains(&name));
    for (name, schema) in schemas.into_iter().flatten().filter(|(n, _)| wanted(n)) {
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
            Err(e) => match e.into_error(&spec.name) {
                Error::Invalid(found) => problems.extend(found),
                internal => return Err(internal),
            },
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
