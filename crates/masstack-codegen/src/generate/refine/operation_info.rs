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

/// progenitor's name for an operation's method (its `sanitize` to snake
/// case): characters that cannot be in an identifier become word breaks,
/// keywords get a trailing `_`.
pub fn method_name(operation_id: &str) -> String {
    use heck::ToSnakeCase;
    let cleaned: String = operation_id
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut out = cleaned.to_snake_case();
    match out.chars().next() {
        None => out = "x".into(),
        Some(c) if c.is_alphabetic() || c == '_' => {}
        Some(_) => out.insert(0, '_'),
    }
    if syn::parse_str::<syn::Ident>(&out).is_err() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_follow_progenitor() {
        assert_eq!(method_name("getTicket"), "get_ticket");
        assert_eq!(method_name("searchByIDParams"), "search_by_id_params");
        assert_eq!(method_name("get-ticket.v2"), "get_ticket_v2");
        assert_eq!(method_name("type"), "type_");
        assert_eq!(method_name("2fa"), "_2fa");
    }
}
