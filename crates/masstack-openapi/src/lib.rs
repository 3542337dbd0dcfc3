#![doc = include_str!("../README.md")]

pub mod diagnostic;
pub mod examples;
pub mod json_schema;
pub mod load;
pub mod operations;
pub mod positions;
pub mod refs;
