//! Data types (the types typify generates, which derive serde's traits):
//! `#[non_exhaustive]`, so that fields and variants can be added without
//! breaking users' code, and the derives of `feature_derives` moved under
//! `cfg_attr(feature = …)` with their helper attributes, so consumers only
//! compile them on demand.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Meta, Path, parse_quote};

use super::derives::{derives, path_text, retain_derives, same_path};
use super::report::{Problem, Rewrites, ShapeError};

/// A derive that needs a crate feature: `(schemars::JsonSchema, "cli")`.
pub type FeatureDerive = (Path, String);

/// Runs the `non_exhaustive` pass (when `non_exhaustive`) and the
/// `feature_derives` pass (when there are any); every type of `expected`
/// must be a data type and carry every feature derive.
pub fn apply(
    file: &mut syn::File,
    non_exhaustive: bool,
    feature_derives: &[FeatureDerive],
    expected: &BTreeSet<String>,
) -> Result<Vec<Rewrites>, ShapeError> {
    let mut pass = DataTypes {
        non_exhaustive,
        feature_derives,
        marked: Rewrites::new("non_exhaustive", "type"),
        gated: Rewrites::new("feature_derives", "type"),
        error: None,
    };
    pass.visit_file_mut(file);
    if let Some(error) = pass.error {
        return Err(error);
    }
    let mut report = Vec::new();
    if non_exhaustive {
        pass.marked.require(expected, || {
            Problem::NoDerive("serde::Serialize or serde::Deserialize".into())
        })?;
        report.push(pass.marked);
    }
    if let Some((first, _)) = feature_derives.first() {
        let gated = &pass.gated;
        if let Some(missing) = expected
            .iter()
            .find(|t| gated.by_item.get(*t) != Some(&feature_derives.len()))
        {
            return Err(gated.fail(missing.as_str(), Problem::NoDerive(path_text(first))));
        }
        report.push(pass.gated);
    }
    Ok(report)
}

struct DataTypes<'a> {
    non_exhaustive: bool,
    feature_derives: &'a [FeatureDerive],
    marked: Rewrites,
    gated: Rewrites,
    error: Option<ShapeError>,
}

impl VisitMut for DataTypes<'_> {
    fn visit_item_struct_mut(&mut self, node: &mut syn::ItemStruct) {
        self.refine(&node.ident, &mut node.attrs);
        visit_mut::visit_item_struct_mut(self, node);
    }

    fn visit_item_enum_mut(&mut self, node: &mut syn::ItemEnum) {
        self.refine(&node.ident, &mut node.attrs);
        visit_mut::visit_item_enum_mut(self, node);
    }

    /// typify implements `JsonSchema` by hand for a newtype whose values
    /// are an enumerated list (an integer `enum`): the impl is gated as
    /// the derive would be.
    fn visit_item_impl_mut(&mut self, node: &mut syn::ItemImpl) {
        let feature = node.trait_.as_ref().and_then(|implemented| {
            self.feature_derives
                .iter()
                .find(|(wanted, _)| same_path(wanted, &implemented.0))
                .map(|(_, feature)| feature.clone())
        });
        if let (Some(feature), syn::Type::Path(ty)) = (feature, &*node.self_ty)
            && let Some(name) = ty.path.get_ident().map(ToString::to_string)
        {
            node.attrs.push(parse_quote!(#[cfg(feature = #feature)]));
            // schemars 0.8's `gen` module and parameter: a keyword since
            // edition 2024.
            RawGen.visit_item_impl_mut(node);
            self.gated.add(&name, 1);
        }
        visit_mut::visit_item_impl_mut(self, node);
    }
}

/// `gen` -> `r#gen`.
struct RawGen;

impl VisitMut for RawGen {
    fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
        if ident == "gen" {
            *ident = syn::Ident::new_raw("gen", ident.span());
        }
    }
}

impl DataTypes<'_> {
    fn refine(&mut self, ident: &syn::Ident, attrs: &mut Vec<Attribute>) {
        let name = ident.to_string();
        let error = match self.mark(&name, attrs) {
            Err(problem) => Some(self.marked.fail(&name, problem)),
            Ok(()) => self
                .gate(&name, attrs)
                .err()
                .map(|problem| self.gated.fail(&name, problem)),
        };
        self.error = self.error.take().or(error);
    }

    /// `#[non_exhaustive]` on a data type (builders and the client, which
    /// do not derive serde's traits, stay as they are).
    fn mark(&mut self, name: &str, attrs: &mut Vec<Attribute>) -> Result<(), Problem> {
        if !self.non_exhaustive || !(derives(attrs, "Deserialize")? || derives(attrs, "Serialize")?)
        {
            return Ok(());
        }
        let added = !attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
        if added {
            attrs.push(parse_quote!(#[non_exhaustive]));
        }
        self.marked.add(name, usize::from(added));
        Ok(())
    }

    /// `#[derive(A, schemars::JsonSchema)]` becomes `#[derive(A)]
    /// #[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]`, and each
    /// `#[schemars(…)]` `#[cfg_attr(feature = "cli", schemars(…))]`.
    fn gate(&mut self, name: &str, attrs: &mut Vec<Attribute>) -> Result<(), Problem> {
        if self.feature_derives.is_empty() {
            return Ok(());
        }
        let feature_of = |path: &Path| {
            self.feature_derives
                .iter()
                .find(|(wanted, _)| same_path(wanted, path))
                .map(|(_, feature)| feature.clone())
        };
        let removed = retain_derives(attrs, |p| feature_of(p).is_none())?;
        if removed.is_empty() {
            return Ok(());
        }
        // The helper attribute of `schemars::JsonSchema` is `schemars`.
        let mut helpers: BTreeMap<String, String> = BTreeMap::new();
        let mut gated: Vec<Attribute> = Vec::new();
        for derive in &removed {
            let feature = feature_of(derive).unwrap_or_default();
            if let Some(first) = derive.segments.first() {
                helpers.insert(first.ident.to_string(), feature.clone());
            }
            gated.push(parse_quote!(#[cfg_attr(feature = #feature, derive(#derive))]));
        }
        wrap_helpers(attrs, &helpers);
        // After the remaining derives, before the helper attributes.
        let at = attrs
            .iter()
            .rposition(|a| a.path().is_ident("derive"))
            .map_or(0, |i| i + 1);
        attrs.splice(at..at, gated);
        self.gated.add(name, removed.len());
        Ok(())
    }
}

/// `#[helper(…)]` -> `#[cfg_attr(feature = "…", helper(…))]`.
fn wrap_helpers(attrs: &mut [Attribute], helpers: &BTreeMap<String, String>) {
    for attr in attrs {
        if let Meta::List(list) = &attr.meta
            && let Some(feature) = list
                .path
                .get_ident()
                .and_then(|i| helpers.get(&i.to_string()))
        {
            let inner = &attr.meta;
            *attr = parse_quote!(#[cfg_attr(feature = #feature, #inner)]);
        }
    }
}
