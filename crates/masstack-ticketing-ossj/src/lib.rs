#![doc = include_str!("../README.md")]

#[rustfmt::skip] // formatted by prettyplease at generation time
mod generated;
pub use generated::*;

pub mod attachments;
pub mod transition;

pub use transition::{Actor, ApplyError, Refused, TransactionBody};
