//! Operations of an HTTP method progenitor cannot name (3.2's `query`, an
//! `additionalOperations` entry) send their own method. The loader put
//! each under a free method key of its path item, marked with
//! `x-masstack-method`; progenitor generated that key's method, and this
//! pass rewrites the request (and the httpmock helper's matcher) to the
//! real one, so the operation is never sent as another method.

use std::collections::BTreeMap;

use masstack_openapi::normalise::METHOD_EXTENSION;
use masstack_openapi::operations::operations;
use serde_json::Value;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, parse_quote};

use super::report::{Problem, Rewrites, ShapeError};
use super::syntax::{operation_info_id, path_is};

/// One operation sent with a method progenitor cannot name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// The path template (`/pets`).
    pub path: String,
    /// The method key progenitor generated (`post`).
    pub generated: String,
    /// The method to send (`QUERY`).
    pub sent: String,
}

/// Such operations, by operationId.
pub type Methods = BTreeMap<String, Method>;

/// The marked operations of a spec.
pub fn plans(spec: &Value) -> Methods {
    operations(spec)
        .iter()
        .filter_map(|op| {
            let sent = op.operation.get(METHOD_EXTENSION)?.as_str()?;
            Some((
                op.id()?.to_owned(),
                Method {
                    path: op.path.to_owned(),
                    generated: op.method.to_owned(),
                    sent: sent.to_owned(),
                },
            ))
        })
        .collect()
}

/// Rewrites the request of every planned operation in the client.
pub fn apply(file: &mut syn::File, methods: &Methods) -> Result<Rewrites, ShapeError> {
    let mut pass = Requests {
        methods,
        rewrites: Rewrites::new("methods", "operation"),
    };
    pass.visit_file_mut(file);
    let ids: Vec<String> = methods.keys().cloned().collect();
    pass.rewrites
        .require(&ids, || Problem::Missing("request of the generated method"))?;
    let mut docs = Docs { methods };
    docs.visit_file_mut(file);
    Ok(pass.rewrites)
}

/// progenitor's doc comments (`Sends a `POST` request to `/pets``) name
/// the method sent.
struct Docs<'a> {
    methods: &'a Methods,
}

impl VisitMut for Docs<'_> {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        let syn::Meta::NameValue(doc) = &mut attr.meta else {
            return;
        };
        if !doc.path.is_ident("doc") {
            return;
        }
        let Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &mut doc.value
        else {
            return;
        };
        let mut value = text.value();
        for method in self.methods.values() {
            let generated = format!(
                "Sends a `{}` request to `{}`",
                method.generated.to_uppercase(),
                method.path
            );
            if value.contains(&generated) {
                let sent = format!("Sends a `{}` request to `{}`", method.sent, method.path);
                value = value.replace(&generated, &sent);
            }
        }
        *text = syn::LitStr::new(&value, text.span());
    }
}

/// Rewrites the method matcher of every planned operation's httpmock
/// helper (`impl …When`).
pub fn apply_mock(file: &mut syn::File, methods: &Methods) -> Result<Rewrites, ShapeError> {
    let mut rewrites = Rewrites::new("methods", "operation");
    let by_helper: BTreeMap<String, (&String, &Method)> = methods
        .iter()
        .map(|(id, m)| (format!("{}When", crate::naming::type_name(id)), (id, m)))
        .collect();
    let mut visitor = MockMatchers {
        by_helper,
        current: None,
        rewrites: &mut rewrites,
    };
    visitor.visit_file_mut(file);
    let ids: Vec<String> = methods.keys().cloned().collect();
    rewrites.require(&ids, || Problem::Missing("httpmock method matcher"))?;
    Ok(rewrites)
}

/// Finds each planned operation's function (by its `OperationInfo`) and
/// its `.{generated}(url)` call on the HTTP client.
struct Requests<'a> {
    methods: &'a Methods,
    rewrites: Rewrites,
}

impl VisitMut for Requests<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let mut ids = OperationIds(Vec::new());
        ids.visit_block_mut(block);
        let planned = match ids.0.as_slice() {
            [id] => self.methods.get_key_value(id.as_str()),
            _ => None,
        };
        match planned {
            Some((id, method)) => {
                let mut calls = MethodCalls { method, count: 0 };
                calls.visit_block_mut(block);
                if calls.count > 0 {
                    self.rewrites.add(id, calls.count);
                }
            }
            None => visit_mut::visit_block_mut(self, block),
        }
    }
}

/// The operationIds of the `OperationInfo`s in a block.
struct OperationIds(Vec<String>);

impl VisitMut for OperationIds {
    fn visit_expr_struct_mut(&mut self, node: &mut syn::ExprStruct) {
        if let Some(lit) = operation_info_id(node) {
            self.0.push(lit.value());
        }
        visit_mut::visit_expr_struct_mut(self, node);
    }
}

/// Rewrites `<client>.client.{generated}(url)` into a request of the sent
/// method.
struct MethodCalls<'a> {
    method: &'a Method,
    count: usize,
}

impl VisitMut for MethodCalls<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else { return };
        let on_http_client = matches!(&*call.receiver, Expr::Field(f)
            if matches!(&f.member, syn::Member::Named(n) if n == "client"));
        if call.method != self.method.generated || !on_http_client || call.args.len() != 1 {
            return;
        }
        let receiver = &call.receiver;
        let url = &call.args[0];
        let sent = syn::LitByteStr::new(self.method.sent.as_bytes(), call.method.span());
        *expr = parse_quote! {
            #receiver.request(
                ::reqwest::Method::from_bytes(#sent)
                    .map_err(|e| Error::InvalidRequest(e.to_string()))?,
                #url,
            )
        };
        self.count += 1;
    }
}

/// Rewrites `.method(::httpmock::Method::{GENERATED})` in the planned
/// operations' `impl …When`.
struct MockMatchers<'a, 'b> {
    by_helper: BTreeMap<String, (&'a String, &'a Method)>,
    current: Option<(&'a String, &'a Method)>,
    rewrites: &'b mut Rewrites,
}

impl VisitMut for MockMatchers<'_, '_> {
    fn visit_item_impl_mut(&mut self, node: &mut syn::ItemImpl) {
        let name = match &*node.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        self.current = name.and_then(|n| self.by_helper.get(&n).copied());
        visit_mut::visit_item_impl_mut(self, node);
        self.current = None;
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Some((id, method)) = self.current else {
            return;
        };
        let Expr::MethodCall(call) = expr else { return };
        let generated = method.generated.to_uppercase();
        let matches = call.method == "method"
            && call.args.len() == 1
            && matches!(&call.args[0], Expr::Path(p)
                if path_is(&p.path, &["httpmock", "Method", generated.as_str()]));
        if !matches {
            return;
        }
        let receiver = &call.receiver;
        let sent = &method.sent;
        // httpmock's `Method` has no extension methods: match the text.
        *expr = parse_quote! {
            #receiver.is_true(|request: &::httpmock::HttpMockRequest| request.method_str() == #sent)
        };
        self.rewrites.add(id, 1);
    }
}
