//! Per-tag features (`features = "per-tag"`): each operation's method and
//! builder compile only with one of its tags' features, and each type only
//! with a feature of an operation that uses it, directly or through other
//! types. Types no operation uses (webhook payloads, unused schemas), and
//! what they use, are always compiled.
//!
//! Uses are found by identifier: a type named anywhere in an operation's
//! code (or in another type's) is taken as used by it. A name that is not
//! a use (an enum variant spelled like a type) only compiles a type more
//! often, never less.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Attribute, ImplItem, Item, ItemMod, parse_quote};

use super::report::{Problem, Rewrites, ShapeError};
use crate::naming::method_name;

/// When an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Gate {
    /// Whatever the features.
    Always,
    /// With any of these features.
    Any(BTreeSet<String>),
}

/// Gates the client file; `operations` maps each operationId to its
/// features, `all` is every feature, `always` the types compiled whatever
/// the features (webhook payloads). Counts per operation the items gated.
pub fn apply(
    file: &mut syn::File,
    operations: &BTreeMap<String, BTreeSet<String>>,
    all: &BTreeSet<String>,
    always: &BTreeSet<String>,
) -> Result<Rewrites, ShapeError> {
    let mut rewrites = Rewrites::new("features", "operation");
    let by_method: BTreeMap<String, &String> =
        operations.keys().map(|id| (method_name(id), id)).collect();

    // The operations' methods on `Client`, and the builders they return.
    let mut builders: BTreeMap<String, &String> = BTreeMap::new();
    let mut uses: BTreeMap<&String, BTreeSet<String>> = BTreeMap::new();
    for item in &mut file.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || !self_is(&imp.self_ty, "Client") {
            continue;
        }
        for member in &mut imp.items {
            let ImplItem::Fn(f) = member else { continue };
            let Some(id) = by_method.get(&f.sig.ident.to_string()).copied() else {
                continue;
            };
            if let syn::ReturnType::Type(_, ty) = &f.sig.output
                && let Some(name) = builder_name(ty)
            {
                builders.insert(name, id);
            }
            uses.entry(id)
                .or_default()
                .extend(idents(f.to_token_stream()));
            f.attrs.insert(0, cfg(&Gate::Any(operations[id].clone())));
            rewrites.add(id, 1);
        }
    }
    rewrites.require(operations.keys(), || Problem::Missing("method on `Client`"))?;

    if let Some((_, items)) =
        module_mut(&mut file.items, "builder").and_then(|m| m.content.as_mut())
    {
        for item in items.iter_mut() {
            // With only some tags on, no compiled builder may name a type.
            if let Item::Use(u) = item
                && u.to_token_stream().to_string().contains("types")
                && !u.attrs.iter().any(|a| a.path().is_ident("allow"))
            {
                u.attrs.push(parse_quote!(#[allow(unused_imports)]));
            }
        }
        let mut found = BTreeSet::new();
        for item in items {
            let Some(name) = item_name(item) else {
                continue;
            };
            let Some(id) = builders.get(&name).copied() else {
                continue;
            };
            found.insert(name);
            uses.entry(id)
                .or_default()
                .extend(idents(item.to_token_stream()));
            attrs_mut(item).insert(0, cfg(&Gate::Any(operations[id].clone())));
            rewrites.add(id, 1);
        }
        // A method returns a builder this module does not define.
        if let Some((_, id)) = builders.iter().find(|(name, _)| !found.contains(*name)) {
            return Err(rewrites.fail(id.as_str(), Problem::Missing("builder struct")));
        }
    }

    // A spec may have no types: nothing more to gate.
    let Some(types) = module_mut(&mut file.items, "types") else {
        return Ok(rewrites);
    };
    let gates = type_gates(types, operations, &uses, all, always);
    gate_types(types, &gates);
    Ok(rewrites)
}

/// The gate of every type of `types`: the features of the operations that
/// use it, through any chain of types.
fn type_gates(
    types: &ItemMod,
    operations: &BTreeMap<String, BTreeSet<String>>,
    uses: &BTreeMap<&String, BTreeSet<String>>,
    all: &BTreeSet<String>,
    roots: &BTreeSet<String>,
) -> BTreeMap<String, Gate> {
    let items = module_items(types);
    let names: BTreeSet<String> = items.iter().copied().filter_map(defined_name).collect();
    // Type -> the types its definition, impls and builder name.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in &items {
        let Some(owner) = item_name(item).filter(|n| names.contains(n)) else {
            continue;
        };
        let named = idents(item.to_token_stream());
        let entry = edges.entry(owner.clone()).or_default();
        entry.extend(
            named
                .into_iter()
                .filter(|n| names.contains(n) && *n != owner),
        );
    }
    let mut features: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, named) in uses {
        for name in named.iter().filter(|n| names.contains(*n)) {
            features
                .entry(name.clone())
                .or_default()
                .extend(operations[*id].iter().cloned());
        }
    }
    propagate(&edges, |from, to| {
        let add = features.get(from).cloned().unwrap_or_default();
        let set = features.entry(to.to_owned()).or_default();
        let before = set.len();
        set.extend(add);
        set.len() != before
    });
    // What no operation uses is always compiled, and so is what it uses.
    let mut always: BTreeSet<String> = names
        .iter()
        .filter(|n| {
            roots.contains(*n)
                || features.get(*n).is_none_or(BTreeSet::is_empty)
                || features[*n] == *all
        })
        .cloned()
        .collect();
    propagate(&edges, |from, to| {
        always.contains(from) && always.insert(to.to_owned())
    });
    names
        .into_iter()
        .map(|n| {
            let gate = if always.contains(&n) {
                Gate::Always
            } else {
                Gate::Any(features[&n].clone())
            };
            (n, gate)
        })
        .collect()
}

/// Calls `step(from, to)` along every edge until no call returns true.
fn propagate(edges: &BTreeMap<String, BTreeSet<String>>, mut step: impl FnMut(&str, &str) -> bool) {
    let mut changed = true;
    while changed {
        changed = false;
        for (from, tos) in edges {
            for to in tos {
                changed |= step(from, to);
            }
        }
    }
}

/// Puts each item of `types` (and of its `builder` and `defaults`
/// modules) under the gate of the types it is about.
fn gate_types(types: &mut ItemMod, gates: &BTreeMap<String, Gate>) {
    let Some((_, items)) = &mut types.content else {
        return;
    };
    // A default function goes with the items whose attributes name it.
    let mut default_users: BTreeMap<String, Vec<Gate>> = BTreeMap::new();
    let functions = default_functions(items);
    // The items themselves, the builder module's one by one.
    let users = items.iter().flat_map(|item| match item {
        Item::Mod(m) if m.ident == "builder" => m
            .content
            .iter()
            .flat_map(|(_, inner)| inner)
            .collect::<Vec<_>>(),
        Item::Mod(_) => Vec::new(),
        _ => vec![item],
    });
    for item in users {
        let text = item.to_token_stream().to_string();
        let called: BTreeSet<&str> = calls(&text).collect();
        if called.is_empty() {
            continue;
        }
        let gate = item_gate(item, gates);
        for name in functions.iter().filter(|f| called.contains(f.as_str())) {
            default_users
                .entry(name.clone())
                .or_default()
                .push(gate.clone());
        }
    }
    for item in items.iter_mut() {
        match item {
            Item::Mod(m) if m.ident == "builder" => {
                if let Some((_, inner)) = &mut m.content {
                    for inner in inner {
                        let gate = item_gate(inner, gates);
                        push_gate(inner, &gate);
                    }
                }
            }
            Item::Mod(m) if m.ident == "defaults" => {
                if let Some((_, inner)) = &mut m.content {
                    for inner in inner {
                        let Item::Fn(f) = inner else { continue };
                        let users = default_users
                            .get(&f.sig.ident.to_string())
                            .cloned()
                            .unwrap_or_default();
                        if let Some(gate) = either(&users) {
                            f.attrs.insert(0, cfg(&gate));
                        }
                    }
                }
            }
            Item::Mod(_) => {}
            _ => {
                let gate = item_gate(item, gates);
                push_gate(item, &gate);
            }
        }
    }
}

/// The functions `text` names as `defaults::{name}`, in code
/// (`defaults :: name`) or in an attribute's string
/// (`"defaults::name::<i64, 1>"`): each whole name, in one pass over the
/// text (not one per function: big specs have hundreds).
fn calls(text: &str) -> impl Iterator<Item = &str> {
    ["defaults :: ", "defaults::"]
        .into_iter()
        .flat_map(move |prefix| {
            text.match_indices(prefix).map(move |(at, _)| {
                let rest = &text[at + prefix.len()..];
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                &rest[..end]
            })
        })
}

/// The function names of the `defaults` module of `items`.
fn default_functions(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .find_map(|i| match i {
            Item::Mod(m) if m.ident == "defaults" => m.content.as_ref(),
            _ => None,
        })
        .map(|(_, inner)| {
            inner
                .iter()
                .filter_map(|i| match i {
                    Item::Fn(f) => Some(f.sig.ident.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The gate of one item: its type's, or, for an impl of another crate's
/// type (`From<Ours> for Vec<..>`), every type it names.
fn item_gate(item: &Item, gates: &BTreeMap<String, Gate>) -> Gate {
    if let Some(gate) = item_name(item).and_then(|n| gates.get(&n)) {
        return gate.clone();
    }
    let named: Vec<Gate> = idents(item.to_token_stream())
        .iter()
        .filter_map(|n| gates.get(n).cloned())
        .collect();
    both(&named)
}

/// Compiled when any of `gates` is: the union of their features.
fn either(gates: &[Gate]) -> Option<Gate> {
    let mut features = BTreeSet::new();
    for gate in gates {
        match gate {
            Gate::Always => return None,
            Gate::Any(f) => features.extend(f.iter().cloned()),
        }
    }
    (!features.is_empty()).then_some(Gate::Any(features))
}

/// Compiled only when every one of `gates` is. Types' gates nest (a type's
/// features include those of every type that uses it), so the narrowest
/// is the conjunction.
fn both(gates: &[Gate]) -> Gate {
    gates
        .iter()
        .filter_map(|g| match g {
            Gate::Always => None,
            Gate::Any(f) => Some(f),
        })
        .min_by_key(|f| f.len())
        .map_or(Gate::Always, |f| Gate::Any(f.clone()))
}

fn push_gate(item: &mut Item, gate: &Gate) {
    if *gate != Gate::Always {
        attrs_mut(item).insert(0, cfg(gate));
    }
}

/// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", feature = "b"))]`.
fn cfg(gate: &Gate) -> Attribute {
    let Gate::Any(features) = gate else {
        unreachable!("only gated items get a cfg")
    };
    let features: Vec<&String> = features.iter().collect();
    if let [one] = features.as_slice() {
        parse_quote!(#[cfg(feature = #one)])
    } else {
        parse_quote!(#[cfg(any(#(feature = #features),*))])
    }
}

/// The items of a module, with those of its `builder` module.
fn module_items(module: &ItemMod) -> Vec<&Item> {
    let mut out = Vec::new();
    if let Some((_, items)) = &module.content {
        for item in items {
            match item {
                Item::Mod(m) if m.ident == "builder" => out.extend(module_items(m)),
                Item::Mod(_) => {}
                _ => out.push(item),
            }
        }
    }
    out
}

fn module_mut<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut ItemMod> {
    items.iter_mut().find_map(|i| match i {
        Item::Mod(m) if m.ident == name => Some(m),
        _ => None,
    })
}

/// The name a type definition gives.
fn defined_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        Item::Union(u) => Some(u.ident.to_string()),
        _ => None,
    }
}

/// The type an item defines or implements (`impl X for super::T` -> `T`).
fn item_name(item: &Item) -> Option<String> {
    match item {
        Item::Impl(imp) => last_ident(&imp.self_ty),
        _ => defined_name(item),
    }
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn self_is(ty: &syn::Type, name: &str) -> bool {
    last_ident(ty).is_some_and(|n| n == name)
}

/// `builder::GetTicket<'_>` -> `GetTicket`.
fn builder_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else { return None };
    let segments: Vec<_> = p.path.segments.iter().collect();
    match segments.as_slice() {
        [module, name] if module.ident == "builder" => Some(name.ident.to_string()),
        _ => None,
    }
}

fn attrs_mut(item: &mut Item) -> &mut Vec<Attribute> {
    match item {
        Item::Struct(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Const(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        _ => unreachable!("progenitor writes no other items"),
    }
}

/// Every identifier in `tokens`.
fn idents(tokens: TokenStream) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<TokenStream> = vec![tokens];
    while let Some(tokens) = stack.pop() {
        for tree in tokens {
            match tree {
                TokenTree::Ident(i) => {
                    out.insert(i.to_string());
                }
                TokenTree::Group(g) => stack.push(g.stream()),
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn operations_and_the_types_only_they_use_are_gated_by_their_tags() {
        let code = quote! {
            pub mod types {
                pub struct Pet { pub owner: Owner, pub kind: Kind }
                impl Pet { pub fn builder() -> builder::Pet { todo!() } }
                pub struct Owner { pub name: String }
                pub enum Kind { Cat }
                pub struct Order { pub pet: Pet, #[serde(default = "defaults::order_qty")] pub qty: u64 }
                pub struct Hook { pub kind: Kind }
                pub struct Store { pub name: String }
                impl ::std::convert::From<Owner> for ::std::string::String { fn from(o: Owner) -> Self { o.name } }
                pub mod builder {
                    pub struct Pet { owner: Result<super::Owner, String> }
                    impl ::std::convert::TryFrom<Pet> for super::Pet { }
                }
                pub mod defaults {
                    pub(super) fn order_qty() -> u64 { 1 }
                }
            }
            pub struct Client;
            impl Client {
                pub fn new() -> Self { Client }
                pub fn get_pet(&self) -> builder::GetPet<'_> { builder::GetPet::new(self) }
                pub fn get_order(&self) -> builder::GetOrder<'_> { builder::GetOrder::new(self) }
                pub fn get_store(&self) -> builder::GetStore<'_> { builder::GetStore::new(self) }
            }
            pub mod builder {
                pub struct GetPet<'a> { client: &'a super::Client }
                impl<'a> GetPet<'a> { pub async fn send(self) -> Result<types::Pet, ()> { todo!() } }
                pub struct GetOrder<'a> { client: &'a super::Client }
                impl<'a> GetOrder<'a> { pub async fn send(self) -> Result<types::Order, ()> { todo!() } }
                pub struct GetStore<'a> { client: &'a super::Client }
                impl<'a> GetStore<'a> { pub async fn send(self) -> Result<types::Store, ()> { todo!() } }
            }
        };
        let mut file: syn::File = syn::parse2(code).unwrap();
        let operations = BTreeMap::from([
            ("getPet".to_owned(), set(&["pets"])),
            ("getOrder".to_owned(), set(&["store"])),
            ("getStore".to_owned(), set(&["store"])),
        ]);
        // A third tag, whose operations use none of these types.
        let rewrites = apply(
            &mut file,
            &operations,
            &set(&["pets", "store", "users"]),
            &BTreeSet::new(),
        )
        .unwrap();
        assert_eq!(rewrites.by_item["getPet"], 3);
        let out = prettyplease::unparse(&file);
        let gated = |attr: &str, item: &str| {
            assert!(
                out.contains(&format!("{attr}\n    {item}"))
                    || out.contains(&format!("{attr}\n        {item}"))
                    || out.contains(&format!("{attr}\n{item}")),
                "`{item}` not under `{attr}` in\n{out}"
            );
        };
        let pets = "#[cfg(any(feature = \"pets\", feature = \"store\"))]";
        // The pet is used by the store's order too.
        gated(pets, "pub struct Pet {");
        gated(pets, "impl Pet {");
        gated(pets, "pub struct Owner {");
        gated(pets, "impl ::std::convert::TryFrom<Pet> for super::Pet");
        gated(
            pets,
            "impl ::std::convert::From<Owner> for ::std::string::String",
        );
        let store = "#[cfg(feature = \"store\")]";
        gated(store, "pub struct Order {");
        gated(store, "pub fn get_order(&self)");
        gated(store, "pub struct GetOrder<'a>");
        gated(store, "pub(super) fn order_qty()");
        gated("#[cfg(feature = \"pets\")]", "pub fn get_pet(&self)");
        gated(store, "pub struct Store {");
        // The webhook's payload is used by no operation: always compiled,
        // and so is what it uses, though the pet uses it too.
        assert!(out.contains("}\n    pub struct Hook {"), "{out}");
        assert!(out.contains("}\n    pub enum Kind {"), "{out}");
        assert!(out.contains("Self {\n        Client\n    }"), "{out}");
        assert!(
            !out.contains("cfg(feature = \"store\")]\n    pub fn new"),
            "{out}"
        );
    }

    #[test]
    fn a_webhook_payload_an_operation_uses_too_is_always_compiled_with_what_it_uses() {
        let code = quote! {
            pub mod types {
                pub struct Event { pub place: Place }
                pub struct Place { pub name: String }
            }
            impl Client {
                pub fn get_event(&self) -> builder::GetEvent<'_> { todo!() }
                pub fn other(&self) -> builder::Other<'_> { todo!() }
            }
            pub mod builder {
                pub struct GetEvent<'a> { event: types::Event }
                pub struct Other<'a> { client: &'a super::Client }
            }
        };
        let operations = BTreeMap::from([
            ("getEvent".to_owned(), set(&["events"])),
            ("other".to_owned(), set(&["other"])),
        ]);
        let all = set(&["events", "other"]);
        let gated = |always: &[&str]| {
            let mut file: syn::File = syn::parse2(code.clone()).unwrap();
            apply(&mut file, &operations, &all, &set(always)).unwrap();
            prettyplease::unparse(&file)
        };
        let out = gated(&[]);
        assert!(
            out.contains("#[cfg(feature = \"events\")]\n    pub struct Place"),
            "{out}"
        );
        let out = gated(&["Event"]);
        assert!(
            out.contains("pub mod types {\n    pub struct Event {"),
            "{out}"
        );
        assert!(out.contains("}\n    pub struct Place {"), "{out}");
    }

    #[test]
    fn a_default_function_is_named_whole() {
        fn names(text: &str) -> Vec<&str> {
            calls(text).collect()
        }
        assert_eq!(names("#[serde(default = \"defaults::qty\")]"), ["qty"]);
        assert_eq!(names("Ok (super :: defaults :: qty ())"), ["qty"]);
        assert_eq!(
            names("\"defaults::default_u64::<i64, 100>\""),
            ["default_u64"]
        );
        assert_eq!(names("\"defaults::qty_max\""), ["qty_max"]);
    }

    #[test]
    fn an_operation_without_its_method_fails_naming_it() {
        let mut file: syn::File =
            syn::parse2(quote! { impl Client { pub fn other(&self) {} } }).unwrap();
        let operations = BTreeMap::from([("getPet".to_owned(), set(&["pets"]))]);
        let err = apply(&mut file, &operations, &set(&["pets"]), &BTreeSet::new()).unwrap_err();
        assert_eq!((err.pass, err.item.as_str()), ("features", "getPet"));
        // Its method returns a builder the builder module does not define.
        let mut file: syn::File = syn::parse2(quote! {
            impl Client { pub fn get_pet(&self) -> builder::GetPet<'_> { todo!() } }
            pub mod builder { pub struct Other; }
        })
        .unwrap();
        let err = apply(&mut file, &operations, &set(&["pets"]), &BTreeSet::new()).unwrap_err();
        assert_eq!(
            (err.item.as_str(), err.problem),
            ("getPet", Problem::Missing("builder struct"))
        );
    }
}
