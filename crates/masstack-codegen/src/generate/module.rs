//! The generated `mod.rs` of an output: it declares the generated files as
//! modules, re-exports the client, and, for a client wired to a run-time
//! crate, implements its hooks and re-exports its configuration types. The
//! crate's hand-written `lib.rs` only needs `mod generated; pub use
//! generated::*;` and whatever it adds by hand.

use proc_macro2::TokenStream;
use quote::quote;

use crate::load::LoadedSpec;
use crate::manifest::{Extra, Output};

/// Lints progenitor's output does not meet (it documents what the spec
/// describes, qualifies every path), allowed where its modules are declared.
fn progenitor_allows() -> TokenStream {
    quote! { #[allow(missing_docs, unused_qualifications, rust_2018_idioms, clippy::all)] }
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
    if has(Extra::Examples) {
        items.push(quote! {
            /// The documented example payloads (`*Example` schemas) as typed values.
            pub mod examples;
        });
    }
    if has(Extra::Lifecycle) {
        items.push(quote! {
            /// The transaction table from the spec's `x-transactions`, as types.
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
        let support = if has(Extra::Environments) {
            quote! { #runtime::client_support!(Client, Environment); }
        } else {
            quote! { #runtime::client_support!(Client); }
        };
        items.push(quote! {
            pub use #runtime::{
                ClientConfig, ConfigError, ErrorDetails, Exchange, Open, RetryPolicy, Token,
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
