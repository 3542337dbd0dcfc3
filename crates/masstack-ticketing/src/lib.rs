//! Typed client for the MasStack Ticketing API v2 (tickets, comments,
//! attachments, issue links, grids, AI summaries).
//!
//! Everything in [`types`], [`builder`] and [`Client`]'s operation methods is
//! generated from `spec/ticketing-v2.yaml` by `cargo xtask regenerate`;
//! this file only wires the generated module in.

#[rustfmt::skip] // formatted by prettyplease at generation time
#[path = "generated/client.rs"]
mod client;

pub use client::*;
