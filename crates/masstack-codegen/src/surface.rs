//! The API surface of a generated client, as sorted, stable text for review:
//! one line per operation, and one entry per generated type with one line
//! per field or variant. A one-field spec change is a one-line diff here.
//!
//! It reads the formatted client source (what users compile against), and
//! the spec only to name each operation by its `operationId`.

use std::collections::BTreeMap;

use quote::ToTokens;
use serde_json::Value;
use syn::{Fields, ImplItem, Item, ReturnType, Type};

/// Renders the surface of `client_source`, generated from `spec`.
pub fn render(spec: &Value, client_source: &str) -> Result<String, String> {
    let file = syn::parse_file(client_source).map_err(|e| format!("client does not parse: {e}"))?;
    let op_ids = operation_ids(spec);

    let mut client_methods: BTreeMap<String, String> = BTreeMap::new(); // builder struct -> method
    let mut builders: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut sends: BTreeMap<String, (String, String)> = BTreeMap::new(); // builder -> (request, return)
    let mut types = Vec::new();

    for item in &file.items {
        match item {
            Item::Impl(imp) if type_name(&imp.self_ty) == "Client" && imp.trait_.is_none() => {
                for it in &imp.items {
                    if let ImplItem::Fn(f) = it
                        && let ReturnType::Type(_, ty) = &f.sig.output
                    {
                        client_methods.insert(last_segment(ty), f.sig.ident.to_string());
                    }
                }
            }
            Item::Mod(m) if m.ident == "builder" => {
                for it in m.content.iter().flat_map(|(_, items)| items) {
                    match it {
                        Item::Struct(s) => {
                            let fields = s
                                .fields
                                .iter()
                                .filter(|f| f.ident.as_ref().is_some_and(|i| i != "client"))
                                .map(|f| (ident(f.ident.as_ref()), type_text(strip_result(&f.ty))))
                                .collect();
                            builders.insert(s.ident.to_string(), fields);
                        }
                        Item::Impl(imp) => {
                            for f in imp.items.iter().filter_map(|i| match i {
                                ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
                                _ => None,
                            }) {
                                let request = doc(&f.attrs)
                                    .trim()
                                    .trim_start_matches("Sends a ")
                                    .replace('`', "");
                                let ret = match &f.sig.output {
                                    ReturnType::Type(_, ty) => type_text(ty),
                                    ReturnType::Default => "()".into(),
                                };
                                sends.insert(type_name(&imp.self_ty), (request, ret));
                            }
                        }
                        _ => {}
                    }
                }
            }
            Item::Mod(m) if m.ident == "types" => {
                for it in m.content.iter().flat_map(|(_, items)| items) {
                    if let Some(entry) = type_entry(it) {
                        types.push(entry);
                    }
                }
            }
            _ => {}
        }
    }

    let mut operations = Vec::new();
    for (builder, (request, ret)) in &sends {
        let (method, path) = request
            .split_once(" request to ")
            .unwrap_or((request.as_str(), ""));
        let op_id = op_ids
            .get(&(method.to_lowercase(), path.to_owned()))
            .cloned()
            .unwrap_or_else(|| "?".into());
        let rust = client_methods
            .get(builder)
            .cloned()
            .unwrap_or_else(|| "?".into());
        let params = builders
            .get(builder)
            .into_iter()
            .flatten()
            .map(|(n, t)| format!("{n}: {t}"))
            .collect::<Vec<_>>()
            .join(", ");
        let (ok, err) = split_result(ret);
        operations.push(format!(
            "{op_id}: {method} {path} -> Client::{rust}({params}) -> Ok({ok}) Err({err})"
        ));
    }
    operations.sort();
    types.sort();

    let mut out = String::from("# Operations\n");
    for op in operations {
        out.push_str(&op);
        out.push('\n');
    }
    out.push_str("\n# Types\n");
    for t in types {
        out.push_str(&t);
    }
    Ok(out)
}

fn operation_ids(spec: &Value) -> BTreeMap<(String, String), String> {
    crate::spec::operations(spec)
        .into_iter()
        .filter_map(|op| {
            Some((
                (op.method.to_owned(), op.path.to_owned()),
                op.id()?.to_owned(),
            ))
        })
        .collect()
}

fn type_entry(item: &Item) -> Option<String> {
    let mut out = String::new();
    match item {
        Item::Struct(s) => match &s.fields {
            Fields::Unnamed(u) => {
                let inner: Vec<String> = u.unnamed.iter().map(|f| type_text(&f.ty)).collect();
                out.push_str(&format!("newtype {}({})\n", s.ident, inner.join(", ")));
            }
            Fields::Named(n) => {
                out.push_str(&format!("struct {}\n", s.ident));
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
            out.push_str(&format!("enum {}\n", e.ident));
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

fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .find_map(|a| {
            let text = a.meta.to_token_stream().to_string();
            let start = text.find("rename = \"")? + "rename = \"".len();
            let end = text[start..].find('"')?;
            Some(text[start..start + end].to_owned())
        })
}

fn doc(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
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
