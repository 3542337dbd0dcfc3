//! The names of the `examples` module's functions: the `examples` extra
//! defines them and the `lifecycle` extra calls them, so both take the
//! name from here.

use heck::ToSnakeCase;
use quote::format_ident;

/// The name of the function returning a schema's example.
pub fn function_name(schema: &str) -> proc_macro2::Ident {
    format_ident!("{}", schema.to_snake_case())
}
