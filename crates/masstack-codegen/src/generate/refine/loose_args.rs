//! Parameters whose type the CLI and the httpmock helpers cannot handle as
//! progenitor writes them, given the closest looser form that compiles:
//!
//! - CLI (`cli_args`): `::clap::value_parser!(T)` needs `T: FromStr` (or
//!   clap's own traits); a `oneOf`, an array or an integer `enum` has none.
//!   The argument is read as JSON of `T` instead (a bare word as a JSON
//!   string, so `--id abc` still reads a string variant);
//! - httpmock (`mock_params`): a parameter is matched by its
//!   `value.to_string()`, which needs `Display`: it is matched by its JSON
//!   text instead (a string as itself). A body or response value passed by
//!   value (a `Copy` type, `()`) is passed by reference, as
//!   `json_body_obj` takes it.
//!
//! Each loosened parameter is returned, for the output's summary.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, parse_quote};

use super::operation_info::method_name;
use super::report::{Problem, Rewrites, ShapeError};

/// Where a parameter was loosened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Site {
    /// The CLI's option.
    Cli,
    /// The httpmock helper's matcher.
    Mock,
}

/// One parameter given a looser form than its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loosened {
    /// The CLI or the mock.
    pub site: Site,
    /// The spec's operationId.
    pub operation: String,
    /// The option (CLI, kebab-case) or helper method (mock).
    pub parameter: String,
    /// The parameter's Rust type, as progenitor wrote it.
    pub ty: String,
}

/// Whether values of `ty` lack a trait that the named types of `with` and
/// the std types below have (`FromStr` for clap, `Display` for httpmock):
/// a named type of the `types` module has it when typify says so; a std
/// collection, tuple or slice never does; other std and crate types
/// (strings, numbers, `Uuid`, dates) do.
fn lacks(ty: &syn::Type, with: &BTreeSet<String>) -> bool {
    match ty {
        syn::Type::Reference(r) => lacks(&r.elem, with),
        syn::Type::Paren(p) => lacks(&p.elem, with),
        syn::Type::Path(p) => {
            let segments: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let Some(last) = segments.last() else {
                return true;
            };
            if segments.iter().any(|s| s == "types") {
                return !with.contains(last);
            }
            const COLLECTIONS: [&str; 7] = [
                "Vec", "HashMap", "BTreeMap", "HashSet", "BTreeSet", "Map", "Option",
            ];
            COLLECTIONS.contains(&last.as_str())
        }
        _ => true,
    }
}

fn text(tokens: &impl ToTokens) -> String {
    tokens.to_token_stream().to_string()
}

/// A type as messages show it: the referenced type, without spaces or
/// leading `::` (`std::vec::Vec<std::string::String>`).
fn type_text(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Reference(r) => type_text(&r.elem),
        _ => text(ty)
            .replace(' ', "")
            .replace("<::", "<")
            .replace(",::", ", ")
            .trim_start_matches("::")
            .to_owned(),
    }
}

/// The CLI pass: every `value_parser!(T)` whose `T` lacks `FromStr`
/// becomes a JSON parser of `T`.
pub fn apply_cli(
    file: &mut syn::File,
    operation_ids: &[String],
    from_str: &BTreeSet<String>,
) -> Result<(Rewrites, Vec<Loosened>), ShapeError> {
    let by_method: BTreeMap<String, String> = operation_ids
        .iter()
        .map(|id| (method_name(id), id.clone()))
        .collect();
    let mut pass = CliArgs {
        by_method,
        from_str,
        operation: None,
        rewrites: Rewrites::new("cli_args", "operation"),
        loosened: Vec::new(),
        error: None,
    };
    pass.visit_file_mut(file);
    if let Some(error) = pass.error {
        return Err(error);
    }
    pass.rewrites
        .require(operation_ids, || Problem::NoCliMethod)?;
    Ok((pass.rewrites, pass.loosened))
}

struct CliArgs<'a> {
    by_method: BTreeMap<String, String>,
    from_str: &'a BTreeSet<String>,
    /// The operationId of the visited `cli_*` method.
    operation: Option<String>,
    rewrites: Rewrites,
    loosened: Vec<Loosened>,
    error: Option<ShapeError>,
}

impl VisitMut for CliArgs<'_> {
    fn visit_impl_item_fn_mut(&mut self, node: &mut syn::ImplItemFn) {
        let name = node.sig.ident.to_string();
        self.operation = name
            .strip_prefix("cli_")
            .and_then(|m| self.by_method.get(m).cloned());
        if let Some(id) = &self.operation {
            self.rewrites.add(id, 0);
        }
        visit_mut::visit_impl_item_fn_mut(self, node);
        self.operation = None;
    }

    fn visit_expr_method_call_mut(&mut self, node: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, node);
        let Some(id) = self.operation.clone() else {
            return;
        };
        if node.method != "value_parser" {
            return;
        }
        let Some(Expr::Macro(parser)) = node.args.first_mut() else {
            return;
        };
        if parser
            .mac
            .path
            .segments
            .last()
            .is_none_or(|s| s.ident != "value_parser")
        {
            return;
        }
        let ty: syn::Type = match parser.mac.parse_body() {
            Ok(ty) => ty,
            Err(_) => {
                let problem = Problem::UnparsedCode(text(&parser.mac));
                self.error.get_or_insert(self.rewrites.fail(&id, problem));
                return;
            }
        };
        if !lacks(&ty, self.from_str) {
            return;
        }
        let Some(option) = super::cli::root_arg_id(&node.receiver) else {
            let problem = Problem::UnparsedCode(text(&node.receiver));
            self.error.get_or_insert(self.rewrites.fail(&id, problem));
            return;
        };
        node.args[0] = parse_quote! {
            |s: &str| -> ::std::result::Result<#ty, ::std::string::String> {
                ::serde_json::from_str::<#ty>(s)
                    .or_else(|_| ::serde_json::from_value::<#ty>(
                        ::serde_json::Value::String(s.to_owned()),
                    ))
                    .map_err(|e| format!("expected JSON for this option's type: {e}"))
            }
        };
        self.rewrites.add(&id, 1);
        self.loosened.push(Loosened {
            site: Site::Cli,
            operation: id,
            parameter: format!("--{option}"),
            ty: type_text(&ty),
        });
    }
}

/// The httpmock pass: `value.to_string()` of a parameter whose type lacks
/// `Display` becomes its JSON text, and `json_body_obj(value)` of a value
/// taken by value takes a reference.
pub fn apply_mock(
    file: &mut syn::File,
    operation_ids: &[String],
    display: &BTreeSet<String>,
) -> Result<(Rewrites, Vec<Loosened>), ShapeError> {
    let by_type: BTreeMap<String, String> = operation_ids
        .iter()
        .flat_map(|id| {
            let pascal = method_name(id).to_upper_camel_case();
            [
                (format!("{pascal}When"), id.clone()),
                (format!("{pascal}Then"), id.clone()),
            ]
        })
        .collect();
    let mut pass = MockParams {
        by_type,
        display,
        operation: None,
        value_type: None,
        rewrites: Rewrites::new("mock_params", "operation"),
        loosened: Vec::new(),
        error: None,
    };
    pass.visit_file_mut(file);
    if let Some(error) = pass.error {
        return Err(error);
    }
    // progenitor names the helpers after the operation: a name that
    // matches none is a naming rule this pass no longer follows.
    pass.rewrites
        .require(operation_ids, || Problem::NoMockImpl)?;
    Ok((pass.rewrites, pass.loosened))
}

struct MockParams<'a> {
    /// `GetThingWhen` / `GetThingThen` -> its operationId.
    by_type: BTreeMap<String, String>,
    display: &'a BTreeSet<String>,
    /// The operationId of the visited `impl …When` / `impl …Then`.
    operation: Option<String>,
    /// The type of the visited method's `value` (for `T: Into<Option<X>>`,
    /// `X`), and the method's name.
    value_type: Option<(syn::Type, String)>,
    rewrites: Rewrites,
    loosened: Vec<Loosened>,
    error: Option<ShapeError>,
}

impl VisitMut for MockParams<'_> {
    fn visit_item_impl_mut(&mut self, node: &mut syn::ItemImpl) {
        let name = match &*node.self_ty {
            syn::Type::Path(p) if node.trait_.is_none() => {
                p.path.get_ident().map(ToString::to_string)
            }
            _ => None,
        };
        self.operation = name.and_then(|n| self.by_type.get(&n).cloned());
        if let Some(id) = &self.operation {
            self.rewrites.add(id, 0);
        }
        visit_mut::visit_item_impl_mut(self, node);
        self.operation = None;
    }

    fn visit_impl_item_fn_mut(&mut self, node: &mut syn::ImplItemFn) {
        self.value_type = value_type(&node.sig).map(|ty| (ty, node.sig.ident.to_string()));
        visit_mut::visit_impl_item_fn_mut(self, node);
        self.value_type = None;
    }

    fn visit_expr_method_call_mut(&mut self, node: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, node);
        let Some(id) = self.operation.clone() else {
            return;
        };
        let is_value = |e: &Expr| matches!(e, Expr::Path(p) if p.path.is_ident("value"));
        let takes_value = node.args.len() == 1 && is_value(&node.args[0]);
        let to_string =
            node.method == "to_string" && node.args.is_empty() && is_value(&node.receiver);
        if !(to_string || (node.method == "json_body_obj" && takes_value)) {
            return;
        }
        let Some((ty, method)) = self.value_type.clone() else {
            let problem = Problem::UnparsedCode(text(node));
            self.error.get_or_insert(self.rewrites.fail(&id, problem));
            return;
        };
        if node.method == "json_body_obj" {
            if !matches!(ty, syn::Type::Reference(_)) {
                node.args[0] = parse_quote!(&value);
                self.rewrites.add(&id, 1);
            }
            return;
        }
        if !lacks(&ty, self.display) {
            return;
        }
        // The JSON text (a string as itself), then `.to_string()` as before.
        *node.receiver = parse_quote! {
            (match ::serde_json::to_value(&value).unwrap_or_default() {
                ::serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
        };
        self.rewrites.add(&id, 1);
        self.loosened.push(Loosened {
            site: Site::Mock,
            operation: id,
            parameter: method,
            ty: type_text(&ty),
        });
    }
}

/// The type of a method's `value` parameter: `value: X`, or `value: T`
/// with `T: Into<Option<X>>`.
fn value_type(sig: &syn::Signature) -> Option<syn::Type> {
    let ty = sig.inputs.iter().find_map(|input| match input {
        syn::FnArg::Typed(t) if matches!(&*t.pat, syn::Pat::Ident(i) if i.ident == "value") => {
            Some((*t.ty).clone())
        }
        _ => None,
    })?;
    let syn::Type::Path(generic) = &ty else {
        return Some(ty);
    };
    let Some(generic) = generic.path.get_ident() else {
        return Some(ty);
    };
    let bounds = sig
        .generics
        .where_clause
        .iter()
        .flat_map(|w| &w.predicates)
        .filter_map(|p| match p {
            syn::WherePredicate::Type(t)
                if matches!(&t.bounded_ty, syn::Type::Path(p) if p.path.is_ident(generic)) =>
            {
                Some(&t.bounds)
            }
            _ => None,
        })
        .flatten();
    for bound in bounds {
        // `Into<Option<X>>` -> `X`.
        let syn::TypeParamBound::Trait(bound) = bound else {
            continue;
        };
        let into = bound.path.segments.last()?;
        let syn::PathArguments::AngleBracketed(args) = &into.arguments else {
            continue;
        };
        let Some(syn::GenericArgument::Type(syn::Type::Path(option))) = args.args.first() else {
            continue;
        };
        let option = option.path.segments.last()?;
        if let syn::PathArguments::AngleBracketed(args) = &option.arguments
            && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
        {
            return Some(inner.clone());
        }
    }
    Some(ty)
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    fn cli(code: TokenStream, from_str: &[&str]) -> Result<(String, Vec<Loosened>), ShapeError> {
        let mut file: syn::File = syn::parse2(code).unwrap();
        let (_, loosened) = apply_cli(&mut file, &["getThing".into()], &set(from_str))?;
        Ok((prettyplease::unparse(&file), loosened))
    }

    fn mock(code: TokenStream, display: &[&str]) -> Result<(String, Vec<Loosened>), ShapeError> {
        let mut file: syn::File = syn::parse2(code).unwrap();
        let (_, loosened) = apply_mock(&mut file, &["getThing".into()], &set(display))?;
        Ok((prettyplease::unparse(&file), loosened))
    }

    #[test]
    fn cli_options_without_from_str_read_json() {
        let (out, loosened) = cli(
            quote! {
                impl Cli {
                    pub fn cli_get_thing() -> ::clap::Command {
                        ::clap::Command::new("")
                            .arg(::clap::Arg::new("id").value_parser(::clap::value_parser!(types::ThingId)))
                            .arg(::clap::Arg::new("tags").value_parser(::clap::value_parser!(::std::vec::Vec<::std::string::String>)))
                            .arg(::clap::Arg::new("kind").value_parser(::clap::value_parser!(types::Kind)))
                            .arg(::clap::Arg::new("name").value_parser(::clap::value_parser!(::std::string::String)))
                    }
                }
            },
            &["Kind"],
        )
        .unwrap();
        assert_eq!(out.matches("::serde_json::from_str::<").count(), 2, "{out}");
        assert!(out.contains("value_parser!(types::Kind)"), "{out}");
        assert!(
            out.contains("value_parser!(::std::string::String)"),
            "{out}"
        );
        let options: Vec<(&str, &str)> = loosened
            .iter()
            .map(|l| (l.parameter.as_str(), l.ty.as_str()))
            .collect();
        assert_eq!(
            options,
            [
                ("--id", "types::ThingId"),
                ("--tags", "std::vec::Vec<std::string::String>")
            ]
        );
        assert!(
            loosened
                .iter()
                .all(|l| l.operation == "getThing" && l.site == Site::Cli)
        );
    }

    #[test]
    fn a_value_parser_that_is_not_a_type_is_a_shape_error() {
        let err = cli(
            quote! {
                impl Cli {
                    pub fn cli_get_thing() -> ::clap::Command {
                        ::clap::Arg::new("id").value_parser(::clap::value_parser!(1 + 1))
                    }
                }
            },
            &[],
        )
        .unwrap_err();
        assert!(err.to_string().contains("cli_args"), "{err}");
    }

    #[test]
    fn mock_matchers_without_display_match_json_text() {
        let (out, loosened) = mock(
            quote! {
                impl GetThingWhen {
                    pub fn tags<'a, T>(self, value: T) -> Self
                    where
                        T: Into<Option<&'a ::std::vec::Vec<::std::string::String>>>,
                    {
                        if let Some(value) = value.into() {
                            Self(self.0.query_param("tags", value.to_string()))
                        } else {
                            Self(self.0.query_param_missing("tags"))
                        }
                    }
                    pub fn kind(self, value: types::Kind) -> Self {
                        Self(self.0.query_param("kind", value.to_string()))
                    }
                    pub fn body(self, value: types::Mode) -> Self {
                        Self(self.0.json_body_obj(value))
                    }
                }
                impl GetThingThen {
                    pub fn ok(self, value: &types::Thing) -> Self {
                        Self(self.0.status(200u16).json_body_obj(value))
                    }
                }
            },
            &["Kind"],
        )
        .unwrap();
        assert_eq!(
            out.matches("::serde_json::to_value(&value)").count(),
            1,
            "{out}"
        );
        assert!(out.contains("json_body_obj(&value)"), "{out}");
        assert!(
            out.contains(".status(200u16).json_body_obj(value)"),
            "{out}"
        );
        assert_eq!(loosened.len(), 1);
        assert_eq!(loosened[0].parameter, "tags");
        assert_eq!(loosened[0].ty, "std::vec::Vec<std::string::String>");
    }

    #[test]
    fn an_operation_without_its_helpers_is_a_shape_error() {
        let err = mock(quote! { impl OtherWhen {} }, &[]).unwrap_err();
        assert!(err.to_string().contains("getThing"), "{err}");
        let err = cli(quote! { impl Cli { pub fn cli_other() {} } }, &[]).unwrap_err();
        assert!(err.to_string().contains("getThing"), "{err}");
    }

    #[test]
    fn a_mock_value_use_without_a_value_parameter_is_a_shape_error() {
        let err = mock(
            quote! {
                impl GetThingThen {
                    pub fn ok(self, body: ()) -> Self {
                        let value = body;
                        Self(self.0.json_body_obj(value))
                    }
                }
            },
            &[],
        )
        .unwrap_err();
        assert!(err.to_string().contains("mock_params"), "{err}");
    }
}
