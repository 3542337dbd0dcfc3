//! The `Environment` enum: one variant per server in the spec, named by the
//! server's description (`staging`, `production`), with its base URL.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::load::LoadedSpec;

/// The `Environment` enum from the spec's `servers`.
pub fn generate(spec: &LoadedSpec) -> Result<TokenStream, Error> {
    let servers = spec
        .json
        .get("servers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let mut envs = Vec::new();
    for (i, server) in servers.iter().enumerate() {
        let pointer = format!("#/servers/{i}");
        let url = server.get("url").and_then(Value::as_str).unwrap_or("");
        let Some(name) = server.get("description").and_then(Value::as_str) else {
            problems.push(Diagnostic::at_pointer(
                &spec.name,
                &pointer,
                "a server needs a `description` (`staging`, `production`) to name its environment",
            ));
            continue;
        };
        let key = name.to_snake_case();
        if url.contains('{') {
            problems.push(Diagnostic::at_pointer(
                &spec.name,
                &pointer,
                "server variables are not supported: give each environment its own server",
            ));
        }
        if !seen.insert(key.clone()) {
            problems.push(Diagnostic::at_pointer(
                &spec.name,
                &pointer,
                format!("a second server named `{name}`"),
            ));
        }
        envs.push((key, url.trim_end_matches('/').to_owned(), url.to_owned()));
    }
    if envs.is_empty() {
        problems.push(Diagnostic::at_pointer(
            &spec.name,
            "#/servers",
            "the `environments` extra needs at least one server",
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }

    let variants: Vec<_> = envs
        .iter()
        .map(|(key, ..)| format_ident!("{}", key.to_upper_camel_case()))
        .collect();
    let docs = envs
        .iter()
        .map(|(key, _, url)| format!(" `{key}`: `{url}`."));
    let keys: Vec<_> = envs.iter().map(|(key, ..)| key).collect();
    let urls = envs.iter().map(|(_, url, _)| url);
    let list = keys
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let unknown = format!("unknown environment `{{}}`; expected one of: {list}");
    Ok(quote! {
        /// A server the spec documents.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Environment {
            #(#[doc = #docs] #variants,)*
        }

        impl Environment {
            /// Every documented environment, in spec order.
            pub const ALL: &'static [Environment] = &[#(Self::#variants),*];

            /// The name used on command lines and in configuration.
            pub fn name(self) -> &'static str {
                match self {
                    #(Self::#variants => #keys,)*
                }
            }

            /// The server URL, without a trailing `/` (operation paths
            /// start with one).
            pub fn base_url(self) -> &'static str {
                match self {
                    #(Self::#variants => #urls,)*
                }
            }
        }

        impl ::std::fmt::Display for Environment {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl ::std::str::FromStr for Environment {
            type Err = ::std::string::String;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|e| e.name() == s)
                    .ok_or_else(|| format!(#unknown, s))
            }
        }
    })
}
