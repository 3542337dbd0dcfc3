//! Adjustments to progenitor's client that progenitor has no setting for,
//! made on the parsed syntax tree before formatting:
//!
//! - `OperationInfo::operation_id` becomes the spec's operationId (progenitor
//!   passes its snake-case method name, although it documents the former);
//! - with the manifest's `decode` setting, responses are read by that
//!   module instead of `ResponseValue::from_response`: `success` for
//!   documented 2xx statuses, `error` for documented error statuses, and
//!   `undocumented` / `undocumented_empty` for every other status; fields
//!   with `#[serde(default)]` also read `null` as absent through its
//!   `null_as_default`;
//! - derives listed in `feature_derives` move under `cfg_attr(feature = …)`,
//!   with their helper attributes, so consumers only compile them on demand.
//!
//! And to progenitor's CLI ([`apply_cli`]):
//! - `--json-body` conflicts with the per-field options of the same body
//!   (progenitor lets the file silently replace them);
//! - with `cli_body`, body files are read by that module's `read_body`
//!   (`-` is standard input) and parsed by its `parse_body`, which refuses
//!   fields the body type does not have instead of dropping them.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, ExprMatch, Lit, Meta, Pat, parse_quote};

/// What to change, from the manifest.
#[derive(Clone, Default)]
pub struct Refinements {
    /// Module path of the decoding functions (`masstack_client_runtime::decode`).
    pub decode: Option<syn::Path>,
    /// Derive path (as written in `derives`) -> the crate feature it needs.
    pub feature_derives: BTreeMap<String, String>,
    /// Module of `read_body` / `parse_body` for the generated CLI.
    pub cli_body: Option<syn::Path>,
    /// Data types (those that derive serde's traits) get `#[non_exhaustive]`.
    pub non_exhaustive: bool,
    /// String enums keep values the spec does not list ([`super::open_enums`]).
    pub open_enums: bool,
}

/// Applies the refinements to a client file. `operation_ids` are the
/// spec's; an `OperationInfo` whose method name matches none is returned
/// as an error naming it.
pub fn apply(
    file: &mut syn::File,
    operation_ids: &[String],
    refinements: &Refinements,
) -> Result<(), String> {
    let by_method: BTreeMap<String, &str> = operation_ids
        .iter()
        .map(|id| (method_name(id), id.as_str()))
        .collect();
    if refinements.open_enums {
        let schema_feature = refinements
            .feature_derives
            .iter()
            .find(|(path, _)| path.ends_with("JsonSchema"))
            .map(|(_, feature)| feature.as_str());
        super::open_enums::apply(file, schema_feature)?;
    }
    let mut pass = Pass {
        by_method,
        refinements,
        unknown: BTreeSet::new(),
    };
    pass.visit_file_mut(file);
    match pass.unknown.into_iter().next() {
        None => Ok(()),
        Some(name) => Err(format!(
            "progenitor generated the method `{name}`, which matches no operationId of the spec"
        )),
    }
}

/// Applies the CLI refinements to progenitor's `cli.rs`.
pub fn apply_cli(file: &mut syn::File, refinements: &Refinements) {
    let mut fields = BodyFields::default();
    // Reads only; syn's read-only visitor is a feature this crate does not need otherwise.
    fields.visit_file_mut(file);
    let mut pass = CliPass {
        body_fields: fields.by_operation,
        cli_body: refinements.cli_body.as_ref(),
        operation: None,
    };
    pass.visit_file_mut(file);
}

/// Per operation (progenitor's snake-case name), the options that set a
/// field of the body: those its `execute_*` method passes to `body_map`.
#[derive(Default)]
struct BodyFields {
    by_operation: BTreeMap<String, Vec<String>>,
    operation: Option<String>,
}

impl VisitMut for BodyFields {
    fn visit_impl_item_fn_mut(&mut self, node: &mut syn::ImplItemFn) {
        let name = node.sig.ident.to_string();
        self.operation = name.strip_prefix("execute_").map(str::to_owned);
        visit_mut::visit_impl_item_fn_mut(self, node);
        self.operation = None;
    }

    fn visit_expr_if_mut(&mut self, node: &mut syn::ExprIf) {
        if let (Some(op), Expr::Let(cond)) = (&self.operation, &*node.cond) {
            let sets_body_field = node
                .then_branch
                .to_token_stream()
                .to_string()
                .contains("body_map");
            if let (true, Some(id)) = (sets_body_field, get_one_id(&cond.expr)) {
                self.by_operation.entry(op.clone()).or_default().push(id);
            }
        }
        visit_mut::visit_expr_if_mut(self, node);
    }
}

/// `matches.get_one::<T>("id")` -> `id`.
fn get_one_id(expr: &Expr) -> Option<String> {
    let Expr::MethodCall(call) = expr else {
        return None;
    };
    if call.method != "get_one" {
        return None;
    }
    match call.args.first()? {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

struct CliPass<'a> {
    body_fields: BTreeMap<String, Vec<String>>,
    cli_body: Option<&'a syn::Path>,
    operation: Option<String>,
}

impl VisitMut for CliPass<'_> {
    fn visit_impl_item_fn_mut(&mut self, node: &mut syn::ImplItemFn) {
        self.operation = node
            .sig
            .ident
            .to_string()
            .strip_prefix("cli_")
            .map(str::to_owned);
        visit_mut::visit_impl_item_fn_mut(self, node);
        self.operation = None;
    }

    fn visit_expr_method_call_mut(&mut self, node: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, node);
        let fields = self
            .operation
            .as_ref()
            .and_then(|op| self.body_fields.get(op));
        if let (Some(fields), true) = (fields, node.method == "arg")
            && let Some(arg) = node.args.first_mut()
            && root_arg_id(arg).as_deref() == Some("json-body")
        {
            let original = arg.clone();
            *arg = parse_quote!(#original.conflicts_with_all([#(#fields),*]));
        }
    }

    fn visit_expr_call_mut(&mut self, node: &mut syn::ExprCall) {
        visit_mut::visit_expr_call_mut(self, node);
        let Some(module) = self.cli_body else { return };
        let Expr::Path(function) = &mut *node.func else {
            return;
        };
        let segments: Vec<String> = function
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if segments == ["std", "fs", "read_to_string"] {
            function.path = parse_quote!(#module::read_body);
        } else if segments == ["serde_json", "from_str"] {
            let turbofish = function.path.segments.last().map(|s| s.arguments.clone());
            let mut path: syn::Path = parse_quote!(#module::parse_body);
            if let (Some(last), Some(args)) = (path.segments.last_mut(), turbofish) {
                last.arguments = args;
            }
            function.path = path;
        }
    }
}

/// The id of `::clap::Arg::new("id")` at the root of a builder chain.
fn root_arg_id(expr: &Expr) -> Option<String> {
    match expr {
        Expr::MethodCall(call) => root_arg_id(&call.receiver),
        Expr::Call(call) => {
            let Expr::Path(path) = &*call.func else {
                return None;
            };
            let last = path.path.segments.last()?;
            if last.ident != "new" {
                return None;
            }
            match call.args.first()? {
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            }
        }
        _ => None,
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

struct Pass<'a> {
    by_method: BTreeMap<String, &'a str>,
    refinements: &'a Refinements,
    unknown: BTreeSet<String>,
}

impl VisitMut for Pass<'_> {
    fn visit_expr_struct_mut(&mut self, node: &mut syn::ExprStruct) {
        if node.path.is_ident("OperationInfo") {
            for field in &mut node.fields {
                let is_id = matches!(&field.member, syn::Member::Named(n) if n == "operation_id");
                if let (true, Expr::Lit(lit)) = (is_id, &mut field.expr)
                    && let Lit::Str(s) = &lit.lit
                {
                    match self.by_method.get(&s.value()) {
                        Some(id) => lit.lit = Lit::Str(syn::LitStr::new(id, s.span())),
                        None => {
                            self.unknown.insert(s.value());
                        }
                    }
                }
            }
        }
        visit_mut::visit_expr_struct_mut(self, node);
    }

    fn visit_expr_match_mut(&mut self, node: &mut ExprMatch) {
        if let (Some(decode), true) = (&self.refinements.decode, is_status_match(node)) {
            route_decoding(node, decode);
        }
        visit_mut::visit_expr_match_mut(self, node);
    }

    fn visit_item_struct_mut(&mut self, node: &mut syn::ItemStruct) {
        self.mark_non_exhaustive(&mut node.attrs);
        self.gate_derives(&mut node.attrs);
        if let Some(decode) = &self.refinements.decode
            && derives(&node.attrs, "Deserialize")
        {
            for field in node.fields.iter_mut() {
                null_as_default(&mut field.attrs, decode);
            }
        }
        visit_mut::visit_item_struct_mut(self, node);
    }

    fn visit_item_enum_mut(&mut self, node: &mut syn::ItemEnum) {
        self.mark_non_exhaustive(&mut node.attrs);
        self.gate_derives(&mut node.attrs);
        visit_mut::visit_item_enum_mut(self, node);
    }
}

impl Pass<'_> {
    /// `#[non_exhaustive]` on a data type (one that derives serde's traits:
    /// builders and the client do not), so that fields and variants can
    /// be added without breaking users' code.
    fn mark_non_exhaustive(&self, attrs: &mut Vec<Attribute>) {
        if !self.refinements.non_exhaustive
            || !(derives(attrs, "Deserialize") || derives(attrs, "Serialize"))
        {
            return;
        }
        if !attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
            attrs.push(parse_quote!(#[non_exhaustive]));
        }
    }

    /// `#[derive(A, schemars::JsonSchema)]` becomes `#[derive(A)]
    /// #[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]`, and each
    /// `#[schemars(…)]` `#[cfg_attr(feature = "cli", schemars(…))]`.
    fn gate_derives(&self, attrs: &mut Vec<Attribute>) {
        if self.refinements.feature_derives.is_empty() {
            return;
        }
        let mut gated: Vec<Attribute> = Vec::new();
        let mut helpers: BTreeMap<String, String> = BTreeMap::new();
        for attr in attrs.iter_mut() {
            let Meta::List(list) = &mut attr.meta else {
                continue;
            };
            if !list.path.is_ident("derive") {
                continue;
            }
            let mut kept = Vec::new();
            for derive in split_commas(list.tokens.clone()) {
                let name = compact(&derive);
                let wanted = self
                    .refinements
                    .feature_derives
                    .iter()
                    .find(|(path, _)| compact_str(path) == name);
                match wanted {
                    Some((path, feature)) => {
                        let helper = path
                            .trim_start_matches("::")
                            .split("::")
                            .next()
                            .unwrap_or(path);
                        helpers.insert(helper.to_owned(), feature.clone());
                        gated.push(parse_quote!(#[cfg_attr(feature = #feature, derive(#derive))]));
                    }
                    None => kept.push(derive),
                }
            }
            list.tokens = join_commas(kept);
        }
        if gated.is_empty() {
            return;
        }
        attrs.retain(|a| !matches!(&a.meta, Meta::List(l) if l.path.is_ident("derive") && l.tokens.is_empty()));
        for attr in attrs.iter_mut() {
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
        // After the remaining derives, before the helper attributes.
        let at = attrs
            .iter()
            .rposition(|a| a.path().is_ident("derive"))
            .map_or(0, |i| i + 1);
        for (i, attr) in gated.into_iter().enumerate() {
            attrs.insert(at + i, attr);
        }
    }
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Success {
    Typed,
    Empty,
    Other,
}

fn route_decoding(node: &mut ExprMatch, decode: &syn::Path) {
    let mut success = Success::Other;
    for arm in &mut node.arms {
        if matches!(arm.pat, Pat::Wild(_)) {
            continue;
        }
        let target = if is_success_pattern(&arm.pat) {
            let text = arm.body.to_token_stream().to_string();
            if text.contains("from_response") {
                success = Success::Typed;
            } else if text.contains("ResponseValue :: empty") {
                success = Success::Empty;
            }
            "success"
        } else {
            "error"
        };
        let function = syn::Ident::new(target, proc_macro2::Span::call_site());
        let replacement: syn::Path = parse_quote!(#decode::#function);
        ReplaceFromResponse(&replacement).visit_expr_mut(&mut arm.body);
    }
    for arm in &mut node.arms {
        if !matches!(arm.pat, Pat::Wild(_)) {
            continue;
        }
        let Some(response) = unexpected_response_arg(&arm.body) else {
            continue;
        };
        arm.body = match success {
            Success::Typed => Box::new(parse_quote!(#decode::undocumented(#response).await)),
            Success::Empty => Box::new(parse_quote!(#decode::undocumented_empty(#response).await)),
            Success::Other => continue,
        };
    }
}

/// A 2xx code (`201u16`) or range (`200..=299`).
fn is_success_pattern(pat: &Pat) -> bool {
    let code = |e: &Expr| match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => i.base10_parse::<u16>().ok(),
            _ => None,
        },
        _ => None,
    };
    match pat {
        Pat::Lit(l) => code(&Expr::Lit(l.clone())).is_some_and(|c| (200..300).contains(&c)),
        Pat::Range(r) => r
            .start
            .as_deref()
            .and_then(code)
            .is_some_and(|c| (200..300).contains(&c)),
        _ => false,
    }
}

/// `Err(Error::UnexpectedResponse(response))` -> `response`.
fn unexpected_response_arg(body: &Expr) -> Option<Expr> {
    let Expr::Call(err) = body else { return None };
    let Expr::Call(inner) = err.args.first()? else {
        return None;
    };
    let Expr::Path(path) = &*inner.func else {
        return None;
    };
    let last = path.path.segments.last()?;
    (last.ident == "UnexpectedResponse").then(|| inner.args.first().cloned())?
}

struct ReplaceFromResponse<'a>(&'a syn::Path);

impl VisitMut for ReplaceFromResponse<'_> {
    fn visit_expr_path_mut(&mut self, node: &mut syn::ExprPath) {
        let segments: Vec<String> = node
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if segments == ["ResponseValue", "from_response"] {
            node.path = self.0.clone();
        }
    }
}

pub(super) fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|a| match &a.meta {
        Meta::List(l) if l.path.is_ident("derive") => split_commas(l.tokens.clone())
            .iter()
            .any(|d| compact(d).ends_with(name)),
        _ => false,
    })
}

/// `#[serde(default, …)]` gains `deserialize_with = "<decode>::null_as_default"`.
fn null_as_default(attrs: &mut [Attribute], decode: &syn::Path) {
    for attr in attrs {
        let Meta::List(list) = &mut attr.meta else {
            continue;
        };
        if !list.path.is_ident("serde") {
            continue;
        }
        let parts = split_commas(list.tokens.clone());
        let key = |p: &TokenStream| p.clone().into_iter().next().map(|t| t.to_string());
        let has_plain_default = parts.iter().any(|p| compact(p) == "default");
        let has_with = parts
            .iter()
            .any(|p| matches!(key(p).as_deref(), Some("with" | "deserialize_with")));
        if has_plain_default && !has_with {
            let function = format!("{}::null_as_default", compact(&decode.to_token_stream()));
            let mut parts = parts;
            parts.push(quote!(deserialize_with = #function));
            list.tokens = join_commas(parts);
        }
    }
}

/// The top-level comma-separated pieces of an attribute's arguments.
pub(super) fn split_commas(tokens: TokenStream) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let mut current = TokenStream::new();
    for tt in tokens {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => {
                out.push(std::mem::take(&mut current));
            }
            _ => current.extend([tt]),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

pub(super) fn join_commas(parts: Vec<TokenStream>) -> TokenStream {
    let mut out = TokenStream::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.extend(quote!(,));
        }
        out.extend(part);
    }
    out
}

/// Token text without spaces: `:: serde :: Deserialize` -> `::serde::Deserialize`.
pub(super) fn compact(tokens: &TokenStream) -> String {
    compact_str(&tokens.to_string())
}

fn compact_str(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_start_matches("::")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refined(code: TokenStream, decode: bool, gate: bool) -> Result<String, String> {
        let mut file: syn::File = syn::parse2(code).unwrap();
        let refinements = Refinements {
            decode: decode.then(|| parse_quote!(rt::decode)),
            feature_derives: if gate {
                [("schemars::JsonSchema".to_owned(), "cli".to_owned())].into()
            } else {
                BTreeMap::new()
            },
            cli_body: None,
            non_exhaustive: false,
            open_enums: false,
        };
        apply(
            &mut file,
            &["getTicket".to_owned(), "createTicket".to_owned()],
            &refinements,
        )?;
        Ok(prettyplease::unparse(&file))
    }

    #[test]
    fn method_names_follow_progenitor() {
        assert_eq!(method_name("getTicket"), "get_ticket");
        assert_eq!(method_name("searchByIDParams"), "search_by_id_params");
        assert_eq!(method_name("get-ticket.v2"), "get_ticket_v2");
        assert_eq!(method_name("type"), "type_");
        assert_eq!(method_name("2fa"), "_2fa");
    }

    #[test]
    fn operation_info_carries_the_operation_id() {
        let out = refined(
            quote! { fn f() { let info = OperationInfo { operation_id: "get_ticket" }; } },
            false,
            false,
        )
        .unwrap();
        assert!(out.contains(r#"operation_id: "getTicket""#), "{out}");
        let err = refined(
            quote! { fn f() { let info = OperationInfo { operation_id: "delete_all" }; } },
            false,
            false,
        )
        .unwrap_err();
        assert!(err.contains("`delete_all`"), "{err}");
    }

    #[test]
    fn responses_are_routed_to_the_decode_module() {
        let code = quote! {
            async fn send() {
                match response.status().as_u16() {
                    201u16 => ResponseValue::from_response(response).await,
                    400u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
            async fn delete() {
                match response.status().as_u16() {
                    204u16 => Ok(ResponseValue::empty(response)),
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
            async fn raw() {
                match response.status().as_u16() {
                    200..=299 => Ok(ResponseValue::stream(response)),
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        };
        let out = refined(code, true, false).unwrap();
        let expected = [
            "201u16 => rt::decode::success(response).await,",
            "Err(Error::ErrorResponse(rt::decode::error(response).await?))",
            "_ => rt::decode::undocumented(response).await,",
            "_ => rt::decode::undocumented_empty(response).await,",
            "_ => Err(Error::UnexpectedResponse(response)),",
        ];
        for line in expected {
            assert!(out.contains(line), "missing `{line}` in\n{out}");
        }
        assert!(!out.contains("from_response"), "{out}");
        // Without the setting, progenitor's code stays.
        let code = quote! { fn f() { match r.status().as_u16() { 200u16 => ResponseValue::from_response(r).await, _ => Err(Error::UnexpectedResponse(r)) } } };
        let out = refined(code, false, false).unwrap();
        assert!(out.contains("ResponseValue::from_response(r)"), "{out}");
    }

    #[test]
    fn defaulted_fields_read_null_as_absent() {
        let code = quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Ticket {
                #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                pub components: Vec<Component>,
                #[serde(default = "defaults::x")]
                pub x: i64,
                #[serde(rename = "key")]
                pub key: String,
            }
            #[derive(::serde::Serialize)]
            pub struct Out {
                #[serde(default)]
                pub y: Vec<i64>,
            }
        };
        let out = refined(code, true, false).unwrap();
        assert!(
            compact_str(&out).contains(&compact_str(r#"#[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty", deserialize_with = "rt::decode::null_as_default")] pub components"#)),
            "{out}"
        );
        assert_eq!(out.matches("null_as_default").count(), 1, "{out}");
    }

    #[test]
    fn the_json_body_conflicts_with_body_fields_and_is_read_strictly() {
        let code = quote! {
            impl<T: CliConfig> Cli<T> {
                pub fn cli_create_ticket() -> ::clap::Command {
                    ::clap::Command::new("")
                        .arg(::clap::Arg::new("summary").long("summary"))
                        .arg(::clap::Arg::new("org").long("org"))
                        .arg(::clap::Arg::new("json-body").long("json-body").required(false))
                }
                pub fn cli_get_ticket() -> ::clap::Command {
                    ::clap::Command::new("").arg(::clap::Arg::new("org").long("org"))
                }
                pub async fn execute_create_ticket(&self, matches: &::clap::ArgMatches) -> anyhow::Result<()> {
                    let mut request = self.client.create_ticket();
                    if let Some(value) = matches.get_one::<::std::string::String>("summary") {
                        request = request.body_map(|body| { body.summary(value.clone()) });
                    }
                    if let Some(value) = matches.get_one::<::std::string::String>("org") {
                        request = request.org(value.clone());
                    }
                    if let Some(value) = matches.get_one::<std::path::PathBuf>("json-body") {
                        let body_txt = std::fs::read_to_string(value)?;
                        let body_value = serde_json::from_str::<types::Ticket>(&body_txt)?;
                        request = request.body(body_value);
                    }
                    Ok(())
                }
            }
        };
        let mut file: syn::File = syn::parse2(code).unwrap();
        let refinements = Refinements {
            cli_body: Some(parse_quote!(rt::cli)),
            ..Refinements::default()
        };
        apply_cli(&mut file, &refinements);
        let out = compact_str(&prettyplease::unparse(&file));
        for expected in [
            r#".required(false).conflicts_with_all(["summary"])"#,
            "rt::cli::read_body(value)",
            "rt::cli::parse_body::<types::Ticket>(&body_txt)",
        ] {
            assert!(
                out.contains(&compact_str(expected)),
                "missing {expected} in {out}"
            );
        }
        assert_eq!(out.matches("conflicts_with_all").count(), 1, "{out}");
    }

    #[test]
    fn feature_derives_move_under_cfg_attr() {
        let code = quote! {
            #[derive(::serde::Deserialize, Clone, schemars::JsonSchema)]
            #[serde(untagged)]
            #[schemars(rename = "X")]
            pub enum X { A }
            #[derive(schemars::JsonSchema)]
            pub struct Y;
        };
        let out = refined(code, false, true).unwrap();
        let expected = r#"#[derive(::serde::Deserialize, Clone)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(untagged)]
#[cfg_attr(feature = "cli", schemars(rename = "X"))]
pub enum X {"#;
        assert!(out.contains(expected), "{out}");
        assert!(
            out.contains(
                "#[cfg_attr(feature = \"cli\", derive(schemars::JsonSchema))]\npub struct Y;"
            ),
            "{out}"
        );
        assert!(!out.contains("#[derive()]"), "{out}");
    }
}
