//! The media types the adapt stage presented to progenitor as others
//! ([`crate::adapt::media`]) put back: the request's real `Content-Type`
//! and the responses' `Accept`, and a `multipart/form-data` body sent from
//! a builder of its parts (`multipart::UploadPhotoParts`, one setter per
//! part) instead of progenitor's raw `body`.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use masstack_openapi::operations::operations;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprMethodCall, Lit, parse_quote};

use super::report::{Problem, Rewrites, ShapeError};
use super::syntax::{operation_info_id, path_is};
use crate::adapt::media::{MEDIA_TYPE, MULTIPART, parts_name};

/// What to put back, by operationId.
pub type Plans = BTreeMap<String, Plan>;

/// One operation's media types as the spec wrote them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The request's content type, where progenitor sends another.
    pub content_type: Option<String>,
    /// The parts of a `multipart/form-data` request body.
    pub parts: Option<Vec<Part>>,
    /// The `Accept` header, where a response's JSON is `application/*+json`.
    pub accept: Option<String>,
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Its name in the form.
    pub name: String,
    /// A file (bytes), else text.
    pub binary: bool,
    /// The form is refused without it.
    pub required: bool,
}

/// Reads the adapt stage's markers off the adapted spec.
pub fn plans(json: &Value) -> Plans {
    let mut plans = Plans::new();
    for op in operations(json) {
        let Some(id) = op.id() else { continue };
        let mut plan = Plan::default();
        for (_, media) in op.request_bodies(json) {
            plan.content_type = media
                .get(MEDIA_TYPE)
                .and_then(Value::as_str)
                .map(str::to_owned);
            plan.parts = media.get(MULTIPART).and_then(Value::as_array).map(|parts| {
                parts
                    .iter()
                    .map(|p| Part {
                        name: p["name"].as_str().unwrap_or_default().to_owned(),
                        binary: p["binary"] == Value::Bool(true),
                        required: p["required"] == Value::Bool(true),
                    })
                    .collect()
            });
        }
        let mut accept = BTreeSet::new();
        let mut marked = false;
        for (_, response) in op.responses(json) {
            let Some(json_media) = response.pointer("/content/application~1json") else {
                continue;
            };
            match json_media.get(MEDIA_TYPE).and_then(Value::as_str) {
                Some(real) => {
                    marked = true;
                    accept.insert(real.to_owned());
                }
                None => {
                    accept.insert("application/json".to_owned());
                }
            }
        }
        if marked {
            plan.accept = Some(accept.into_iter().collect::<Vec<_>>().join(", "));
        }
        if plan != Plan::default() {
            plans.insert(id.to_owned(), plan);
        }
    }
    plans
}

/// Applies the plans; counts the rewrites per operation.
pub fn apply(file: &mut syn::File, plans: &Plans) -> Result<Rewrites, ShapeError> {
    let mut pass = Media {
        plans,
        rewrites: Rewrites::new("media", "operation"),
        operation: None,
        builders: BTreeMap::new(),
        content_types: BTreeMap::new(),
    };
    if plans.is_empty() {
        return Ok(pass.rewrites);
    }
    pass.visit_file_mut(file);
    for (id, plan) in plans {
        let sent = pass.content_types.get(id).copied().unwrap_or(0);
        if (plan.content_type.is_some() || plan.parts.is_some()) && sent == 0 {
            return Err(pass
                .rewrites
                .fail(id, Problem::Missing("request `Content-Type`")));
        }
        pass.rewrites.add(id, 0);
    }
    let multipart: Vec<(&String, &Vec<Part>)> = plans
        .iter()
        .filter_map(|(id, p)| p.parts.as_ref().map(|parts| (id, parts)))
        .collect();
    if multipart.is_empty() {
        return Ok(pass.rewrites);
    }
    let Some(builder) = module(file, "builder") else {
        let (id, _) = multipart[0];
        return Err(pass.rewrites.fail(id, Problem::Missing("`builder` module")));
    };
    let mut items = Vec::new();
    for (id, parts) in multipart {
        let Some(name) = pass.builders.get(id) else {
            return Err(pass.rewrites.fail(id, Problem::Missing("builder `send`")));
        };
        let parts_type = format_ident!("{}", parts_name(id));
        let n = builder_body(builder, name, &parts_type);
        if n != 2 {
            return Err(pass
                .rewrites
                .fail(id, Problem::Missing("builder `body` field and method")));
        }
        pass.rewrites.add(id, n);
        items.push(parts_struct(id, &parts_type, parts));
    }
    file.items.push(parse_quote! {
        /// The parts of `multipart/form-data` request bodies.
        pub mod multipart {
            #(#items)*
        }
    });
    Ok(pass.rewrites)
}

struct Media<'a> {
    plans: &'a Plans,
    rewrites: Rewrites,
    /// The operationId of the function being visited.
    operation: Option<String>,
    /// operationId -> the builder struct whose `send` it is.
    builders: BTreeMap<String, syn::Ident>,
    /// operationId -> requests whose `Content-Type` was set.
    content_types: BTreeMap<String, usize>,
}

impl VisitMut for Media<'_> {
    fn visit_item_impl_mut(&mut self, node: &mut syn::ItemImpl) {
        for item in &mut node.items {
            if let syn::ImplItem::Fn(f) = item {
                let outer = std::mem::replace(&mut self.operation, operation_of(&mut f.block));
                if let (Some(id), syn::Type::Path(ty)) = (&self.operation, &*node.self_ty)
                    && f.sig.ident == "send"
                    && let Some(last) = ty.path.segments.last()
                {
                    self.builders.insert(id.clone(), last.ident.clone());
                }
                self.visit_impl_item_fn_mut(f);
                self.operation = outer;
            }
        }
    }

    fn visit_expr_method_call_mut(&mut self, node: &mut ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, node);
        let Some(id) = self.operation.clone() else {
            return;
        };
        let Some(plan) = self.plans.get(&id) else {
            return;
        };
        if let Some(accept) = &plan.accept
            && header_literal(node, "ACCEPT").is_some_and(|lit| {
                *lit = syn::LitStr::new(accept, lit.span());
                true
            })
        {
            self.rewrites.add(&id, 1);
        }
        if plan.parts.is_some() {
            // `.header(CONTENT_TYPE, …).body(body)` -> `.multipart(form)`:
            // reqwest sets the content type with the boundary.
            if node.method == "body"
                && let Expr::MethodCall(header) = &mut *node.receiver
                && header_literal(header, "CONTENT_TYPE").is_some()
            {
                let receiver = &header.receiver;
                *node = parse_quote! {
                    #receiver.multipart(body.into_form().map_err(Error::InvalidRequest)?)
                };
                *self.content_types.entry(id.clone()).or_default() += 1;
                self.rewrites.add(&id, 1);
            }
            return;
        }
        let Some(content_type) = &plan.content_type else {
            return;
        };
        if let Some(lit) = header_literal(node, "CONTENT_TYPE") {
            *lit = syn::LitStr::new(content_type, lit.span());
        } else if node.method == "json" {
            // reqwest's `json` keeps a content type already set.
            let receiver = &node.receiver;
            let receiver: Expr = parse_quote! {
                #receiver.header(
                    ::reqwest::header::CONTENT_TYPE,
                    ::reqwest::header::HeaderValue::from_static(#content_type),
                )
            };
            *node.receiver = receiver;
        } else {
            return;
        }
        *self.content_types.entry(id.clone()).or_default() += 1;
        self.rewrites.add(&id, 1);
    }
}

/// The `"…"` of `.header(::reqwest::header::NAME, HeaderValue::from_static("…"))`.
fn header_literal<'a>(node: &'a mut ExprMethodCall, name: &str) -> Option<&'a mut syn::LitStr> {
    if node.method != "header" || node.args.len() != 2 {
        return None;
    }
    let named =
        matches!(&node.args[0], Expr::Path(p) if path_is(&p.path, &["reqwest", "header", name]));
    if !named {
        return None;
    }
    let Expr::Call(call) = &mut node.args[1] else {
        return None;
    };
    let from_static = matches!(&*call.func, Expr::Path(p)
        if path_is(&p.path, &["reqwest", "header", "HeaderValue", "from_static"]));
    match call.args.first_mut() {
        Some(Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        })) if from_static => Some(s),
        _ => None,
    }
}

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

fn module<'a>(file: &'a mut syn::File, name: &str) -> Option<&'a mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The builder `name` takes the parts: its `body` field and its `body`
/// method. Returns how many of the two it rewrote.
fn builder_body(items: &mut [syn::Item], name: &syn::Ident, parts: &syn::Ident) -> usize {
    let mut n = 0;
    for item in items {
        match item {
            syn::Item::Struct(s) if s.ident == *name => {
                for field in &mut s.fields {
                    if field.ident.as_ref().is_some_and(|i| i == "body") {
                        field.ty = parse_quote!(Result<super::multipart::#parts, String>);
                        n += 1;
                    }
                }
            }
            syn::Item::Impl(i) if matches!(&*i.self_ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == *name)) =>
            {
                for item in &mut i.items {
                    if let syn::ImplItem::Fn(f) = item
                        && f.sig.ident == "body"
                    {
                        *f = parse_quote! {
                            /// The body's parts.
                            pub fn body(mut self, value: super::multipart::#parts) -> Self {
                                self.body = Ok(value);
                                self
                            }
                        };
                        n += 1;
                    }
                }
            }
            _ => {}
        }
    }
    n
}

/// A Rust identifier for a part's setter, not one of `taken`.
fn field_name(name: &str, taken: &mut BTreeSet<String>) -> syn::Ident {
    let mut base = name.to_snake_case();
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base = format!("part_{base}");
    }
    if syn::parse_str::<syn::Ident>(&base).is_err() {
        base.push('_');
    }
    let mut candidate = base.clone();
    let mut n = 1;
    while taken.contains(&candidate) || taken.contains(&format!("{candidate}_part")) {
        n += 1;
        candidate = format!("{base}_{n}");
    }
    taken.insert(candidate.clone());
    taken.insert(format!("{candidate}_part"));
    format_ident!("{}", candidate)
}

/// The builder of one operation's parts.
fn parts_struct(id: &str, ty: &syn::Ident, parts: &[Part]) -> TokenStream {
    let mut taken: BTreeSet<String> = ["new", "part", "into_form", "extra"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut adds = Vec::new();
    for part in parts {
        let field = field_name(&part.name, &mut taken);
        let name = &part.name;
        fields.push(quote! { #field: Option<::reqwest::multipart::Part> });
        let with_part = format_ident!("{}_part", field);
        let required = if part.required { " (required)" } else { "" };
        let setter = if part.binary {
            let doc = format!("The `{name}` file{required}: its bytes.");
            quote! {
                #[doc = #doc]
                pub fn #field(mut self, bytes: impl Into<Vec<u8>>) -> Self {
                    self.#field = Some(::reqwest::multipart::Part::bytes(bytes.into()));
                    self
                }
            }
        } else {
            let doc = format!("The `{name}` part{required}, as text.");
            quote! {
                #[doc = #doc]
                pub fn #field(mut self, value: impl Into<String>) -> Self {
                    self.#field = Some(::reqwest::multipart::Part::text(value.into()));
                    self
                }
            }
        };
        let part_doc = format!(
            "The `{name}` part as built by the caller: a stream, a file name, a content type."
        );
        setters.push(quote! {
            #setter
            #[doc = #part_doc]
            pub fn #with_part(mut self, part: ::reqwest::multipart::Part) -> Self {
                self.#field = Some(part);
                self
            }
        });
        adds.push(if part.required {
            let missing = format!("the multipart part `{name}` is required");
            quote! {
                match self.#field {
                    Some(part) => form = form.part(#name, part),
                    None => return Err(#missing.to_string()),
                }
            }
        } else {
            quote! {
                if let Some(part) = self.#field {
                    form = form.part(#name, part);
                }
            }
        });
    }
    let doc = format!("The parts of `{id}`'s `multipart/form-data` body.");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Default)]
        pub struct #ty {
            #(#fields,)*
            extra: Vec<(String, ::reqwest::multipart::Part)>,
        }

        impl #ty {
            /// No part yet.
            pub fn new() -> Self {
                Self::default()
            }
            #(#setters)*
            /// A part the spec does not list.
            pub fn part(mut self, name: impl Into<String>, part: ::reqwest::multipart::Part) -> Self {
                self.extra.push((name.into(), part));
                self
            }
            /// The form to send; an error names a required part left out.
            pub fn into_form(self) -> Result<::reqwest::multipart::Form, String> {
                let mut form = ::reqwest::multipart::Form::new();
                #(#adds)*
                for (name, part) in self.extra {
                    form = form.part(name, part);
                }
                Ok(form)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn plan(content_type: Option<&str>, parts: bool, accept: Option<&str>) -> Plans {
        let parts = parts.then(|| {
            vec![
                Part {
                    name: "file".into(),
                    binary: true,
                    required: true,
                },
                Part {
                    name: "type".into(),
                    binary: false,
                    required: false,
                },
            ]
        });
        Plans::from([(
            "sendX".to_owned(),
            Plan {
                content_type: content_type.map(str::to_owned),
                parts,
                accept: accept.map(str::to_owned),
            },
        )])
    }

    /// progenitor's builder of a `POST` with a raw body.
    fn builder(body: TokenStream) -> syn::File {
        syn::parse2(quote! {
            pub mod builder {
                pub struct SendX<'a> {
                    client: &'a super::Client,
                    body: Result<reqwest::Body, String>,
                }
                impl<'a> SendX<'a> {
                    pub fn body<B>(mut self, value: B) -> Self
                    where B: std::convert::TryInto<reqwest::Body>
                    {
                        self.body = value.try_into().map_err(|_| "conversion".to_string());
                        self
                    }
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                        let Self { client, body } = self;
                        let body = body.map_err(Error::InvalidRequest)?;
                        let mut request = client.client.post(url)
                            .header(
                                ::reqwest::header::ACCEPT,
                                ::reqwest::header::HeaderValue::from_static("application/json"),
                            )
                            #body
                            .headers(header_map)
                            .build()?;
                        let info = OperationInfo { operation_id: "sendX" };
                    }
                }
            }
        })
        .unwrap()
    }

    fn raw() -> TokenStream {
        quote! {
            .header(
                ::reqwest::header::CONTENT_TYPE,
                ::reqwest::header::HeaderValue::from_static("application/octet-stream"),
            )
            .body(body)
        }
    }

    fn refined(mut file: syn::File, plans: &Plans) -> Result<(String, Rewrites), ShapeError> {
        let rewrites = apply(&mut file, plans)?;
        Ok((prettyplease::unparse(&file), rewrites))
    }

    #[test]
    fn the_plans_are_read_off_the_adapted_spec() {
        let spec = json!({"paths": {"/x": {"post": {
            "operationId": "sendX",
            "requestBody": {"content": {"application/octet-stream": {
                MEDIA_TYPE: "multipart/form-data",
                MULTIPART: [{"name": "file", "binary": true, "required": true}]
            }}},
            "responses": {
                "200": {"content": {"application/json": {MEDIA_TYPE: "application/vnd.x+json"}}},
                "400": {"content": {"application/json": {}}}
            }
        }, "get": {"operationId": "getX", "responses": {}}}}});
        let plans = plans(&spec);
        assert_eq!(
            plans,
            Plans::from([(
                "sendX".to_owned(),
                Plan {
                    content_type: Some("multipart/form-data".into()),
                    parts: Some(vec![Part {
                        name: "file".into(),
                        binary: true,
                        required: true
                    }]),
                    accept: Some("application/json, application/vnd.x+json".into()),
                }
            )])
        );
    }

    #[test]
    fn the_real_content_type_and_accept_are_sent() {
        let plans = plan(Some("image/png"), false, Some("application/vnd.x+json"));
        let (out, rewrites) = refined(builder(raw()), &plans).unwrap();
        assert!(out.contains(r#"from_static("image/png")"#), "{out}");
        assert!(
            out.contains(r#"from_static("application/vnd.x+json")"#),
            "{out}"
        );
        assert!(!out.contains("octet-stream") && !out.contains(r#"("application/json")"#));
        assert_eq!(rewrites.by_item.get("sendX"), Some(&2));
        // A JSON body: the content type goes before `json`, which keeps it.
        let plans = plan(Some("application/vnd.x+json"), false, None);
        let (out, _) = refined(builder(quote! { .json(&body) }), &plans).unwrap();
        let squeezed: String = out.split_whitespace().collect();
        assert!(
            squeezed.contains(r#".header(::reqwest::header::CONTENT_TYPE,::reqwest::header::HeaderValue::from_static("application/vnd.x+json"),).json(&body)"#),
            "{out}"
        );
        // Nothing to set it on: progenitor's code changed.
        let err = refined(builder(quote! { .form_urlencoded(&body)? }), &plans).unwrap_err();
        assert_eq!(
            (err.pass, err.item.as_str(), err.problem),
            ("media", "sendX", Problem::Missing("request `Content-Type`"))
        );
    }

    #[test]
    fn a_multipart_body_is_sent_from_its_parts() {
        let plans = plan(Some("multipart/form-data"), true, None);
        let (out, rewrites) = refined(builder(raw()), &plans).unwrap();
        let squeezed: String = out.split_whitespace().collect();
        for expected in [
            "body:Result<super::multipart::SendXParts,String>",
            "pubfnbody(mutself,value:super::multipart::SendXParts)->Self{self.body=Ok(value);self}",
            ".multipart(body.into_form().map_err(Error::InvalidRequest)?).headers(header_map)",
            "pubmodmultipart{",
            "pubstructSendXParts{file:Option<::reqwest::multipart::Part>,type_:Option<::reqwest::multipart::Part>,extra:",
            "pubfnfile(mutself,bytes:implInto<Vec<u8>>)->Self",
            "pubfnfile_part(mutself,part:::reqwest::multipart::Part)->Self",
            "pubfntype_(mutself,value:implInto<String>)->Self",
            r#"None=>returnErr("themultipartpart`file`isrequired".to_string()),"#,
            r#"ifletSome(part)=self.type_{form=form.part("type",part);}"#,
        ] {
            assert!(squeezed.contains(expected), "missing {expected} in\n{out}");
        }
        assert!(!out.contains("octet-stream"), "{out}");
        assert_eq!(rewrites.by_item.get("sendX"), Some(&3));
        // Without the builder's `body`, the operation is named.
        let mut file = builder(raw());
        if let syn::Item::Mod(m) = &mut file.items[0] {
            m.content.as_mut().unwrap().1.remove(0);
        }
        let err = refined(file, &plans).unwrap_err();
        assert_eq!(
            (err.item.as_str(), err.problem),
            ("sendX", Problem::Missing("builder `body` field and method"))
        );
    }
}
