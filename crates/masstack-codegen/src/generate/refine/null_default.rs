//! With the manifest's `decode` setting, fields with a plain
//! `#[serde(default)]` also read `null` as absent, through the decode
//! module's `null_as_default` (servers send `null` for empty arrays).

use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Meta, Token, parse_quote};

use super::derives::{derives, path_text, unparsed};
use super::report::{Problem, Rewrites, ShapeError};

/// Rewrites the defaulted fields of every deserialized struct; counts them
/// per struct (a struct without such fields is not listed).
pub fn apply(file: &mut syn::File, decode: &syn::Path) -> Result<Rewrites, ShapeError> {
    let function = format!("{}::null_as_default", path_text(decode));
    let mut pass = NullAsDefault {
        function,
        rewrites: Rewrites::new("null_as_default", "type"),
        error: None,
    };
    pass.visit_file_mut(file);
    match pass.error {
        Some(error) => Err(error),
        None => Ok(pass.rewrites),
    }
}

struct NullAsDefault {
    /// `rt::decode::null_as_default`, as `deserialize_with` names it.
    function: String,
    rewrites: Rewrites,
    error: Option<ShapeError>,
}

impl VisitMut for NullAsDefault {
    fn visit_item_struct_mut(&mut self, node: &mut syn::ItemStruct) {
        let name = node.ident.to_string();
        let mut count = 0;
        let result = derives(&node.attrs, "Deserialize").and_then(|deserialized| {
            if deserialized {
                for field in node.fields.iter_mut() {
                    count += self.rewrite(&mut field.attrs)?;
                }
            }
            Ok(())
        });
        match result {
            Err(problem) if self.error.is_none() => {
                self.error = Some(self.rewrites.fail(name, problem));
            }
            _ if count > 0 => self.rewrites.add(&name, count),
            _ => {}
        }
        visit_mut::visit_item_struct_mut(self, node);
    }
}

impl NullAsDefault {
    /// `#[serde(default, …)]` gains `deserialize_with = "…::null_as_default"`
    /// unless it already says how to read the field; 1 when it did.
    fn rewrite(&self, attrs: &mut [Attribute]) -> Result<usize, Problem> {
        let mut count = 0;
        for attr in attrs.iter_mut().filter(|a| a.path().is_ident("serde")) {
            let mut metas = attr
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .map_err(|_| unparsed(attr))?;
            let plain_default = metas
                .iter()
                .any(|m| matches!(m, Meta::Path(p) if p.is_ident("default")));
            let reads_itself = metas
                .iter()
                .any(|m| m.path().is_ident("with") || m.path().is_ident("deserialize_with"));
            if plain_default && !reads_itself {
                let function = &self.function;
                metas.push(parse_quote!(deserialize_with = #function));
                *attr = parse_quote!(#[serde(#metas)]);
                count += 1;
            }
        }
        Ok(count)
    }
}
