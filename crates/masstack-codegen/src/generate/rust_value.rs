//! Typed Rust expressions for JSON values, following the types progenitor
//! (typify) generated: shared by the `examples` and `lifecycle` extras.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, format_ident, quote};
use serde_json::Value;
use typify::{Type, TypeDetails, TypeEnumVariant, TypeId, TypeSpace, TypeStruct};

use crate::diagnostic::{Diagnostic, join};
use crate::error::Error;

/// Type names and schema names differ in case (`TOCancellation...` becomes
/// `ToCancellation...`), so compare letters and digits only.
fn normalize(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The generated type for schema `name`, matched case-insensitively on
/// letters and digits; `None` when absent or ambiguous.
pub fn find_type<'a>(types: &'a TypeSpace, name: &str) -> Option<Type<'a>> {
    let wanted = normalize(name);
    let mut found = types
        .iter_types()
        .filter(|t| normalize(&t.name()) == wanted);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// Why a value could not be expressed as its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// The value does not fit its type: bad input.
    #[error("{message}")]
    Mismatch {
        /// The JSON pointer of the value.
        pointer: String,
        /// What does not fit.
        message: String,
    },
    /// typify named a type it does not hold: a bug.
    #[error("typify has no type for an id it handed out, at {pointer}: {message}")]
    Internal {
        /// The JSON pointer of the value.
        pointer: String,
        /// What typify said.
        message: String,
    },
}

impl ValueError {
    /// As a generation error about spec `file`.
    pub fn into_error(self, file: &str) -> Error {
        match self {
            Self::Mismatch { pointer, message } => {
                Error::Invalid(vec![Diagnostic::at_pointer(file, &pointer, message)])
            }
            internal @ Self::Internal { .. } => Error::Internal(internal.to_string()),
        }
    }
}

fn mismatch(at: &str, message: String) -> ValueError {
    ValueError::Mismatch {
        pointer: at.to_owned(),
        message,
    }
}

fn value(types: &TypeSpace, id: &TypeId, v: &Value, at: &str) -> Result<TokenStream, ValueError> {
    let ty = types.get_type(id).map_err(|e| ValueError::Internal {
        pointer: at.to_owned(),
        message: e.to_string(),
    })?;
    value_of(types, ty, v, at)
}

/// A Rust expression building `v` as a value of `ty`.
pub fn value_of(
    types: &TypeSpace,
    ty: Type<'_>,
    v: &Value,
    at: &str,
) -> Result<TokenStream, ValueError> {
    let ident = ty.ident();
    let fail = |m: String| Err(mismatch(at, m));
    match ty.details() {
        TypeDetails::Struct(s) => struct_value(types, &ty, &s, v, at),
        TypeDetails::Enum(e) => {
            if let Value::String(s) = v {
                for info in e.variants_info() {
                    if matches!(info.details, TypeEnumVariant::Simple)
                        && normalize(info.name) == normalize(s)
                    {
                        let variant = format_ident!("{}", info.name);
                        return Ok(quote! { #ident::#variant });
                    }
                }
            }
            for info in e.variants_info() {
                if let TypeEnumVariant::Tuple(items) = &info.details
                    && let [only] = items.as_slice()
                    && let Ok(inner) = value(types, only, v, at)
                {
                    let variant = format_ident!("{}", info.name);
                    return Ok(quote! { #ident::#variant(#inner) });
                }
            }
            fail(format!("no variant of `{}` matches {v}", ty.name()))
        }
        TypeDetails::Newtype(n) => {
            let inner = value(types, &n.inner(), v, at)?;
            Ok(quote! {
                <#ident as ::std::convert::TryFrom<_>>::try_from(#inner)
                    .expect("the example was validated against its schema at generation time")
            })
        }
        TypeDetails::Option(inner) => match v {
            Value::Null => Ok(quote! { ::std::option::Option::None }),
            _ => {
                let inner = value(types, &inner, v, at)?;
                Ok(quote! { ::std::option::Option::Some(#inner) })
            }
        },
        TypeDetails::Box(inner) => {
            let inner = value(types, &inner, v, at)?;
            Ok(quote! { ::std::boxed::Box::new(#inner) })
        }
        TypeDetails::Vec(inner) | TypeDetails::Set(inner) => {
            let Value::Array(items) = v else {
                return fail("expected an array".into());
            };
            let items = items
                .iter()
                .enumerate()
                .map(|(i, item)| value(types, &inner, item, &format!("{at}/{i}")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(quote! { [#(#items),*].into_iter().collect() })
        }
        TypeDetails::Map(_, val) => {
            let Value::Object(obj) = v else {
                return fail("expected an object".into());
            };
            let pairs = obj
                .iter()
                .map(|(k, item)| {
                    let item = value(types, &val, item, &join(at, k))?;
                    Ok(quote! { (::std::string::String::from(#k), #item) })
                })
                .collect::<Result<Vec<_>, ValueError>>()?;
            Ok(quote! { [#(#pairs),*].into_iter().collect() })
        }
        TypeDetails::String => match v {
            Value::String(s) => Ok(quote! { ::std::string::String::from(#s) }),
            _ => fail(format!("expected a string, found {v}")),
        },
        TypeDetails::Unit => Ok(quote! { () }),
        TypeDetails::Builtin(name) => {
            builtin(name, v).ok_or_else(|| mismatch(at, format!("cannot express {v} as `{name}`")))
        }
        _ => fail(format!("`{}` is not supported in examples", ty.name())),
    }
}

/// A struct literal: each property from the object's key of the same name
/// (case and punctuation aside), or its default; no key may be left over.
fn struct_value(
    types: &TypeSpace,
    ty: &Type<'_>,
    s: &TypeStruct<'_>,
    v: &Value,
    at: &str,
) -> Result<TokenStream, ValueError> {
    let Value::Object(obj) = v else {
        return Err(mismatch(
            at,
            format!("expected an object for `{}`", ty.name()),
        ));
    };
    let mut fields = Vec::new();
    let mut used = Vec::new();
    for prop in s.properties_info() {
        let key = obj.keys().find(|k| normalize(k) == normalize(prop.name));
        let field = field_ident(prop.name);
        let expr = match key {
            Some(k) => {
                used.push(k.clone());
                value(types, &prop.type_id, &obj[k], &join(at, k))?
            }
            None => quote! { ::std::default::Default::default() },
        };
        fields.push(quote! { #field: #expr });
    }
    if let Some(extra) = obj.keys().find(|k| !used.contains(k)) {
        return Err(mismatch(
            at,
            format!("`{}` has no field for key `{extra}`", ty.name()),
        ));
    }
    let ident = ty.ident();
    Ok(quote! { #ident { #(#fields),* } })
}

fn field_ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", name),
    }
}

fn builtin(name: &str, v: &Value) -> Option<TokenStream> {
    let short = name
        .trim_start_matches("::")
        .trim_start_matches("std::num::");
    match (short, v) {
        ("bool", Value::Bool(b)) => Some(quote! { #b }),
        ("serde_json::Value", _) => Some(json_value(v)),
        ("f64", Value::Number(n)) => Some(Literal::f64_suffixed(n.as_f64()?).into_token_stream()),
        ("f32", Value::Number(n)) => {
            Some(Literal::f32_suffixed(n.as_f64()? as f32).into_token_stream())
        }
        (int, Value::Number(n)) if is_int(int) => {
            let lit: TokenStream = format!("{n}_{int}").parse().ok()?;
            Some(lit)
        }
        (nz, Value::Number(n)) if nz.starts_with("NonZero") => {
            let prim = nz.trim_start_matches("NonZero").to_ascii_lowercase();
            let lit: TokenStream = format!("{n}_{prim}").parse().ok()?;
            let path: TokenStream = name.parse().ok()?;
            Some(quote! { #path::new(#lit).expect("the example was validated at generation time") })
        }
        // Dates, UUIDs and the like: built from their text form.
        (_, Value::String(s)) => {
            let path: TokenStream = name.parse().ok()?;
            Some(
                quote! { #s.parse::<#path>().expect("the example was validated at generation time") },
            )
        }
        _ => None,
    }
}

fn is_int(name: &str) -> bool {
    matches!(
        name,
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "isize" | "usize"
    )
}

fn json_value(v: &Value) -> TokenStream {
    match v {
        Value::Null => quote! { ::serde_json::Value::Null },
        Value::Bool(b) => quote! { ::serde_json::Value::Bool(#b) },
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                quote! { ::serde_json::Value::from(#i) }
            } else if let Some(u) = n.as_u64() {
                quote! { ::serde_json::Value::from(#u) }
            } else {
                let f = n.as_f64().unwrap_or_default();
                quote! { ::serde_json::Value::from(#f) }
            }
        }
        Value::String(s) => quote! { ::serde_json::Value::String(::std::string::String::from(#s)) },
        Value::Array(items) => {
            let items = items.iter().map(json_value);
            quote! { ::serde_json::Value::Array(::std::vec![#(#items),*]) }
        }
        Value::Object(map) => {
            let pairs = map.iter().map(|(k, v)| {
                let v = json_value(v);
                quote! { (::std::string::String::from(#k), #v) }
            });
            quote! { ::serde_json::Value::Object([#(#pairs),*].into_iter().collect()) }
        }
    }
}
