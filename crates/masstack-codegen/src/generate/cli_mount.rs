//! The list of APIs the command-line crate mounts (`[cli]` in the
//! manifest): every output with the `cli` extra, under its `cli_name`. The
//! crate's hand-written `mount!` macro turns the list into subcommands.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::manifest::{Extra, Manifest};

/// `apis.rs`: one `"name" => crate` line per mounted output.
pub fn generate(manifest: &Manifest) -> TokenStream {
    let entries = mounted(manifest).map(|(name, krate)| {
        let krate = format_ident!("{}", krate.replace('-', "_"));
        quote! { #name => #krate, }
    });
    quote! {
        //! The APIs `ticketing` mounts: every output of the manifest with the
        //! `cli` extra, under its `cli_name`.
        crate::mount! {
            #(#entries)*
        }
    }
}

/// (subcommand, package) of every output with the `cli` extra.
pub fn mounted(manifest: &Manifest) -> impl Iterator<Item = (&str, &str)> {
    manifest
        .outputs
        .iter()
        .filter(|o| o.extras.contains(&Extra::Cli))
        .map(|o| (o.cli_name(), o.crate_name()))
}
