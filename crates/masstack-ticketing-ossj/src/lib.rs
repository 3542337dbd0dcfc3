//! Typed client for the MasStack Ticketing OSSJ Trouble Ticket API, and the
//! published example payloads as typed values.
//!
//! [`types`], [`builder`], [`Client`]'s operation methods and [`examples`]
//! are generated from `spec/ticketing-ossj.yaml` by `cargo xtask regenerate`;
//! this file only wires the generated modules in.

#[rustfmt::skip] // formatted by prettyplease at generation time
#[path = "generated/client.rs"]
mod client;

pub use client::*;

/// The documented example payloads (`*Example` schemas) as typed values.
#[rustfmt::skip] // formatted by prettyplease at generation time
#[path = "generated/examples.rs"]
pub mod examples;

/// The TU/TO transaction table from the spec's `x-transactions`, as types.
#[rustfmt::skip] // formatted by prettyplease at generation time
#[path = "generated/lifecycle.rs"]
pub mod lifecycle;
