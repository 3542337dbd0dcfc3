//! Stage 3: spec -> token streams, one per generated file.

pub mod cli_mount;
pub mod client;
pub mod environments;
pub mod example_fn;
pub mod example_values;
pub mod lifecycle;
pub mod module;
pub mod open_enums;
pub mod panic_guard;
pub mod refine;
pub mod rust_value;
