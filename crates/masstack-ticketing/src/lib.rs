#![doc = include_str!("../README.md")]

#[rustfmt::skip] // formatted by prettyplease at generation time
#[allow(missing_docs, unused_qualifications, rust_2018_idioms)] // progenitor documents only what the spec describes
#[path = "generated/client.rs"]
mod client;

#[rustfmt::skip] // formatted by prettyplease at generation time
#[path = "generated/environments.rs"]
mod environments;

/// Typed httpmock helpers: `MockServerExt` adds one method per operation to
/// `httpmock::MockServer`, for testing code that uses this client.
#[cfg(feature = "mock")]
#[allow(clippy::all)] // progenitor's output, not ours to restyle
#[rustfmt::skip] // formatted by prettyplease at generation time
#[allow(missing_docs, unused_qualifications, rust_2018_idioms)] // progenitor documents only what the spec describes
#[path = "generated/mock.rs"]
pub mod mock;

/// progenitor's clap subcommands, one per operation; the `ticketing`
/// binary (crate `masstack-ticketing-cli`) mounts them.
#[cfg(feature = "cli")]
#[allow(clippy::all, unused)] // progenitor's output, not ours to restyle
#[rustfmt::skip] // formatted by prettyplease at generation time
#[allow(missing_docs, unused_qualifications, rust_2018_idioms)] // progenitor documents only what the spec describes
#[path = "generated/cli.rs"]
pub mod cli;

pub mod attachments;

pub use client::*;
pub use environments::Environment;
pub use masstack_client_runtime::{
    ClientConfig, ConfigError, ErrorDetails, Exchange, Open, RetryPolicy, Token, TokenError,
    TokenSource, token_fn,
};

masstack_client_runtime::client_support!(Client, Environment);
