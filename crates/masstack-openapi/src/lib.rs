#![doc = include_str!("../README.md")]

pub mod bundle;
pub mod diagnostic;
pub mod examples;
pub mod json_schema;
pub mod load;
pub mod normalise;
pub mod operations;
pub mod positions;
pub mod provenance;
pub mod refs;
pub mod validate;
