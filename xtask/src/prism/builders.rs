//! What a generated client offers for each operation, read from its source
//! (`src/generated/client.rs`): the `Client` method that starts the
//! builder, and the type each setter of the builder converts into.

use std::collections::BTreeMap;

use quote::ToTokens;

/// One operation's builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Builder {
    /// The `Client` method returning it (`list_pets`).
    pub method: String,
    /// Setter name -> the type its value converts into (`i32`,
    /// `types::PetKind`), as Rust source.
    pub setters: BTreeMap<String, String>,
}

/// The builders of a generated client, by the spec's operationId (which the
/// generated `send` names in its `OperationInfo`).
pub fn read(source: &str) -> Result<BTreeMap<String, Builder>, String> {
    let file = syn::parse_file(source).map_err(|e| format!("not Rust: {e}"))?;
    let methods = client_methods(&file.items);
    let builder_items = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, i)| i),
            _ => None,
        })
        .ok_or("no `pub mod builder` (is it a builder-style client?)")?;
    let mut builders = BTreeMap::new();
    for item in builder_items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(name) = self_name(&block.self_ty) else {
            continue;
        };
        let Some(method) = methods.get(&name) else {
            continue;
        };
        let mut setters = BTreeMap::new();
        let mut operation_id = None;
        for item in &block.items {
            let syn::ImplItem::Fn(f) = item else {
                continue;
            };
            if f.sig.ident == "send" {
                operation_id = operation_info_id(&f.block);
            } else if let Some(ty) = setter_type(&f.sig) {
                setters.insert(f.sig.ident.to_string(), ty);
            }
        }
        if let Some(id) = operation_id {
            builders.insert(
                id,
                Builder {
                    method: method.clone(),
                    setters,
                },
            );
        }
    }
    Ok(builders)
}

/// `impl Client { pub fn list_pets(&self) -> builder::ListPets<'_> }`:
/// builder struct name -> method name.
fn client_methods(items: &[syn::Item]) -> BTreeMap<String, String> {
    let mut methods = BTreeMap::new();
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || self_name(&block.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for item in &block.items {
            let syn::ImplItem::Fn(f) = item else {
                continue;
            };
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                continue;
            };
            let syn::Type::Path(path) = &**ty else {
                continue;
            };
            let segments: Vec<String> = path
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if let [module, name] = segments.as_slice()
                && module == "builder"
            {
                methods.insert(name.clone(), f.sig.ident.to_string());
            }
        }
    }
    methods
}

fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `fn limit<V>(mut self, value: V) -> Self where V: std::convert::TryInto<T>`: `T`.
fn setter_type(sig: &syn::Signature) -> Option<String> {
    let clause = sig.generics.where_clause.as_ref()?;
    clause.predicates.iter().find_map(|p| {
        let syn::WherePredicate::Type(p) = p else {
            return None;
        };
        p.bounds.iter().find_map(|b| {
            let syn::TypeParamBound::Trait(t) = b else {
                return None;
            };
            let last = t.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            match args.args.first()? {
                syn::GenericArgument::Type(ty) => Some(ty.to_token_stream().to_string()),
                _ => None,
            }
        })
    })
}

/// `let info = OperationInfo { operation_id: "listPets" };` in `send`.
fn operation_info_id(block: &syn::Block) -> Option<String> {
    block.stmts.iter().find_map(|stmt| {
        let syn::Stmt::Local(local) = stmt else {
            return None;
        };
        let syn::Expr::Struct(s) = &*local.init.as_ref()?.expr else {
            return None;
        };
        if s.path.segments.last()?.ident != "OperationInfo" {
            return None;
        }
        s.fields
            .iter()
            .find_map(|field| match (&field.member, &field.expr) {
                (
                    syn::Member::Named(name),
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(lit),
                        ..
                    }),
                ) if name == "operation_id" => Some(lit.value()),
                _ => None,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: &str = r#"
        pub struct Client;
        impl Client {
            pub fn list_pets(&self) -> builder::ListPets<'_> { builder::ListPets::new(self) }
        }
        pub mod builder {
            pub struct ListPets<'a> { client: &'a super::Client }
            impl<'a> ListPets<'a> {
                pub fn limit<V>(mut self, value: V) -> Self
                where
                    V: std::convert::TryInto<::std::num::NonZeroU32>,
                { self }
                pub fn kind<V>(mut self, value: V) -> Self
                where
                    V: std::convert::TryInto<types::PetKind>,
                { self }
                pub fn body_map<F>(mut self, f: F) -> Self where F: FnOnce(u8) -> u8 { self }
                pub async fn send(self) -> Result<(), ()> {
                    let info = OperationInfo { operation_id: "listPets" };
                    Ok(())
                }
            }
        }
    "#;

    #[test]
    fn reads_methods_setters_and_operation_ids() {
        let builders = read(CLIENT).unwrap();
        let pets = &builders["listPets"];
        assert_eq!(pets.method, "list_pets");
        assert_eq!(
            pets.setters.keys().collect::<Vec<_>>(),
            ["kind", "limit"],
            "body_map is not a setter"
        );
        assert_eq!(pets.setters["kind"], "types :: PetKind");
        assert_eq!(pets.setters["limit"], ":: std :: num :: NonZeroU32");
    }

    #[test]
    fn a_client_without_builders_is_an_error() {
        assert!(read("pub struct Client;").is_err());
    }
}
