//! The `Environment` enum: one variant per server in the spec, with its
//! base URL. The naming rule, in order:
//!
//! 1. the server's `x-environment` extension, if it has one;
//! 2. its `description`, in snake case, when that is one to three words
//!    (`staging`, `Production server`);
//! 3. the first label of its host (`api` for `https://api.example.com`);
//!
//! and, as the fallback for a name already taken or empty, `server_<n>` by
//! position. Server variables take their `default` values. Relative server
//! URLs (`/v1`) name no environment: a client needs a whole base URL. A spec
//! with no usable server gets an `Environment` with no variants; its
//! clients are configured with a base URL.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::load::LoadedSpec;

/// One documented server: its name, its URL without a trailing `/`, and
/// its URL as resolved.
type Server = (String, String, String);

/// The `Environment` enum from the spec's `servers`.
pub fn generate(spec: &LoadedSpec, non_exhaustive: bool) -> Result<TokenStream, Error> {
    let envs = servers(spec)?;

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
    let unknown = if keys.is_empty() {
        "unknown environment `{}`; the spec documents no server: give a base URL".to_owned()
    } else {
        format!("unknown environment `{{}}`; expected one of: {list}")
    };
    let non_exhaustive = non_exhaustive.then(|| quote! { #[non_exhaustive] });
    Ok(quote! {
        /// A server the spec documents.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #non_exhaustive
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

/// The spec's absolute servers, each named by the naming rule above.
fn servers(spec: &LoadedSpec) -> Result<Vec<Server>, Error> {
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
        let Some(url) = server_url(server) else {
            problems.push(Diagnostic::at_pointer(
                &spec.name,
                &pointer,
                "a server variable has no `default`: give it one (with an overlay if the spec is not yours)",
            ));
            continue;
        };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            continue;
        }
        let explicit = server.get("x-environment").and_then(Value::as_str);
        let described = server
            .get("description")
            .and_then(Value::as_str)
            .filter(|d| (1..=3).contains(&d.split_whitespace().count()));
        let host = url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':', '.']).next());
        let mut key = explicit
            .or(described)
            .or(host)
            .map(|n| n.to_snake_case())
            .unwrap_or_default();
        let usable = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if !usable || seen.contains(&key) {
            key = format!("server_{}", i + 1);
        }
        seen.insert(key.clone());
        envs.push((key, url.trim_end_matches('/').to_owned(), url));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(envs)
}

/// The server's URL with its variables' default values.
fn server_url(server: &Value) -> Option<String> {
    let mut url = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let variables = server.get("variables").and_then(Value::as_object);
    for (name, variable) in variables.into_iter().flatten() {
        let default = variable.get("default").and_then(Value::as_str)?;
        url = url.replace(&format!("{{{name}}}"), default);
    }
    (!url.contains('{')).then_some(url)
}
