//! The API surface of a generated client, as sorted, stable text for review:
//! one line per operation, and one entry per generated type with one line
//! per field or variant. A one-field spec change is a one-line diff here.
//!
//! Operations come from the spec (operationId, method, path); their Rust
//! signatures from the generated client, whatever progenitor's interface
//! (builder or positional) and tag style (one `Client`, or one trait per
//! tag). An operation the client has no method for is an error.

use std::collections::BTreeMap;

use quote::ToTokens;
use serde_json::Value;
use syn::{Fields, FnArg, ImplItem, Item, ReturnType, Type};

use crate::generate::refine::method_name;

/// How the client exposes one operation.
enum Signature {
    /// `client.op()` returns a builder; its fields are the parameters.
    Builder(String),
    /// `client.op(a, b)`: the parameters and the return type.
    Positional(Vec<(String, String)>, String),
}

/// Why a client's surface cannot be rendered: progenitor's output is not
/// what this module reads (a bug here or a new progenitor), never the spec's
/// fault once it generated.
#[derive(Debug, thiserror::Error)]
pub enum SurfaceError {
    /// The client's source is not Rust.
    #[error("client does not parse: {0}")]
    Parse(#[from] syn::Error),
    /// An operation without an id has no method to name.
    #[error("{method} {path} has no operationId")]
    NoOperationId {
        /// The method, upper case.
        method: String,
        /// The path template.
        path: String,
    },
    /// A builder without its `send`.
    #[error("builder `{builder}` of `{id}` has no `send`")]
    NoSend {
        /// The builder's type.
        builder: String,
        /// The operation.
        id: String,
    },
    /// An operation the client has no method for.
    #[error(
        "the generated client has no method `{method}` for operation `{id}`; the surface cannot be rendered for this progenitor output"
    )]
    NoMethod {
        /// The method name expected.
        method: String,
        /// The operation.
        id: String,
    },
}

/// What the generated client holds, by name.
#[derive(Default)]
struct ClientItems {
    methods: BTreeMap<String, Signature>,
    /// Method -> the features that compile it (per-tag features).
    gates: BTreeMap<String, String>,
    /// Builder -> its parameters.
    builders: BTreeMap<String, Vec<(String, String)>>,
    /// Builder -> the return type of its `send`.
    sends: BTreeMap<String, String>,
    /// One rendered entry per generated type.
    types: Vec<String>,
}

/// Renders the surface of `client_source`, generated from `spec`.
pub fn render(spec: &Value, client_source: &str) -> Result<String, SurfaceError> {
    let file = syn::parse_file(client_source)?;
    let client = client_items(&file);
    // Operations without an id carry the name generation gave them.
    let mut named = spec.clone();
    crate::fixes::name_missing(&mut named);
    let mut operations = masstack_openapi::operations::operations(&named)
        .iter()
        .map(|op| operation_line(op, &client))
        .collect::<Result<Vec<_>, _>>()?;
    operations.sort();
    let mut types = client.types;
    types.sort();

    let mut out = String::from("# Operations\n");
    for op in operations {
        out.push_str(&op);
        out.push('\n');
    }
    let webhooks = webhook_lines(spec);
    if !webhooks.is_empty() {
        out.push_str("\n# Webhooks (payload types for receivers; no client method)\n");
        for line in webhooks {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str("\n# Types\n");
    for t in types {
        out.push_str(&t);
    }
    Ok(out)
}

fn client_items(file: &syn::File) -> ClientItems {
    let mut client = ClientItems::default();
    for item in &file.items {
        match item {
            // `impl Client` (merged tags) or `impl TagExt for Client` (separate).
            Item::Impl(imp) if type_name(&imp.self_ty) == "Client" => {
                for it in &imp.items {
                    if let ImplItem::Fn(f) = it
                        && let Some(signature) = signature(&f.sig)
                    {
                        client.methods.insert(f.sig.ident.to_string(), signature);
                        if let Some(gate) = gate(&f.attrs) {
                            client.gates.insert(f.sig.ident.to_string(), gate);
                        }
                    }
                }
            }
            Item::Mod(m) if m.ident == "builder" => {
                for it in m.content.iter().flat_map(|(_, items)| items) {
                    builder_item(it, &mut client);
                }
            }
            Item::Mod(m) if m.ident == "types" => {
                let items = m.content.iter().flat_map(|(_, items)| items);
                client.types.extend(items.filter_map(type_entry));
            }
            _ => {}
        }
    }
    client
}

/// A builder struct's parameters, or the return type of its `send`.
fn builder_item(item: &Item, client: &mut ClientItems) {
    match item {
        Item::Struct(s) => {
            let fields = s
                .fields
                .iter()
                .filter(|f| f.ident.as_ref().is_some_and(|i| i != "client"))
                .map(|f| (ident(f.ident.as_ref()), type_text(strip_result(&f.ty))))
                .collect();
            client.builders.insert(s.ident.to_string(), fields);
        }
        Item::Impl(imp) => {
            for it in &imp.items {
                if let ImplItem::Fn(f) = it
                    && f.sig.ident == "send"
                {
                    client
                        .sends
                        .insert(type_name(&imp.self_ty), return_text(&f.sig.output));
                }
            }
        }
        _ => {}
    }
}

/// `name: METHOD -> types::Payload` for each webhook the loader recorded
/// (3.1's `webhooks`).
fn webhook_lines(spec: &Value) -> Vec<String> {
    let list = spec
        .get(masstack_openapi::normalise::oas31::WEBHOOKS_EXTENSION)
        .and_then(Value::as_array);
    let mut lines: Vec<String> = list
        .into_iter()
        .flatten()
        .map(|hook| {
            let text = |key: &str| hook.get(key).and_then(Value::as_str).unwrap_or_default();
            let payload = match hook.get("schema").and_then(Value::as_str) {
                Some(pointer) => {
                    let name = pointer.rsplit('/').next().unwrap_or_default();
                    format!("types::{}", crate::naming::type_name(name))
                }
                None => "no JSON body".to_owned(),
            };
            format!("{}: {} -> {payload}", text("name"), text("method"))
        })
        .collect();
    lines.sort();
    lines
}

/// `id: METHOD /path -> Client::method(params) -> Ok(T) Err(E)`.
fn operation_line(
    op: &masstack_openapi::operations::OperationRef<'_>,
    client: &ClientItems,
) -> Result<String, SurfaceError> {
    let Some(id) = op.id() else {
        return Err(SurfaceError::NoOperationId {
            method: op.method.to_uppercase(),
            path: op.path.to_owned(),
        });
    };
    let rust = method_name(id);
    let (params, ret) = match client.methods.get(&rust) {
        Some(Signature::Builder(builder)) => {
            let params = client.builders.get(builder).cloned().unwrap_or_default();
            let ret = client
                .sends
                .get(builder)
                .cloned()
                .ok_or_else(|| SurfaceError::NoSend {
                    builder: builder.clone(),
                    id: id.to_owned(),
                })?;
            (params, ret)
        }
        Some(Signature::Positional(params, ret)) => (params.clone(), ret.clone()),
        None => {
            return Err(SurfaceError::NoMethod {
                method: rust,
                id: id.to_owned(),
            });
        }
    };
    let params = params
        .iter()
        .map(|(n, t)| format!("{n}: {t}"))
        .collect::<Vec<_>>()
        .join(", ");
    let (ok, err) = split_result(&ret);
    // The method sent: 3.2's `query` is generated under another method key.
    let sent = op
        .operation
        .get(masstack_openapi::normalise::METHOD_EXTENSION)
        .and_then(Value::as_str)
        .map_or_else(|| op.method.to_uppercase(), str::to_owned);
    let gate = client.gates.get(&rust).cloned().unwrap_or_default();
    Ok(format!(
        "{id}: {sent} {} -> Client::{rust}({params}) -> Ok({ok}) Err({err}){gate}",
        op.path
    ))
}

/// ` [feature: a | b]` for an item under `#[cfg(feature = …)]` or
/// `#[cfg(any(feature = …, …))]` (per-tag features).
fn gate(attrs: &[syn::Attribute]) -> Option<String> {
    let cfg = attrs.iter().find(|a| a.path().is_ident("cfg"))?;
    let text = cfg.meta.to_token_stream().to_string();
    let features: Vec<&str> = text
        .split("feature = \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    (!features.is_empty()).then(|| format!(" [feature: {}]", features.join(" | ")))
}

/// A client method's shape: returns a builder, or is an async call.
fn signature(sig: &syn::Signature) -> Option<Signature> {
    let ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    let returned = type_text(ty);
    if returned.starts_with("builder::") {
        return Some(Signature::Builder(last_segment(ty)));
    }
    if sig.asyncness.is_some() && returned.starts_with("Result<") {
        let params = sig
            .inputs
            .iter()
            .filter_map(|arg| match arg {
                FnArg::Typed(t) => Some((t.pat.to_token_stream().to_string(), type_text(&t.ty))),
                FnArg::Receiver(_) => None,
            })
            .collect();
        return Some(Signature::Positional(params, returned));
    }
    None
}

fn return_text(output: &ReturnType) -> String {
    match output {
        ReturnType::Type(_, ty) => type_text(ty),
        ReturnType::Default => "()".into(),
    }
}

fn type_entry(item: &Item) -> Option<String> {
    let mut out = String::new();
    match item {
        Item::Struct(s) => match &s.fields {
            Fields::Unnamed(u) => {
                let inner: Vec<String> = u.unnamed.iter().map(|f| type_text(&f.ty)).collect();
                let gate = gate(&s.attrs).unwrap_or_default();
                out.push_str(&format!(
                    "newtype {}({}){gate}\n",
                    s.ident,
                    inner.join(", ")
                ));
            }
            Fields::Named(n) => {
                let gate = gate(&s.attrs).unwrap_or_default();
                out.push_str(&format!("struct {}{gate}\n", s.ident));
                for f in &n.named {
                    let json = serde_rename(&f.attrs)
                        .map(|r| format!(" (json `{r}`)"))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "  {}: {}{json}\n",
                        ident(f.ident.as_ref()),
                        type_text(&f.ty)
                    ));
                }
            }
            Fields::Unit => out.push_str(&format!("struct {}\n", s.ident)),
        },
        Item::Enum(e) => {
            let gate = gate(&e.attrs).unwrap_or_default();
            out.push_str(&format!("enum {}{gate}\n", e.ident));
            for v in &e.variants {
                let json = serde_rename(&v.attrs)
                    .map(|r| format!(" = `{r}`"))
                    .unwrap_or_default();
                let fields = match &v.fields {
                    Fields::Unit => String::new(),
                    Fields::Unnamed(u) => {
                        format!(
                            "({})",
                            u.unnamed
                                .iter()
                                .map(|f| type_text(&f.ty))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                    Fields::Named(n) => format!(
                        " {{ {} }}",
                        n.named
                            .iter()
                            .map(|f| format!("{}: {}", ident(f.ident.as_ref()), type_text(&f.ty)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push_str(&format!("  {}{fields}{json}\n", v.ident));
            }
        }
        _ => return None,
    }
    Some(out)
}

/// `#[serde(rename = "…")]`, read as syntax.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            } else if meta.input.peek(syn::token::Paren) {
                meta.parse_nested_meta(|inner| {
                    if inner.input.peek(syn::Token![=]) {
                        inner.value()?.parse::<syn::Expr>()?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        });
    }
    rename
}

fn ident(i: Option<&syn::Ident>) -> String {
    i.map(ToString::to_string).unwrap_or_default()
}

fn type_name(ty: &Type) -> String {
    last_segment(ty)
}

fn last_segment(ty: &Type) -> String {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Builder fields hold `Result<T, String>`; the parameter type is `T`.
fn strip_result(ty: &Type) -> &Type {
    if let Type::Path(p) = ty
        && let Some(seg) = p.path.segments.last()
        && seg.ident == "Result"
        && let syn::PathArguments::AngleBracketed(args) = &seg.arguments
        && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
    {
        return inner;
    }
    ty
}

/// `Result<ResponseValue<T>, Error<E>>` -> (`T`, `E`).
fn split_result(ret: &str) -> (String, String) {
    let inner = ret
        .strip_prefix("Result<")
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(ret);
    let mut depth = 0;
    let mut split = None;
    for (i, c) in inner.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                split = Some(i);
                break;
            }
            _ => {}
        }
    }
    let (ok, err) = match split {
        Some(i) => (inner[..i].trim(), inner[i + 1..].trim()),
        None => (inner, ""),
    };
    let unwrap = |s: &str, wrapper: &str| {
        s.strip_prefix(wrapper)
            .and_then(|r| r.strip_prefix('<'))
            .and_then(|r| r.strip_suffix('>'))
            .unwrap_or(s)
            .to_owned()
    };
    (unwrap(ok, "ResponseValue"), unwrap(err, "Error"))
}

/// A type as compact, readable text: `Option<Vec<String>>`.
pub fn type_text(ty: &Type) -> String {
    let raw = ty.to_token_stream().to_string();
    let mut out = String::new();
    let chars: Vec<char> = raw.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.get(i + 1).copied();
            let word =
                |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '\'');
            if word(prev) && word(next) {
                out.push(' ');
            }
        } else {
            out.push(c);
            if c == ',' {
                out.push(' ');
            }
        }
    }
    for prefix in [
        "::std::string::",
        "::std::vec::",
        "::std::option::",
        "::std::collections::",
        "::std::num::",
        "::std::boxed::",
    ] {
        out = out.replace(prefix, "");
    }
    // prettyplease leaves a trailing comma in generics it wrapped over lines.
    out.replace(", >", ">")
        .replace("::serde_json::", "serde_json::")
        .replace("::chrono::", "chrono::")
        .replace("super::", "")
}

#[cfg(test)]
mod tests {
    use super::split_result;

    fn split(ret: &str) -> (String, String) {
        split_result(ret)
    }

    fn pair(ok: &str, err: &str) -> (String, String) {
        (ok.to_owned(), err.to_owned())
    }

    #[test]
    fn plain_types() {
        assert_eq!(
            split("Result<ResponseValue<types::Ticket>, Error<types::ErrorResponse>>"),
            pair("types::Ticket", "types::ErrorResponse")
        );
        assert_eq!(
            split("Result<ResponseValue<()>, Error<()>>"),
            pair("()", "()")
        );
        assert_eq!(
            split("Result<ResponseValue<ByteStream>, Error<()>>"),
            pair("ByteStream", "()")
        );
    }

    #[test]
    fn nested_generics() {
        assert_eq!(
            split("Result<ResponseValue<Vec<Vec<types::Issue>>>, Error<types::ErrorResponse>>"),
            pair("Vec<Vec<types::Issue>>", "types::ErrorResponse")
        );
        assert_eq!(
            split("Result<ResponseValue<Option<Vec<String>>>, Error<Vec<Option<String>>>>"),
            pair("Option<Vec<String>>", "Vec<Option<String>>")
        );
    }

    /// Only a comma outside every `<...>` separates the two sides.
    #[test]
    fn commas_inside_generics_do_not_split() {
        assert_eq!(
            split("Result<ResponseValue<HashMap<String, Vec<u8>>>, Error<()>>"),
            pair("HashMap<String, Vec<u8>>", "()")
        );
        assert_eq!(
            split("Result<ResponseValue<()>, Error<HashMap<String, (u8, u8)>>>"),
            pair("()", "HashMap<String, (u8, u8)>")
        );
    }

    /// Only the exact wrappers are removed: a type whose name merely starts
    /// with `Error` or `ResponseValue` is kept whole.
    #[test]
    fn lookalike_wrappers_are_kept() {
        assert_eq!(
            split("Result<ResponseValue<T>, ErrorResponse>"),
            pair("T", "ErrorResponse")
        );
        assert_eq!(
            split("Result<ResponseValueExt<T>, Error<E>>"),
            pair("ResponseValueExt<T>", "E")
        );
    }

    #[test]
    fn unwrapped_sides_and_no_result() {
        assert_eq!(split("Result<T, Error<E>>"), pair("T", "E"));
        assert_eq!(split("Result<ResponseValue<T>, E>"), pair("T", "E"));
        assert_eq!(split("ResponseValue<T>"), pair("T", ""));
    }
}
