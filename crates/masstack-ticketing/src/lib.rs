//! Typed client for the MasStack Ticketing API v2 (tickets, comments,
//! attachments, issue links, grids, AI summaries).
//!
//! [`types`], [`builder`], [`Client`]'s operation methods, [`Environment`]
//! and (with the `mock` and `cli` features) `mock` and `cli` are generated from
//! `spec/ticketing-v2.yaml` by `cargo xtask regenerate`. This file wires them
//! in and adds, by hand, auth and request hooks (from
//! `masstack-client-runtime`) and the attachment helpers.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use masstack_ticketing::types::{Comment, Ticket, TicketingProvider, TransitionRequest};
//! use masstack_ticketing::{Client, Environment};
//!
//! let client = Client::from_config(Environment::Staging.config().bearer_token("eyJhbGciOi…"))?;
//! let provider = TicketingProvider::Jam;
//!
//! // Create a ticket, then read it back.
//! let created = client
//!     .create_ticket()
//!     .org("yoigo")
//!     .ticketing_provider(provider)
//!     .body(
//!         Ticket::builder()
//!             .project(Some("INST".to_string()))
//!             .ticket_type(Some("Incidencia".to_string()))
//!             .summary(Some("Cita - Y28257924".to_string())),
//!     )
//!     .send()
//!     .await?
//!     .into_inner();
//! let key = created.key.expect("the API returns the new key");
//! let ticket = client
//!     .get_ticket()
//!     .org("yoigo")
//!     .ticket_id(&key)
//!     .ticketing_provider(provider)
//!     .send()
//!     .await?;
//! println!("{:?}", ticket.summary);
//!
//! // Move it through a transition, then comment on it.
//! client
//!     .transition_ticket()
//!     .org("yoigo")
//!     .ticket_id(&key)
//!     .ticketing_provider(provider)
//!     .body(TransitionRequest::builder().transition_id(21_i64))
//!     .send()
//!     .await?;
//! client
//!     .create_comment()
//!     .ticket_id(&key)
//!     .ticketing_provider(provider)
//!     .body(Comment::builder().body("Cliente contactado."))
//!     .send()
//!     .await?;
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
