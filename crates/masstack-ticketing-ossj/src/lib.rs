//! Typed client for the MasStack Ticketing OSSJ Trouble Ticket API, and the
//! published example payloads as typed values.
//!
//! [`types`], [`builder`], [`Client`]'s operation methods and [`examples`]
//! are generated from `spec/ticketing-ossj.yaml` by `cargo xtask regenerate`;
//! this file only wires the generated modules in.

#[path = "generated/client.rs"]
mod client;

pub use client::*;

/// The documented example payloads (`*Example` schemas) as typed values.
#[path = "generated/examples.rs"]
pub mod examples;
