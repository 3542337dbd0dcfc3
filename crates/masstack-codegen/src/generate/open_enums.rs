//! Open enums (the manifest's `open_enums`): every string enum typify
//! generates gains a last variant that keeps a value the spec does not list,
//! as sent, so a server that starts sending a new value does not fail the
//! whole response of an older client.
//!
//! The variant is `#[serde(untagged)]`: serde tries the listed values first
//! and keeps anything else as text; it serializes back as the same text.
//! `Copy` goes (the variant holds a `String`): `From<&E>` comes instead, so
//! that a setter takes `&value` where it took a copy. typify's `Display`,
//! the one impl that matches on every variant, gains the arm; its
//! `FromStr` (which `TryFrom<&str>` and `TryFrom<String>` call) keeps an
//! unlisted value in that variant instead of refusing it, so that
//! `Unknown(v).to_string().parse()` round-trips.

use std::collections::{BTreeMap, BTreeSet};

use quote::format_ident;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Fields, parse_quote};

use super::refine::derives::{derives, retain_derives, same_path};
use super::refine::report::{Problem, Rewrites, ShapeError};

/// What each opened enum gets: the variant, the `Display` arm, `From<&E>`
/// and the `FromStr` arm.
const REWRITES_PER_ENUM: usize = 4;

/// Opens the string enums of `file`. `schema_feature` is the crate feature
/// the `schemars::JsonSchema` derive is gated behind, if it is: the new
/// variant is hidden from the schema (it would be listed as an object).
/// Counts the rewrites per enum.
///
/// Fails, naming the enum, when one of `expected` (the spec's string enums)
/// is not opened, or has no `Display` `match` or `FromStr` refusing arm to
/// rewrite: typify's output changed shape.
pub fn apply(
    file: &mut syn::File,
    schema_feature: Option<&str>,
    expected: &BTreeSet<String>,
) -> Result<Rewrites, ShapeError> {
    let mut rewrites = Rewrites::new("open_enums", "type");
    let mut enums = Enums {
        schema_feature,
        opened: BTreeMap::new(),
        error: None,
    };
    enums.visit_file_mut(file);
    if let Some((name, problem)) = enums.error {
        return Err(rewrites.fail(name, problem));
    }
    if let Some(closed) = expected.iter().find(|e| !enums.opened.contains_key(*e)) {
        return Err(rewrites.fail(closed, Problem::NoStringEnum));
    }
    let opened = &enums.opened;
    let mut display = Display {
        opened,
        matches: BTreeMap::new(),
    };
    display.visit_file_mut(file);
    FromRef(opened).visit_file_mut(file);
    let mut parse = FromStrKeeps {
        opened,
        rewritten: BTreeMap::new(),
    };
    parse.visit_file_mut(file);
    for name in opened.keys() {
        let arms = parse.rewritten.get(name).copied().unwrap_or(0);
        let matches = display.matches.get(name).copied().unwrap_or(0);
        if matches != 1 {
            return Err(rewrites.fail(name, Problem::DisplayMatches(matches)));
        }
        if arms != 1 {
            return Err(rewrites.fail(name, Problem::FromStrArms(arms)));
        }
        rewrites.add(name, REWRITES_PER_ENUM);
    }
    Ok(rewrites)
}

/// The name of the variant that keeps unlisted values: `Unknown`, or
/// `Unknown_`… when the spec lists a value of that name.
fn variant_name(node: &syn::ItemEnum) -> syn::Ident {
    let mut name = "Unknown".to_owned();
    while node.variants.iter().any(|v| v.ident == name) {
        name.push('_');
    }
    format_ident!("{name}")
}

fn is_string_enum(node: &syn::ItemEnum) -> Result<bool, Problem> {
    Ok(derives(&node.attrs, "Deserialize")?
        && !node.variants.is_empty()
        && node
            .variants
            .iter()
            .all(|v| matches!(v.fields, Fields::Unit)))
}

struct Enums<'a> {
    schema_feature: Option<&'a str>,
    /// Enum name -> its new variant.
    opened: BTreeMap<String, syn::Ident>,
    /// The first enum that could not be read, and why.
    error: Option<(String, Problem)>,
}

impl VisitMut for Enums<'_> {
    fn visit_item_enum_mut(&mut self, node: &mut syn::ItemEnum) {
        if let Err(problem) = self.open(node) {
            self.error.get_or_insert((node.ident.to_string(), problem));
        }
        visit_mut::visit_item_enum_mut(self, node);
    }
}

impl Enums<'_> {
    fn open(&mut self, node: &mut syn::ItemEnum) -> Result<(), Problem> {
        if !is_string_enum(node)? {
            return Ok(());
        }
        drop_copy(&mut node.attrs)?;
        let name = variant_name(node);
        let schema_skip: Option<Attribute> = match self.schema_feature {
            Some(feature) => Some(parse_quote!(#[cfg_attr(feature = #feature, schemars(skip))])),
            None if derives(&node.attrs, "JsonSchema")? => Some(parse_quote!(#[schemars(skip)])),
            None => None,
        };
        node.variants.push(parse_quote! {
            /// A value the spec does not list, kept as sent.
            #[serde(untagged)]
            #schema_skip
                #name(::std::string::String)
        });
        self.opened.insert(node.ident.to_string(), name);
        Ok(())
    }
}

/// `#[derive(Clone, Copy, …)]` without `Copy`.
fn drop_copy(attrs: &mut Vec<Attribute>) -> Result<(), Problem> {
    let copy: syn::Path = parse_quote!(::std::marker::Copy);
    let short: syn::Path = parse_quote!(Copy);
    retain_derives(attrs, |p| !(same_path(p, &copy) || same_path(p, &short)))?;
    Ok(())
}

struct Display<'a> {
    opened: &'a BTreeMap<String, syn::Ident>,
    /// Enum name -> the `match`es its `Display` gained an arm in.
    matches: BTreeMap<String, usize>,
}

impl VisitMut for Display<'_> {
    fn visit_item_impl_mut(&mut self, node: &mut syn::ItemImpl) {
        if let Some((name, variant)) =
            impl_of(node, "Display").and_then(|n| self.opened.get_key_value(&n))
        {
            let mut add = AddArm(variant, 0);
            add.visit_item_impl_mut(node);
            *self.matches.entry(name.clone()).or_default() += add.1;
        }
    }
}

/// The type an `impl Trait for Type` is for, when `Trait`'s last segment
/// is `trait_name`.
fn impl_of(node: &syn::ItemImpl, trait_name: &str) -> Option<String> {
    let (path, _) = node.trait_.as_ref()?;
    if path.segments.last()?.ident != trait_name {
        return None;
    }
    match &*node.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Adds the unlisted-value arm to the `match *self` of a `Display` impl;
/// counts the `match`es.
struct AddArm<'a>(&'a syn::Ident, usize);

impl VisitMut for AddArm<'_> {
    fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
        let variant = self.0;
        node.arms.push(parse_quote! {
            Self::#variant(ref value) => f.write_str(value),
        });
        self.1 += 1;
    }
}

/// `impl From<&E> for E` after each opened enum.
struct FromRef<'a>(&'a BTreeMap<String, syn::Ident>);

impl FromRef<'_> {
    fn add(&self, items: &mut Vec<syn::Item>) {
        let mut i = 0;
        while i < items.len() {
            if let syn::Item::Enum(e) = &items[i]
                && self.0.contains_key(&e.ident.to_string())
            {
                let name = &e.ident;
                items.insert(
                    i + 1,
                    parse_quote! {
                        impl ::std::convert::From<&#name> for #name {
                            fn from(value: &#name) -> Self {
                                value.clone()
                            }
                        }
                    },
                );
                i += 1;
            }
            i += 1;
        }
    }
}

impl VisitMut for FromRef<'_> {
    fn visit_file_mut(&mut self, node: &mut syn::File) {
        self.add(&mut node.items);
        visit_mut::visit_file_mut(self, node);
    }

    fn visit_item_mod_mut(&mut self, node: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut node.content {
            self.add(items);
        }
        visit_mut::visit_item_mod_mut(self, node);
    }
}

/// In `impl FromStr for E` of an opened enum, the `_ => Err(..)` arm of its
/// `match value` becomes `_ => Ok(Self::Unknown(value.to_owned()))`.
struct FromStrKeeps<'a> {
    opened: &'a BTreeMap<String, syn::Ident>,
    /// Enum name -> how many arms were rewritten (exactly one is expected).
    rewritten: BTreeMap<String, usize>,
}

impl VisitMut for FromStrKeeps<'_> {
    fn visit_item_impl_mut(&mut self, node: &mut syn::ItemImpl) {
        let Some((name, variant)) =
            impl_of(node, "FromStr").and_then(|n| self.opened.get_key_value(&n))
        else {
            return;
        };
        let mut keep = KeepUnlisted {
            variant,
            rewritten: 0,
        };
        keep.visit_item_impl_mut(node);
        *self.rewritten.entry(name.clone()).or_default() += keep.rewritten;
    }
}

struct KeepUnlisted<'a> {
    variant: &'a syn::Ident,
    rewritten: usize,
}

impl VisitMut for KeepUnlisted<'_> {
    fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
        let variant = self.variant;
        for arm in &mut node.arms {
            let refuses = matches!(&*arm.body, syn::Expr::Call(call)
                if matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("Err")));
            if matches!(arm.pat, syn::Pat::Wild(_)) && refuses {
                *arm.body = parse_quote!(Ok(Self::#variant(value.to_owned())));
                self.rewritten += 1;
            }
        }
        visit_mut::visit_expr_match_mut(self, node);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::apply;
    use crate::generate::refine::report::Problem;

    const KIND: &str = r#"
        #[derive(Clone, Copy, Debug, serde::Deserialize, serde::Serialize)]
        pub enum Kind { Small, Large }
    "#;
    const DISPLAY: &str = r#"
        impl ::std::fmt::Display for Kind {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match *self { Self::Small => f.write_str("small"), Self::Large => f.write_str("large") }
            }
        }
    "#;

    fn file(enum_: &str, display: &str, from_str_arm: &str) -> syn::File {
        syn::parse_str(&format!(
            r#"
            {enum_}
            {display}
            impl ::std::str::FromStr for Kind {{
                type Err = String;
                fn from_str(value: &str) -> Result<Self, String> {{
                    match value {{ "small" => Ok(Self::Small), "large" => Ok(Self::Large), {from_str_arm} }}
                }}
            }}
            "#
        ))
        .unwrap()
    }

    fn kind() -> BTreeSet<String> {
        ["Kind".to_owned()].into()
    }

    #[test]
    fn from_str_keeps_unlisted_values() {
        let mut opened = file(KIND, DISPLAY, r#"_ => Err("invalid value".into()),"#);
        let rewrites = apply(&mut opened, None, &kind()).unwrap();
        assert_eq!(rewrites.by_item.get("Kind"), Some(&4));
        let text = prettyplease::unparse(&opened);
        for expected in [
            "_ => Ok(Self::Unknown(value.to_owned()))",
            "Self::Unknown(ref value) => f.write_str(value)",
            "impl ::std::convert::From<&Kind> for Kind",
            "#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]",
        ] {
            assert!(text.contains(expected), "missing `{expected}` in\n{text}");
        }
    }

    /// typify's output changed shape: the pass says so, naming the enum,
    /// instead of leaving a `FromStr` that refuses what serde keeps.
    #[test]
    fn a_from_str_without_the_refusing_arm_fails_loudly() {
        let mut other = file(KIND, DISPLAY, r#"other => Err(format!("{other}")),"#);
        let error = apply(&mut other, None, &kind()).unwrap_err();
        assert_eq!((error.pass, error.item.as_str()), ("open_enums", "Kind"));
        assert_eq!(error.problem, Problem::FromStrArms(0));
        assert!(error.to_string().contains("in type `Kind`"), "{error}");
    }

    #[test]
    fn a_display_without_its_match_fails_loudly() {
        let display = DISPLAY.replace("match *self", "if true { f.write_str(\"\") } else");
        let display = display.replace(
            "Self::Small => f.write_str(\"small\"), Self::Large => f.write_str(\"large\")",
            "f.write_str(\"x\")",
        );
        let mut other = file(KIND, &display, r#"_ => Err("invalid value".into()),"#);
        let error = apply(&mut other, None, &kind()).unwrap_err();
        assert_eq!(error.problem, Problem::DisplayMatches(0), "{error}");
    }

    /// The spec has a string enum the pass did not recognise (its derives
    /// changed): named, not silently left closed.
    #[test]
    fn an_enum_the_spec_defines_but_the_pass_misses_fails_loudly() {
        let unrecognised = KIND.replace("serde::Deserialize, ", "");
        let mut other = file(
            &unrecognised,
            DISPLAY,
            r#"_ => Err("invalid value".into()),"#,
        );
        let error = apply(&mut other, None, &kind()).unwrap_err();
        assert_eq!(
            (error.item.as_str(), error.problem),
            ("Kind", Problem::NoStringEnum)
        );
    }
}
