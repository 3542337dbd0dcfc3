//! The generated `mod.rs` of an output: it declares the generated files as
//! modules, re-exports the client, and, for a client wired to a run-time
//! crate, implements its hooks and re-exports its configuration types. The
//! crate's hand-written `lib.rs` only needs `mod generated; pub use
//! generated::*;` and whatever it adds by hand.

use proc_macro2::TokenStream;
use quote::quote;

use crate::load::LoadedSpec;
use crate::manifest::{Extra, FeatureStyle, Output};

/// Lints progenitor's output does not meet (it documents what the spec
/// describes, qualifies every path, writes one long function per CLI
/// command table), allowed where its modules are declared.
fn progenitor_allows() -> TokenStream {
    quote! { #[allow(missing_docs, unused_qualifications, rust_2018_idioms, clippy::all, clippy::pedantic)] }
}

/// The `mod.rs` tokens for `output`; `runtime` is its parsed run-time path.
pub fn generate(output: &Output, spec: &LoadedSpec, runtime: Option<&syn::Path>) -> TokenStream {
    let allows = progenitor_allows();
    let has = |extra: Extra| output.extras.contains(&extra);
    let title = spec.openapi.info.title.clone();
    let mut items = vec![quote! {
        #allows
        mod client;
        pub use client::*;

        /// The API's title, from the spec's `info.title`.
        pub const API_TITLE: &str = #title;
    }];
    if has(Extra::Environments) {
        items.push(quote! {
            /// The servers the spec documents.
            mod environments;
            pub use environments::Environment;
        });
    }
    // With per-tag features, what names types of every tag needs them all.
    let full = (output.features == FeatureStyle::PerTag).then(|| {
        let full = crate::tag_features::FULL;
        quote! { #[cfg(feature = #full)] }
    });
    if has(Extra::Examples) {
        items.push(quote! {
            /// The documented example payloads (`*Example` schemas) as typed values.
            #full
            pub mod examples;
        });
    }
    if has(Extra::Lifecycle) {
        items.push(quote! {
            /// The transaction table from the spec's `x-transactions`, as types.
            #full
            pub mod lifecycle;
        });
    }
    if has(Extra::Httpmock) {
        items.push(quote! {
            /// Typed httpmock helpers: `MockServerExt` adds one method per
            /// operation to `httpmock::MockServer`, for testing code that uses
            /// this client.
            #[cfg(feature = "mock")]
            #allows
            pub mod mock;
        });
    }
    if has(Extra::Cli) {
        items.push(quote! {
            /// progenitor's clap subcommands, one per operation, for a
            /// command-line tool to mount.
            #[cfg(feature = "cli")]
            #allows
            #[allow(unused)]
            pub mod cli;
        });
    }
    if let Some(runtime) = runtime {
        // HTTP bearer and basic need nothing from the spec; an API key needs
        // to know where it goes.
        let schemes = match api_key(&spec.json) {
            Some(("header", name)) => {
                let name = name.to_ascii_lowercase();
                quote! { ; #runtime::AuthSchemes { api_key: Some(#runtime::ApiKeyLocation::Header(#name)) } }
            }
            Some((_, name)) => {
                quote! { ; #runtime::AuthSchemes { api_key: Some(#runtime::ApiKeyLocation::Query(#name)) } }
            }
            None => quote! {},
        };
        let support = if has(Extra::Environments) {
            quote! { #runtime::client_support!(Client, Environment #schemes); }
        } else if schemes.is_empty() {
            quote! { #runtime::client_support!(Client); }
        } else {
            quote! { #runtime::client_support!(Client #schemes); }
        };
        items.push(quote! {
            pub use #runtime::{
                ClientConfig, ConfigError, ErrorDetails, Exchange, RetryPolicy, Token,
                TokenError, TokenSource, token_fn,
            };
            #support
        });
    }
    let doc = format!(
        " Everything generated from `{}`: the crate's `lib.rs` re-exports it.",
        output.spec
    );
    quote! {
        #![doc = #doc]
        #(#items)*
    }
}

/// The first `apiKey` security scheme in a header or the query: (`in`, name).
fn api_key(spec: &serde_json::Value) -> Option<(&str, &str)> {
    spec.pointer("/components/securitySchemes")?
        .as_object()?
        .values()
        .filter(|s| s.get("type").and_then(|t| t.as_str()) == Some("apiKey"))
        .find_map(|s| {
            let location = s.get("in")?.as_str()?;
            let name = s.get("name")?.as_str()?;
            matches!(location, "header" | "query").then_some((location, name))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::ClientSettings;

    fn module(spec: serde_json::Value, extras: Vec<Extra>) -> String {
        let spec = crate::load::parse("spec/x.json", &spec.to_string()).unwrap();
        let output = Output {
            name: "x".into(),
            spec: "spec/x.json".into(),
            crate_dir: "crates/x".into(),
            client: ClientSettings::default(),
            extras,
            lint: Default::default(),
            fixes: Default::default(),
            cli_name: None,
            strict: false,
            features: Default::default(),
        };
        let runtime: syn::Path = syn::parse_quote!(rt);
        generate(&output, &spec, Some(&runtime))
            .to_string()
            .split_whitespace()
            .collect()
    }

    fn spec(schemes: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "X", "version": "1"},
            "paths": {},
            "components": {"securitySchemes": schemes}
        })
    }

    #[test]
    fn an_api_key_scheme_tells_the_runtime_where_the_key_goes() {
        let header = module(
            spec(
                serde_json::json!({"key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}),
            ),
            vec![],
        );
        assert!(header.contains(r#"rt::client_support!(Client;rt::AuthSchemes{api_key:Some(rt::ApiKeyLocation::Header("x-api-key"))});"#), "{header}");
        let query = module(
            spec(serde_json::json!({"key": {"type": "apiKey", "in": "query", "name": "api_key"}})),
            vec![Extra::Environments],
        );
        assert!(query.contains(r#"rt::client_support!(Client,Environment;rt::AuthSchemes{api_key:Some(rt::ApiKeyLocation::Query("api_key"))});"#), "{query}");
        let bearer = module(
            spec(serde_json::json!({"b": {"type": "http", "scheme": "bearer"}})),
            vec![],
        );
        assert!(bearer.contains("rt::client_support!(Client);"), "{bearer}");
    }
}
