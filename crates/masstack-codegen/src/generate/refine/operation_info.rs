//! `OperationInfo::operation_id` becomes the spec's operationId: progenitor
//! passes its snake-case method name, although it documents the former.

use std::collections::BTreeMap;

use super::report::{Problem, Rewrites, ShapeError};
use super::syntax::operation_info_id;
use syn::visit_mut::{self, VisitMut};

/// Rewrites every `OperationInfo { operation_id }`; each of
/// `operation_ids` (the spec's) must have one, and every one must name an
/// operation of the spec.
pub fn apply(file: &mut syn::File, operation_ids: &[String]) -> Result<Rewrites, ShapeError> {
    let by_method: BTreeMap<String, &str> = operation_ids
        .iter()
        .map(|id| (method_name(id), id.as_str()))
        .collect();
    let mut pass = OperationIds {
        by_method,
        rewrites: Rewrites::new("operation_id", "operation"),
        error: None,
    };
    pass.visit_file_mut(file);
    if let Some(error) = pass.error {
        return Err(error);
    }
    pass.rewrites
        .require(operation_ids, || Problem::NoOperationInfo)?;
    Ok(pass.rewrites)
}

struct OperationIds<'a> {
    by_method: BTreeMap<String, &'a str>,
    rewrites: Rewrites,
    error: Option<ShapeError>,
}

impl VisitMut for OperationIds<'_> {
    fn visit_expr_struct_mut(&mut self, node: &mut syn::ExprStruct) {
        if let Some(lit) = operation_info_id(node) {
            match self.by_method.get(&lit.value()) {
                Some(id) => {
                    self.rewrites.add(id, 1);
                    *lit = syn::LitStr::new(id, lit.span());
                }
                None => {
                    let error = self.rewrites.fail(lit.value(), Problem::UnknownOperation);
                    self.error.get_or_insert(error);
                }
            }
        }
        visit_mut::visit_expr_struct_mut(self, node);
    }
}

pub use crate::naming::method_name;
