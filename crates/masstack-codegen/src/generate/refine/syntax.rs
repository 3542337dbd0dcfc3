//! Pieces of progenitor's code recognised by their syntax: paths by their
//! segments, `OperationInfo` by its field.

use syn::{Expr, Lit, LitStr};

/// Whether `path` is `segments` (`ResponseValue::from_response`), a
/// leading `::` aside.
pub fn path_is(path: &syn::Path, segments: &[&str]) -> bool {
    path.segments.len() == segments.len()
        && path
            .segments
            .iter()
            .zip(segments)
            .all(|(s, name)| s.ident == name)
}

/// The `"…"` of `OperationInfo { operation_id: "…" }`.
pub fn operation_info_id(node: &mut syn::ExprStruct) -> Option<&mut LitStr> {
    if !node.path.is_ident("OperationInfo") {
        return None;
    }
    node.fields.iter_mut().find_map(|field| {
        let is_id = matches!(&field.member, syn::Member::Named(n) if n == "operation_id");
        match &mut field.expr {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) if is_id => Some(s),
            _ => None,
        }
    })
}
