//! The per-status enums the adapt stage planned
//! ([`crate::adapt::status_enums`]), written into progenitor's `types`
//! module: one variant per documented status, holding its body. They
//! serialize as the body they hold (the CLI prints them, httpmock sends
//! them), and are `#[non_exhaustive]`: documenting a status is not a
//! breaking change for callers, who match with a wildcard.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::report::{Problem, Rewrites, ShapeError};
use crate::adapt::status_enums::{Body, Plans, StatusEnum};

/// Adds every planned enum to `pub mod types`; each variant's body type
/// must be one typify generated (`data_types`) or a path of the manifest.
pub fn apply(
    file: &mut syn::File,
    plans: &Plans,
    data_types: &std::collections::BTreeSet<String>,
    schema_derive: Option<&(syn::Path, Option<String>)>,
) -> Result<Rewrites, ShapeError> {
    let mut rewrites = Rewrites::new("status_enums", "type");
    let enums: Vec<&StatusEnum> = plans
        .values()
        .flat_map(|p| p.success.iter().chain(&p.error))
        .collect();
    if enums.is_empty() {
        return Ok(rewrites);
    }
    let mut items = Vec::new();
    for status_enum in enums {
        for variant in &status_enum.variants {
            if let Body::Json(path) = &variant.body
                && let Some(name) = path.strip_prefix("types::")
                && !data_types.contains(name)
            {
                return Err(rewrites.fail(&status_enum.name, Problem::NoVariantType(path.clone())));
            }
        }
        items.push(
            definition(status_enum, schema_derive)
                .map_err(|problem| rewrites.fail(&status_enum.name, problem))?,
        );
        rewrites.add(&status_enum.name, 1);
    }
    let types = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut(),
        _ => None,
    });
    let Some((_, content)) = types else {
        return Err(rewrites.fail("types", Problem::NoTypesModule));
    };
    content.extend(items);
    Ok(rewrites)
}

fn definition(
    status_enum: &StatusEnum,
    schema_derive: Option<&(syn::Path, Option<String>)>,
) -> Result<syn::Item, Problem> {
    let name = format_ident!("{}", status_enum.name);
    let mut variants = Vec::new();
    for variant in &status_enum.variants {
        let ident = format_ident!("{}", variant.name);
        let doc = if variant.description.is_empty() {
            format!("`{}`", variant.documented)
        } else {
            format!("`{}`: {}", variant.documented, variant.description)
        };
        let payload = match &variant.body {
            Body::Json(path) => {
                let inner = path.strip_prefix("types::").unwrap_or(path);
                let ty: syn::Type =
                    syn::parse_str(inner).map_err(|_| Problem::NoVariantType(path.clone()))?;
                quote!((#ty))
            }
            Body::Bytes => quote!((::std::vec::Vec<u8>)),
            Body::Empty => TokenStream::new(),
        };
        variants.push(quote! {
            #[doc = #doc]
            #ident #payload
        });
    }
    let schema = match schema_derive {
        Some((path, Some(feature))) => quote!(#[cfg_attr(feature = #feature, derive(#path))]),
        Some((path, None)) => quote!(#[derive(#path)]),
        None => TokenStream::new(),
    };
    let doc = format!(
        "What `{}` answered, by documented status: each variant holds that status's body.",
        status_enum.operation
    );
    Ok(syn::parse_quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, ::serde::Serialize)]
        #schema
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants,)*
        }
    })
}
