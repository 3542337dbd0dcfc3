//! With the manifest's `decode` setting, responses are read by that module
//! instead of `ResponseValue::from_response`: `success` for documented 2xx
//! statuses, `error` for documented error statuses, and `undocumented` /
//! `undocumented_empty` for every other status.
//!
//! Every arm of progenitor's status `match` is recognised by its shape (see
//! [`Arm`]); one the pass does not know fails the generation instead of
//! keeping progenitor's decoding unnoticed.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprMatch, Lit, Pat, Token, parse_quote};

use super::report::{Problem, Rewrites, ShapeError};
use super::syntax::{operation_info_id, path_is};
use crate::adapt::status_enums::{self, OperationPlan, Plans, StatusEnum};

/// Routes the status `match` of every operation; each of `operation_ids`
/// must have exactly one. Counts the arms rewritten per operation.
pub fn apply(
    file: &mut syn::File,
    decode: &syn::Path,
    operation_ids: &[String],
    plans: &Plans,
) -> Result<Rewrites, ShapeError> {
    let mut pass = Decode {
        decode,
        plans,
        rewrites: Rewrites::new("decode", "operation"),
        matches: BTreeMap::new(),
        operation: None,
        function: String::new(),
        error: None,
    };
    pass.visit_file_mut(file);
    if let Some(error) = pass.error {
        return Err(error);
    }
    for id in operation_ids {
        match pass.matches.get(id) {
            None => return Err(pass.rewrites.fail(id, Problem::NoStatusMatch)),
            Some(&n) if n != 1 => return Err(pass.rewrites.fail(id, Problem::StatusMatches(n))),
            Some(_) => {}
        }
    }
    Ok(pass.rewrites)
}

struct Decode<'a> {
    decode: &'a syn::Path,
    plans: &'a Plans,
    rewrites: Rewrites,
    /// operationId -> its status `match`es.
    matches: BTreeMap<String, usize>,
    /// The operationId of the function being visited (its `OperationInfo`).
    operation: Option<String>,
    function: String,
    error: Option<ShapeError>,
}

impl Decode<'_> {
    /// Enters a function; returns what [`Self::leave`] restores.
    fn enter(&mut self, function: &syn::Ident, block: &mut syn::Block) -> (Option<String>, String) {
        let operation = std::mem::replace(&mut self.operation, operation_of(block));
        (
            operation,
            std::mem::replace(&mut self.function, function.to_string()),
        )
    }

    fn leave(&mut self, (operation, function): (Option<String>, String)) {
        self.operation = operation;
        self.function = function;
    }

    fn route(&mut self, node: &mut ExprMatch) {
        let Some(operation) = self.operation.clone() else {
            let error = ShapeError {
                pass: self.rewrites.pass,
                kind: "function",
                item: self.function.clone(),
                problem: Problem::StatusMatchOutsideOperation,
            };
            self.error.get_or_insert(error);
            return;
        };
        *self.matches.entry(operation.clone()).or_default() += 1;
        match route(node, self.decode, self.plans.get(&operation)) {
            Ok(count) => self.rewrites.add(&operation, count),
            Err(problem) => {
                let error = self.rewrites.fail(operation, problem);
                self.error.get_or_insert(error);
            }
        }
    }
}

impl VisitMut for Decode<'_> {
    fn visit_impl_item_fn_mut(&mut self, node: &mut syn::ImplItemFn) {
        let outer = self.enter(&node.sig.ident, &mut node.block);
        visit_mut::visit_impl_item_fn_mut(self, node);
        self.leave(outer);
    }

    fn visit_item_fn_mut(&mut self, node: &mut syn::ItemFn) {
        let outer = self.enter(&node.sig.ident, &mut node.block);
        visit_mut::visit_item_fn_mut(self, node);
        self.leave(outer);
    }

    fn visit_expr_match_mut(&mut self, node: &mut ExprMatch) {
        if is_status_match(node) {
            self.route(node);
        }
        visit_mut::visit_expr_match_mut(self, node);
    }
}

/// The operationId in the `OperationInfo { operation_id: "…" }` of `block`.
fn operation_of(block: &mut syn::Block) -> Option<String> {
    struct Find(Option<String>);
    impl VisitMut for Find {
        fn visit_expr_struct_mut(&mut self, node: &mut syn::ExprStruct) {
            if let Some(id) = operation_info_id(node) {
                self.0 = Some(id.value());
            }
            visit_mut::visit_expr_struct_mut(self, node);
        }
    }
    let mut find = Find(None);
    find.visit_block_mut(block);
    find.0
}

/// The response a status `match` dispatches on: `<response>` of
/// `<response>.status().as_u16()`.
fn scrutinee_response(node: &ExprMatch) -> Option<Expr> {
    let Expr::MethodCall(as_u16) = &*node.expr else {
        return None;
    };
    let Expr::MethodCall(status) = &*as_u16.receiver else {
        return None;
    };
    Some((*status.receiver).clone())
}

/// `match response.status().as_u16() { … }`, the dispatch progenitor
/// generates in every operation.
fn is_status_match(node: &ExprMatch) -> bool {
    let Expr::MethodCall(as_u16) = &*node.expr else {
        return false;
    };
    let Expr::MethodCall(status) = &*as_u16.receiver else {
        return false;
    };
    as_u16.method == "as_u16" && status.method == "status"
}

/// How progenitor reads a response body in an arm.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Body {
    /// `ResponseValue::from_response(r).await`: JSON into the documented type.
    Typed,
    /// `ResponseValue::empty(r)`.
    Empty,
    /// `ResponseValue::stream(r)`: the raw body.
    Stream,
    /// `ResponseValue::upgrade(r).await`: a protocol upgrade.
    Upgrade,
}

/// The arms progenitor writes.
enum Arm {
    /// A 2xx code or range (or 101 for an upgrade).
    Success(Body),
    /// An error code, range, or the spec's `default`:
    /// `Err(Error::ErrorResponse(..))` of the body.
    Error(Body),
    /// `_ => Err(Error::UnexpectedResponse(response))`.
    Unexpected(Expr),
}

/// Routes one status `match`; returns how many arms changed. With status
/// enums (`plan`), each of their statuses reads its own body into its own
/// variant, and every one of them must have its arm.
fn route(
    node: &mut ExprMatch,
    decode: &syn::Path,
    plan: Option<&OperationPlan>,
) -> Result<usize, Problem> {
    let arms: Vec<Arm> = node.arms.iter().map(classify).collect::<Result<_, _>>()?;
    let mut successes = arms.iter().filter_map(|a| match a {
        Arm::Success(body) => Some(*body),
        _ => None,
    });
    let success = successes.next();
    if successes.any(|other| Some(other) != success) {
        return Err(Problem::MixedSuccess);
    }
    let success_enum = plan.is_some_and(|p| p.success.is_some());
    // progenitor names the response otherwise when a parameter is called
    // `response`: the `match`'s own receiver is the name to use.
    let response = scrutinee_response(node).ok_or(Problem::UnknownArm(
        "a status `match` not on `<response>.status().as_u16()`".into(),
    ))?;
    let mut changed = 0;
    let mut seen = Vec::new();
    for (arm, kind) in node.arms.iter_mut().zip(arms) {
        let planned = plan.and_then(|p| planned(&arm.pat, &kind, p, decode, &response));
        if let Some((key, body)) = planned {
            *arm.body = body;
            changed += 1;
            seen.push(key);
            continue;
        }
        let rewritten = match (kind, success) {
            (Arm::Success(Body::Typed), _) => {
                replace_from_response(&mut arm.body, parse_quote!(#decode::success))
            }
            (Arm::Error(Body::Typed), _) => {
                replace_from_response(&mut arm.body, parse_quote!(#decode::error))
            }
            // An undocumented status keeps the whole answer: a status enum
            // has no variant to guess.
            (Arm::Unexpected(_), _) if success_enum => false,
            (Arm::Unexpected(response), Some(Body::Typed)) => {
                *arm.body = parse_quote!(#decode::undocumented(#response).await);
                true
            }
            (Arm::Unexpected(response), Some(Body::Empty)) => {
                *arm.body = parse_quote!(#decode::undocumented_empty(#response).await);
                true
            }
            // Raw, upgraded or no success bodies: the decode module reads
            // JSON or nothing, so progenitor's reading stays.
            _ => false,
        };
        changed += usize::from(rewritten);
    }
    changed += codes_before_ranges(node);
    for status_enum in plan.iter().flat_map(|p| p.success.iter().chain(&p.error)) {
        for variant in &status_enum.variants {
            if let Some(missing) = variant.statuses.iter().find(|s| !seen.contains(s)) {
                return Err(Problem::NoStatusArm(missing.clone()));
            }
        }
    }
    Ok(changed)
}

/// progenitor orders a range by its first code (`4XX` as 400), so a
/// documented `409` after `400..=499` would never be reached: exact codes
/// go first, then ranges, then the catch-all (a stable sort). Returns 1
/// when the order changed.
fn codes_before_ranges(node: &mut ExprMatch) -> usize {
    let rank = |arm: &syn::Arm| match arm.pat {
        Pat::Lit(_) => 0,
        Pat::Range(_) => 1,
        _ => 2,
    };
    let sorted = node.arms.windows(2).all(|w| rank(&w[0]) <= rank(&w[1]));
    if sorted {
        return 0;
    }
    node.arms.sort_by_key(rank);
    1
}

/// The status key of an arm a status enum covers, and the arm's new body.
fn planned(
    pat: &Pat,
    kind: &Arm,
    plan: &OperationPlan,
    decode: &syn::Path,
    response: &Expr,
) -> Option<(String, Expr)> {
    let key = status_key(pat)?;
    let (status_enum, success) = match kind {
        Arm::Success(Body::Typed) => (plan.success.as_ref()?, true),
        Arm::Error(Body::Typed) => (plan.error.as_ref()?, false),
        _ => return None,
    };
    let variant = status_enum.variant_of(&key)?;
    let to = variant_path(status_enum, &variant.name);
    let body: Expr = match (&variant.body, success) {
        (status_enums::Body::Json(ty), true) => {
            let ty: syn::Type = syn::parse_str(ty).ok()?;
            parse_quote!(#decode::success::<#ty, _>(#response).await.and_then(|v| v.map(#to)))
        }
        (status_enums::Body::Empty, true) => {
            parse_quote!(ResponseValue::empty(#response).map(|()| #to))
        }
        (status_enums::Body::Bytes, true) => {
            parse_quote!(#decode::bytes(#response).await.and_then(|v| v.map(#to)))
        }
        (status_enums::Body::Json(ty), false) => {
            let ty: syn::Type = syn::parse_str(ty).ok()?;
            parse_quote!(Err(#decode::error_variant::<#ty, _>(#response, #to).await))
        }
        (status_enums::Body::Empty, false) => {
            parse_quote!(Err(#decode::error_empty_variant(#response, #to).await))
        }
        (status_enums::Body::Bytes, false) => {
            parse_quote!(Err(#decode::error_bytes_variant(#response, #to).await))
        }
    };
    Some((key, body))
}

/// `types::GetPetError::NotFound`.
fn variant_path(status_enum: &StatusEnum, variant: &str) -> syn::Path {
    let name = syn::Ident::new(&status_enum.name, proc_macro2::Span::call_site());
    let variant = syn::Ident::new(variant, proc_macro2::Span::call_site());
    parse_quote!(types::#name::#variant)
}

/// The spec's status key an arm's pattern stands for: `404u16` -> `404`,
/// `400u16..=499u16` -> `4XX`.
fn status_key(pat: &Pat) -> Option<String> {
    let code = |expr: &Expr| match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(i), ..
        }) => i.base10_parse::<u16>().ok(),
        _ => None,
    };
    match pat {
        Pat::Lit(lit) => match &lit.lit {
            Lit::Int(i) => i.base10_parse::<u16>().ok().map(|c| c.to_string()),
            _ => None,
        },
        Pat::Range(range) => {
            let start = code(range.start.as_deref()?)?;
            let end = code(range.end.as_deref()?)?;
            (start % 100 == 0 && end == start + 99).then(|| format!("{}XX", start / 100))
        }
        _ => None,
    }
}

/// Which of progenitor's arms `arm` is.
fn classify(arm: &syn::Arm) -> Result<Arm, Problem> {
    let unknown = || Problem::UnknownArm(arm.to_token_stream().to_string());
    let body = unblock(&arm.body);
    let success = match &arm.pat {
        Pat::Wild(_) => {
            return unexpected_response(body)
                .map(|r| Arm::Unexpected(r.clone()))
                .or_else(|| error_body(body).map(Arm::Error))
                .ok_or_else(unknown);
        }
        Pat::Lit(lit) => status(&lit.lit),
        Pat::Range(range) => range.start.as_deref().and_then(|start| match start {
            Expr::Lit(lit) => status(&lit.lit),
            _ => None,
        }),
        _ => None,
    }
    .ok_or_else(unknown)?;
    match (success, success_body(body)) {
        (true, Some(read)) => Some(Arm::Success(read)),
        // An upgrade is documented as `101 Switching Protocols`.
        (false, Some(Body::Upgrade)) => Some(Arm::Success(Body::Upgrade)),
        (false, _) => error_body(body).map(Arm::Error),
        (true, None) => None,
    }
    .ok_or_else(unknown)
}

/// Whether the status (an integer literal) is a success.
fn status(lit: &Lit) -> Option<bool> {
    match lit {
        // A `101` is progenitor's too (an upgrade, or a body it reads).
        Lit::Int(i) => i
            .base10_parse::<u16>()
            .ok()
            .map(|c| (200..300).contains(&c) || c == 101),
        _ => None,
    }
}

/// `{ expr }` -> `expr`: progenitor writes each arm's body as a block.
fn unblock(expr: &Expr) -> &Expr {
    match expr {
        Expr::Block(block) => match block.block.stmts.as_slice() {
            [syn::Stmt::Expr(inner, None)] => unblock(inner),
            _ => expr,
        },
        _ => expr,
    }
}

/// The arguments of `expr` when it calls the function at `path`.
fn call<'e>(expr: &'e Expr, path: &[&str]) -> Option<&'e Punctuated<Expr, Token![,]>> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Path(function) = &*call.func else {
        return None;
    };
    path_is(&function.path, path).then_some(&call.args)
}

/// The only argument of the call of `path` in `expr`.
fn call1<'e>(expr: &'e Expr, path: &[&str]) -> Option<&'e Expr> {
    call(expr, path).filter(|args| args.len() == 1)?.first()
}

fn awaited(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::Await(e) => Some(&e.base),
        _ => None,
    }
}

/// `ResponseValue::<function>(response)`, awaited or not as progenitor does.
fn response_value(expr: &Expr) -> Option<Body> {
    let named = |e: &Expr, f: &str| call1(e, &["ResponseValue", f]).is_some();
    match awaited(expr) {
        Some(e) if named(e, "from_response") => Some(Body::Typed),
        Some(e) if named(e, "upgrade") => Some(Body::Upgrade),
        Some(_) => None,
        None if named(expr, "empty") => Some(Body::Empty),
        None if named(expr, "stream") => Some(Body::Stream),
        None => None,
    }
}

/// `ResponseValue::from_response(r).await`, `ResponseValue::upgrade(r).await`,
/// or `Ok(..)` of `ResponseValue::empty(r)` / `ResponseValue::stream(r)`.
fn success_body(body: &Expr) -> Option<Body> {
    match response_value(body) {
        Some(awaited @ (Body::Typed | Body::Upgrade)) => Some(awaited),
        Some(_) => None,
        None => match response_value(call1(body, &["Ok"])?)? {
            plain @ (Body::Empty | Body::Stream) => Some(plain),
            _ => None,
        },
    }
}

/// `Err(Error::ErrorResponse(value))`, `value` read with `?` when typed.
fn error_body(body: &Expr) -> Option<Body> {
    let value = call1(call1(body, &["Err"])?, &["Error", "ErrorResponse"])?;
    match value {
        Expr::Try(tried) => (response_value(&tried.expr)? == Body::Typed).then_some(Body::Typed),
        _ => match response_value(value)? {
            plain @ (Body::Empty | Body::Stream) => Some(plain),
            _ => None,
        },
    }
}

/// `Err(Error::UnexpectedResponse(response))` -> `response`.
fn unexpected_response(body: &Expr) -> Option<&Expr> {
    call1(call1(body, &["Err"])?, &["Error", "UnexpectedResponse"])
}

/// `ResponseValue::from_response` in `body` becomes `function`; whether
/// it was there.
fn replace_from_response(body: &mut Expr, function: syn::Path) -> bool {
    struct Replace(syn::Path, bool);
    impl VisitMut for Replace {
        fn visit_expr_path_mut(&mut self, node: &mut syn::ExprPath) {
            if path_is(&node.path, &["ResponseValue", "from_response"]) {
                node.path = self.0.clone();
                self.1 = true;
            }
        }
    }
    let mut replace = Replace(function, false);
    replace.visit_expr_mut(body);
    replace.1
}
