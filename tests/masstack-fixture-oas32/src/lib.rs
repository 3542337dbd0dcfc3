#![doc = include_str!("../README.md")]

#[rustfmt::skip] // formatted by prettyplease at generation time
mod generated;
pub use generated::*;
