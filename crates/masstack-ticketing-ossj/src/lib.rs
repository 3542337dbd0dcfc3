//! Typed client for the MasStack Ticketing OSSJ Trouble Ticket API, and the
//! published example payloads as typed values.
//!
//! [`types`], [`builder`], [`Client`]'s operation methods and [`examples`]
//! are generated from `spec/ticketing-ossj.yaml` by `cargo xtask regenerate`;
//! this file wires the generated modules in, and [`transition`] (hand-written)
//! applies lifecycle transactions, refusing before any request those that
//! [`lifecycle`] forbids for the ticket's state or the caller's role.
//!
//! ```no_run
//! # async fn demo() -> Result<(), masstack_ticketing_ossj::ApplyError> {
//! use masstack_ticketing_ossj::lifecycle::{Role, Transaction};
//! use masstack_ticketing_ossj::{Client, TransactionBody, examples};
//!
//! # let token = String::new();
//! let client = Client::from_config(masstack_ticketing_ossj::Environment::Staging.config().bearer_token(token))
//!     .expect("a valid configuration");
//! let ticket = client.acting_as(Role::Tu).create(examples::trouble_ticket_create()).await?;
//! // The TO asks for more information: allowed from OPENACTIVE.
//! let ticket = client
//!     .acting_as(Role::To)
//!     .apply(&ticket, Transaction::To05, TransactionBody::dialog("¿Número de serie de la ONT?"))
//!     .await?;
//! assert_eq!(ticket.base_trouble_ticket_state.to_string(), "DEFERRED.AWAITING-INFORMATION");
//! # Ok(())
//! # }
//! ```

#[rustfmt::skip] // formatted by prettyplease at generation time
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
#[path = "generated/mock.rs"]
pub mod mock;

/// progenitor's clap subcommands, one per operation; the `ticketing`
/// binary (crate `masstack-ticketing-cli`) mounts them.
#[cfg(feature = "cli")]
#[allow(clippy::all, unused)] // progenitor's output, not ours to restyle
#[rustfmt::skip] // formatted by prettyplease at generation time
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

/// The documented example payloads (`*Example` schemas) as typed values.
#[rustfmt::skip] // formatted by prettyplease at generation time
#[path = "generated/examples.rs"]
pub mod examples;

/// The TU/TO transaction table from the spec's `x-transactions`, as types.
#[rustfmt::skip] // formatted by prettyplease at generation time
#[path = "generated/lifecycle.rs"]
pub mod lifecycle;

pub mod transition;

pub use transition::{Actor, ApplyError, Refused, TransactionBody};
