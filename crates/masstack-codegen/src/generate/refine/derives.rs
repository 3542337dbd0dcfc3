//! Derive lists read as what they are, `#[derive(Path, …)]`: a list of
//! paths, compared by their segments, never by their printed text.

use syn::punctuated::Punctuated;
use syn::{Attribute, Meta, Path, Token};

use super::report::Problem;

/// The paths of one `#[derive(…)]`.
pub type DeriveList = Punctuated<Path, Token![,]>;

/// The derive list of `attr`, if it is `#[derive(…)]`.
pub fn derive_list(attr: &Attribute) -> Option<Result<DeriveList, Problem>> {
    match &attr.meta {
        Meta::List(list) if list.path.is_ident("derive") => Some(
            attr.parse_args_with(Punctuated::parse_terminated)
                .map_err(|_| unparsed(attr)),
        ),
        _ => None,
    }
}

/// An attribute a pass cannot read, as the problem it reports.
pub fn unparsed(attr: &Attribute) -> Problem {
    Problem::UnparsedAttribute(quote::ToTokens::to_token_stream(attr).to_string())
}

/// Whether `attrs` derive a trait whose path ends in `name`
/// (`::serde::Deserialize` for `Deserialize`).
pub fn derives(attrs: &[Attribute], name: &str) -> Result<bool, Problem> {
    for list in attrs.iter().filter_map(derive_list) {
        if list?.iter().any(|path| ends_with(path, name)) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `a::b::C`, for messages and `serde` attribute strings.
pub fn path_text(path: &Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.join("::")
}

/// Whether `path`'s last segment is `name`.
pub fn ends_with(path: &Path, name: &str) -> bool {
    path.segments.last().is_some_and(|s| s.ident == name)
}

/// Whether two paths name the same item: the same segments, a leading
/// `::` aside.
pub fn same_path(a: &Path, b: &Path) -> bool {
    a.segments.len() == b.segments.len()
        && a.segments
            .iter()
            .zip(&b.segments)
            .all(|(x, y)| x.ident == y.ident && x.arguments.is_none() && y.arguments.is_none())
}

/// Replaces each derive list of `attrs` by the paths `keep` accepts,
/// dropping lists left empty; returns the paths taken out.
pub fn retain_derives(
    attrs: &mut Vec<Attribute>,
    mut keep: impl FnMut(&Path) -> bool,
) -> Result<Vec<Path>, Problem> {
    let mut removed = Vec::new();
    let mut emptied = Vec::new();
    for (i, attr) in attrs.iter_mut().enumerate() {
        let Some(list) = derive_list(attr) else {
            continue;
        };
        let (kept, taken): (Vec<Path>, Vec<Path>) = list?.into_iter().partition(|p| keep(p));
        if taken.is_empty() {
            continue;
        }
        removed.extend(taken);
        if kept.is_empty() {
            emptied.push(i);
        }
        let kept: DeriveList = kept.into_iter().collect();
        *attr = syn::parse_quote!(#[derive(#kept)]);
    }
    for i in emptied.into_iter().rev() {
        attrs.remove(i);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::*;

    #[test]
    fn derive_lists_are_read_as_paths() {
        let attrs: Vec<Attribute> = vec![
            parse_quote!(#[derive(::serde::Deserialize, Clone, schemars::JsonSchema)]),
            parse_quote!(#[serde(rename = "Deserialize")]),
        ];
        assert_eq!(derives(&attrs, "Deserialize"), Ok(true));
        assert_eq!(derives(&attrs, "Serialize"), Ok(false));
        // A path that only ends in the name's text is another trait.
        assert_eq!(derives(&attrs, "Schema"), Ok(false));
        let bad: Vec<Attribute> = vec![parse_quote!(#[derive(Clone = 1)])];
        assert!(matches!(
            derives(&bad, "Clone"),
            Err(Problem::UnparsedAttribute(_))
        ));
    }

    #[test]
    fn retained_derives_drop_emptied_lists() {
        let mut attrs: Vec<Attribute> = vec![
            parse_quote!(#[derive(Clone, Copy)]),
            parse_quote!(#[derive(Copy)]),
            parse_quote!(#[doc = "x"]),
        ];
        let copy: Path = parse_quote!(Copy);
        let removed = retain_derives(&mut attrs, |p| !same_path(p, &copy)).unwrap();
        assert_eq!(removed.len(), 2);
        let text = |a: &Attribute| quote::ToTokens::to_token_stream(a).to_string();
        let left: Vec<String> = attrs.iter().map(text).collect();
        assert_eq!(left, ["# [derive (Clone)]", "# [doc = \"x\"]"]);
    }
}
