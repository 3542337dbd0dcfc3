//! JSON Schema 2020-12 (OpenAPI 3.1 and 3.2 schemas) into the OpenAPI 3.0
//! schema object that `openapiv3` and typify read.
//!
//! Exact rewrites happen in place: `type: [T, "null"]` is `type: T,
//! nullable: true`; a union of JSON types is a `oneOf` of one branch per
//! type (the types are disjoint, `integer` folded into `number`); an
//! `anyOf`/`oneOf` with a `null` branch is its other branch, nullable;
//! `const` is a one-value `enum`; `examples` its first `example`; a numeric
//! `exclusiveMinimum` the 3.0 pair; `$defs` are hoisted into
//! `components/schemas` (see [`Schemas::hoisted`]). What 3.0 cannot say is
//! removed or loosened, each a [`Loss`] at the keyword.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{Loss, LossKind, Problem};
use crate::diagnostic::{escape_segment, join};

/// Keywords that only identify or annotate a 2020-12 schema resource:
/// removed without loss (`$dynamicRef` is handled as a loss).
const IDENTIFIERS: [&str; 6] = [
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$dynamicAnchor",
    "$vocabulary",
];

/// Keywords 3.0 (and typify) have no equivalent for: removed, each a loss.
const UNSUPPORTED: [&str; 13] = [
    "$dynamicRef",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentSchemas",
    "dependentRequired",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "contentSchema",
];

/// Siblings of a `$ref` that only document it: 3.0 ignores every sibling of
/// a `$ref`, and these change no type, so they are dropped.
const ANNOTATIONS: [&str; 9] = [
    "description",
    "title",
    "summary",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// Which keywords belong to which JSON type, for splitting `type: [A, B]`.
const TYPE_KEYWORDS: [(&str, &[&str]); 4] = [
    ("string", &["minLength", "maxLength", "pattern"]),
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
];

/// A `$defs` entry moved into `components/schemas`.
#[derive(Debug, Clone, PartialEq)]
pub struct Hoisted {
    /// Its name in `components/schemas`.
    pub name: String,
    /// The converted schema.
    pub schema: Value,
    /// Its pointer in the input tree.
    pub from: String,
}

/// The schema converter of one document: what it hoisted, lost, and found
/// wrong, and which `components/schemas` names are taken.
#[derive(Debug, Default)]
pub struct Schemas {
    /// Every lossy step, at input pointers.
    pub losses: Vec<Loss>,
    /// Every problem, at input pointers.
    pub problems: Vec<Problem>,
    /// The `$defs` entries (and other schemas) hoisted into
    /// `components/schemas`, in order.
    pub hoisted: Vec<Hoisted>,
    taken: BTreeSet<String>,
    /// Input pointer of a hoisted schema -> its name (a `$defs` reached
    /// twice, through a path item used twice, is hoisted once).
    by_input: BTreeMap<String, String>,
}

impl Schemas {
    /// A converter for a document whose `components/schemas` has `taken`.
    pub fn new(taken: impl IntoIterator<Item = String>) -> Self {
        Self {
            taken: taken.into_iter().collect(),
            ..Self::default()
        }
    }

    /// A loss at `pointer`.
    pub fn lose(&mut self, pointer: &str, kind: LossKind, what: &str, exact: &str) {
        self.losses.push(Loss {
            pointer: pointer.to_owned(),
            kind,
            what: what.to_owned(),
            exact: exact.to_owned(),
        });
    }

    /// A free `components/schemas` name: `wanted`, else `prefix` + `wanted`,
    /// else `wanted` with a number; claimed.
    pub fn claim(&mut self, wanted: &str, prefix: &str) -> String {
        let mut candidates = vec![wanted.to_owned()];
        if !prefix.is_empty() {
            candidates.push(format!("{prefix}{wanted}"));
        }
        let name = candidates
            .into_iter()
            .chain((2..).map(|n| format!("{wanted}{n}")))
            .find(|c| !self.taken.contains(c))
            .unwrap_or_default();
        self.taken.insert(name.clone());
        name
    }

    /// Hoists `schema` (already converted, from `from`) as `wanted`; returns
    /// its name. The same input node is hoisted once.
    pub fn hoist(&mut self, wanted: &str, prefix: &str, schema: Value, from: &str) -> String {
        if let Some(name) = self.by_input.get(from) {
            return name.clone();
        }
        let name = self.claim(wanted, prefix);
        self.by_input.insert(from.to_owned(), name.clone());
        self.hoisted.push(Hoisted {
            name: name.clone(),
            schema,
            from: from.to_owned(),
        });
        name
    }

    /// The `$ref` that now names what `reference` named, when it pointed
    /// into a hoisted `$defs` entry.
    pub fn rewritten(&self, reference: &str) -> Option<String> {
        // The longest hoisted prefix: a `$defs` inside a hoisted `$defs`
        // is its own component.
        self.by_input
            .iter()
            .filter_map(|(from, name)| {
                let rest = reference.strip_prefix(from.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then_some((from.len(), name, rest))
            })
            .max_by_key(|(len, _, _)| *len)
            .map(|(_, name, rest)| format!("#/components/schemas/{}{rest}", escape_segment(name)))
    }

    /// `node` (a 2020-12 schema at input pointer `pointer`) as a 3.0 schema.
    /// `name` is the component it belongs to, prefixing hoisted `$defs`
    /// whose own name is taken.
    pub fn convert(&mut self, node: Value, pointer: &str, name: &str) -> Value {
        match node {
            Value::Bool(true) => json!({}),
            Value::Bool(false) => json!({"not": {}}),
            Value::Object(map) => Value::Object(self.object(map, pointer, name)),
            other => {
                self.problems.push(Problem::new(
                    pointer,
                    format!("a schema is an object or a boolean, not {other}: write the schema as a mapping (`{{type: string}}`)"),
                ));
                other
            }
        }
    }

    fn object(
        &mut self,
        mut map: Map<String, Value>,
        pointer: &str,
        name: &str,
    ) -> Map<String, Value> {
        for key in IDENTIFIERS {
            map.remove(key);
        }
        self.hoist_defs(&mut map, pointer, name);
        self.unsupported(&mut map, pointer);
        self.children(&mut map, pointer, name);
        self.tuple(&mut map, pointer);
        content(&mut map);
        bounds(&mut map, "exclusiveMinimum", "minimum", |new, old| {
            new >= old
        });
        bounds(&mut map, "exclusiveMaximum", "maximum", |new, old| {
            new <= old
        });
        constant(&mut map);
        types(&mut map);
        for key in ["anyOf", "oneOf"] {
            null_branches(&mut map, key);
        }
        ref_siblings(&mut map);
        map
    }

    /// Moves every `$defs` entry into `components/schemas`.
    fn hoist_defs(&mut self, map: &mut Map<String, Value>, pointer: &str, name: &str) {
        let Some(defs) = map.remove("$defs") else {
            return;
        };
        let at = join(pointer, "$defs");
        let Value::Object(defs) = defs else {
            self.problems.push(Problem::new(
                at,
                "`$defs` is a mapping of names to schemas: make it one",
            ));
            return;
        };
        for (key, schema) in defs {
            let from = join(&at, &key);
            let converted = self.convert(schema, &from, &key);
            self.hoist(&key, name, converted, &from);
        }
    }

    /// Removes the keywords 3.0 cannot say (a loss each);
    /// `patternProperties` with one pattern becomes `additionalProperties`.
    fn unsupported(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        for key in UNSUPPORTED {
            if map.remove(key).is_some() {
                self.lose(
                    &join(pointer, key),
                    LossKind::Loosened,
                    &format!("`{key}` has no OpenAPI 3.0 equivalent: removed, so the type accepts more than the spec allows"),
                    &format!("express the constraint without `{key}` (an overlay), or accept the looser type"),
                );
            }
        }
        let Some(patterns) = map.remove("patternProperties") else {
            return;
        };
        let at = join(pointer, "patternProperties");
        match patterns {
            Value::Object(p) if p.len() == 1 && !map.contains_key("additionalProperties") => {
                let (pattern, schema) = p.into_iter().next().unwrap_or_default();
                let converted = self.convert(schema, &join(&at, &pattern), "");
                map.insert("additionalProperties".into(), converted);
                self.lose(
                    &at,
                    LossKind::Loosened,
                    &format!("`patternProperties` read as `additionalProperties`: keys are not checked against `{pattern}`"),
                    "describe the map's keys with `additionalProperties` (an overlay)",
                );
            }
            _ => self.lose(
                &at,
                LossKind::Loosened,
                "`patternProperties` with several patterns (or beside `additionalProperties`) removed: the extra properties are untyped",
                "describe the map's values with one `additionalProperties` schema (an overlay)",
            ),
        }
    }

    /// Converts every subschema in place.
    fn children(&mut self, map: &mut Map<String, Value>, pointer: &str, name: &str) {
        for key in ["properties"] {
            if let Some(Value::Object(props)) = map.get_mut(key) {
                let at = join(pointer, key);
                for (k, v) in props.iter_mut() {
                    *v = self.convert(v.take(), &join(&at, k), name);
                }
            }
        }
        for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            if let Some(Value::Array(list)) = map.get_mut(key) {
                let at = join(pointer, key);
                for (i, v) in list.iter_mut().enumerate() {
                    *v = self.convert(v.take(), &join(&at, &i.to_string()), name);
                }
            }
        }
        for key in ["items", "not", "additionalProperties"] {
            let keep_bool = key == "additionalProperties"
                || (key == "items" && map.contains_key("prefixItems"));
            if let Some(v) = map.get_mut(key)
                && !(keep_bool && v.is_boolean())
            {
                *v = self.convert(v.take(), &join(pointer, key), name);
            }
        }
    }

    /// `prefixItems` (a tuple) read as an array of the items' common type.
    fn tuple(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Array(prefix)) = map.remove("prefixItems") else {
            return;
        };
        let mut all = prefix;
        match map.remove("items") {
            Some(Value::Bool(false)) | None => {}
            Some(Value::Bool(true)) => all.push(json!({})),
            Some(rest) => all.push(rest),
        }
        let common = common_schema(&all);
        let what = if common == json!({}) {
            "the tuple `prefixItems` read as an array of any values: its items have no common type"
        } else {
            "the tuple `prefixItems` read as an array of its items' common type: positions are not typed"
        };
        map.insert("items".into(), common);
        self.lose(
            &join(pointer, "prefixItems"),
            LossKind::Loosened,
            what,
            "make the tuple an object with named properties, or give its items one type (an overlay)",
        );
    }
}

/// The items of a tuple as one schema: all equal, or of one `type`, or any.
fn common_schema(all: &[Value]) -> Value {
    let Some(first) = all.first() else {
        return json!({});
    };
    if all.iter().all(|v| v == first) {
        return first.clone();
    }
    let first_type = first.get("type").and_then(Value::as_str);
    match first_type {
        Some(t)
            if all
                .iter()
                .all(|v| v.get("type").and_then(Value::as_str) == Some(t)) =>
        {
            json!({"type": t})
        }
        _ => json!({}),
    }
}

/// `contentEncoding: base64` is `format: byte`; a binary `contentMediaType`
/// without an encoding is `format: binary`.
fn content(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    let format = match (
        encoding.as_ref().and_then(Value::as_str),
        media.as_ref().and_then(Value::as_str),
    ) {
        (Some(e), _) if e.eq_ignore_ascii_case("base64") => "byte",
        (None, Some(m)) if is_binary(m) => "binary",
        _ => return,
    };
    map.insert("format".into(), json!(format));
}

/// Whether a media type's bytes are not text.
fn is_binary(media: &str) -> bool {
    let media = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let textual = media.starts_with("text/")
        || media.ends_with("json")
        || media.ends_with("xml")
        || media == "application/x-www-form-urlencoded"
        || media == "application/javascript";
    !textual
}

/// A numeric `exclusive` bound is the 3.0 pair (`inclusive: n,
/// exclusive: true`), unless the inclusive bound already present is
/// stricter (`stricter(new, old)` says when the exclusive one wins).
fn bounds(
    map: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    stricter: fn(f64, f64) -> bool,
) {
    let Some(n) = map.get(exclusive).filter(|v| v.is_number()).cloned() else {
        return;
    };
    let old = map.get(inclusive).and_then(Value::as_f64);
    let new = n.as_f64().unwrap_or_default();
    if old.is_none_or(|old| stricter(new, old)) {
        map.insert(inclusive.into(), n);
        map.insert(exclusive.into(), json!(true));
    } else {
        map.remove(exclusive);
    }
}

/// `const: X` is `enum: [X]` (typed by X when the schema has no type);
/// `examples` is its first `example`.
fn constant(map: &mut Map<String, Value>) {
    if let Some(value) = map.remove("const") {
        if value.is_null() {
            map.insert("nullable".into(), json!(true));
        } else if !map.contains_key("type") {
            let t = match &value {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_f64() => Some("number"),
                Value::Number(_) => Some("integer"),
                _ => None,
            };
            if let Some(t) = t {
                map.insert("type".into(), json!(t));
            }
        }
        map.insert("enum".into(), json!([value]));
    }
    if let Some(examples) = map.remove("examples")
        && let (Some(first), false) = (examples.get(0), map.contains_key("example"))
    {
        map.insert("example".into(), first.clone());
    }
}

/// `type: [T, "null"]` is `type: T, nullable: true`; `type: "null"` a
/// nullable `enum: [null]`; several types a `oneOf` of one branch each.
fn types(map: &mut Map<String, Value>) {
    let mut list: Vec<String> = match map.get("type") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) if s == "null" => vec![s.clone()],
        _ => return,
    };
    list.dedup();
    if list.iter().any(|t| t == "null") {
        list.retain(|t| t != "null");
        map.insert("nullable".into(), json!(true));
    }
    if list.iter().any(|t| t == "number") {
        // `integer` is a subset of `number`: the union is `number`.
        list.retain(|t| t != "integer");
    }
    match list.as_slice() {
        [] => {
            map.remove("type");
            map.insert("enum".into(), json!([null]));
        }
        [one] => {
            map.insert("type".into(), json!(one));
        }
        _ => split_types(map, &list),
    }
}

/// One `oneOf` branch per type, each with the keywords of its type.
fn split_types(map: &mut Map<String, Value>, list: &[String]) {
    map.remove("type");
    let numeric_format = map
        .get("format")
        .and_then(Value::as_str)
        .is_some_and(|f| ["int32", "int64", "float", "double"].contains(&f));
    let format = map.remove("format");
    let mut branches = Vec::new();
    for t in list {
        let mut branch = Map::new();
        branch.insert("type".into(), json!(t));
        let family = if t == "integer" { "number" } else { t.as_str() };
        let keys = TYPE_KEYWORDS
            .iter()
            .find(|(f, _)| *f == family)
            .map(|(_, k)| *k)
            .unwrap_or(&[]);
        for key in keys {
            if let Some(v) = map.get(*key) {
                branch.insert((*key).into(), v.clone());
            }
        }
        let wants_format = if family == "number" {
            numeric_format
        } else {
            t == "string" && !numeric_format
        };
        if let (true, Some(f)) = (wants_format, &format) {
            branch.insert("format".into(), f.clone());
        }
        branches.push(Value::Object(branch));
    }
    for (_, keys) in TYPE_KEYWORDS {
        for key in keys {
            map.remove(*key);
        }
    }
    let union = json!(branches);
    match map.remove("oneOf") {
        None => {
            map.insert("oneOf".into(), union);
        }
        Some(old) => {
            let mut all = match map.remove("allOf") {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            all.push(json!({"oneOf": old}));
            all.push(json!({"oneOf": union}));
            map.insert("allOf".into(), json!(all));
        }
    }
}

/// Whether a converted schema only allows `null`.
fn is_null_only(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    map.get("enum") == Some(&json!([null]))
        && map
            .keys()
            .all(|k| k == "enum" || k == "nullable" || ANNOTATIONS.contains(&k.as_str()))
}

/// An `anyOf`/`oneOf` with a `null` branch (pydantic's `Optional`) is its
/// other branches, nullable; one other branch is merged into the schema
/// (a `$ref` as `allOf: [$ref]`, since 3.0 ignores a `$ref`'s siblings).
fn null_branches(map: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(branches)) = map.get(key) else {
        return;
    };
    if !branches.iter().any(is_null_only) {
        return;
    }
    let rest: Vec<Value> = branches
        .iter()
        .filter(|b| !is_null_only(b))
        .cloned()
        .collect();
    map.remove(key);
    map.insert("nullable".into(), json!(true));
    match <[Value; 1]>::try_from(rest) {
        Ok([one]) => merge_branch(map, one),
        Err(rest) if rest.is_empty() => {
            map.insert("enum".into(), json!([null]));
        }
        Err(rest) => {
            map.insert(key.into(), json!(rest));
        }
    }
}

/// Merges the one non-null branch into its parent: its keywords, or
/// `allOf: [branch]` when it is a `$ref` or its keywords clash.
fn merge_branch(map: &mut Map<String, Value>, branch: Value) {
    let Value::Object(b) = branch else {
        return;
    };
    let clash = b.contains_key("$ref") || b.keys().any(|k| map.contains_key(k) && k != "nullable");
    if clash {
        let mut all = match map.remove("allOf") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        all.insert(0, Value::Object(b));
        map.insert("allOf".into(), json!(all));
    } else {
        map.extend(b);
    }
}

/// A `$ref` with siblings: documentation siblings are dropped, any others
/// keep their meaning beside `allOf: [{$ref}]`.
fn ref_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") || map.len() == 1 {
        return;
    }
    for key in ANNOTATIONS {
        map.remove(key);
    }
    if map.len() == 1 {
        return;
    }
    let reference = map.remove("$ref").unwrap_or_default();
    let mut all = match map.remove("allOf") {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    all.insert(0, json!({"$ref": reference}));
    map.insert("allOf".into(), json!(all));
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{Hoisted, Schemas};
    use crate::normalise::{Loss, LossKind};

    /// The schema at `#/s` converted, with its losses.
    fn convert(schema: Value) -> (Value, Vec<Loss>) {
        let mut s = Schemas::new(["Taken".to_owned()]);
        let out = s.convert(schema, "#/s", "Parent");
        assert_eq!(s.problems, vec![]);
        (out, s.losses)
    }

    /// A conversion that loses nothing.
    fn exact(schema: Value) -> Value {
        let (out, losses) = convert(schema);
        assert_eq!(losses, vec![]);
        out
    }

    fn loss(pointer: &str) -> (String, LossKind) {
        (pointer.to_owned(), LossKind::Loosened)
    }

    fn where_(losses: &[Loss]) -> Vec<(String, LossKind)> {
        losses.iter().map(|l| (l.pointer.clone(), l.kind)).collect()
    }

    #[test]
    fn a_type_with_null_is_nullable() {
        assert_eq!(
            exact(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            exact(json!({"type": ["integer"]})),
            json!({"type": "integer"})
        );
        assert_eq!(
            exact(json!({"type": "null"})),
            json!({"nullable": true, "enum": [null]})
        );
    }

    /// Several types are a `oneOf` of one branch per type, each with the
    /// keywords of its type; `integer` folds into `number`.
    #[test]
    fn several_types_are_one_branch_each() {
        assert_eq!(
            exact(json!({
                "type": ["string", "integer", "null"], "description": "d",
                "maxLength": 3, "minimum": 1, "format": "int64",
            })),
            json!({
                "description": "d", "nullable": true,
                "oneOf": [
                    {"type": "string", "maxLength": 3},
                    {"type": "integer", "minimum": 1, "format": "int64"},
                ],
            })
        );
        assert_eq!(
            exact(json!({"type": ["integer", "number", "array"], "items": {"type": "string"}})),
            json!({"oneOf": [{"type": "number"}, {"type": "array", "items": {"type": "string"}}]})
        );
    }

    /// pydantic's `Optional[X]`: the other branch, nullable.
    #[test]
    fn a_null_branch_makes_the_other_nullable() {
        assert_eq!(
            exact(json!({
                "anyOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "null"}],
                "default": null, "title": "Pet",
            })),
            json!({
                "allOf": [{"$ref": "#/components/schemas/Pet"}],
                "nullable": true, "default": null, "title": "Pet",
            })
        );
        assert_eq!(
            exact(
                json!({"oneOf": [{"type": "null"}, {"type": "string", "format": "date"}], "title": "T"})
            ),
            json!({"type": "string", "format": "date", "nullable": true, "title": "T"})
        );
        assert_eq!(
            exact(json!({"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]})),
            json!({"nullable": true, "anyOf": [{"type": "integer"}, {"type": "string"}]})
        );
    }

    #[test]
    fn const_examples_and_exclusive_bounds() {
        assert_eq!(
            exact(json!({"const": "cat", "examples": ["cat", "dog"]})),
            json!({"type": "string", "enum": ["cat"], "example": "cat"})
        );
        assert_eq!(
            exact(
                json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10.5, "maximum": 20})
            ),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 10.5, "exclusiveMaximum": true})
        );
        // An inclusive bound that is stricter wins.
        assert_eq!(
            exact(json!({"type": "integer", "exclusiveMinimum": 0, "minimum": 5})),
            json!({"type": "integer", "minimum": 5})
        );
    }

    /// Documentation siblings of a `$ref` go; others stay beside it.
    #[test]
    fn ref_siblings() {
        assert_eq!(
            exact(json!({"$ref": "#/components/schemas/Date", "description": "d", "example": "x"})),
            json!({"$ref": "#/components/schemas/Date"})
        );
        assert_eq!(
            exact(
                json!({"$ref": "#/components/schemas/Date", "description": "d", "default": "2020-01-01"})
            ),
            json!({"allOf": [{"$ref": "#/components/schemas/Date"}], "default": "2020-01-01"})
        );
    }

    #[test]
    fn content_keywords_are_formats() {
        assert_eq!(
            exact(
                json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"})
            ),
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            exact(json!({"type": "string", "contentMediaType": "application/octet-stream"})),
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            exact(json!({"type": "string", "contentMediaType": "application/json"})),
            json!({"type": "string"})
        );
    }

    #[test]
    fn boolean_schemas() {
        assert_eq!(exact(json!(true)), json!({}));
        assert_eq!(exact(json!(false)), json!({"not": {}}));
        assert_eq!(
            exact(
                json!({"type": "object", "additionalProperties": false, "properties": {"a": true}})
            ),
            json!({"type": "object", "additionalProperties": false, "properties": {"a": {}}})
        );
    }

    #[test]
    fn tuples_are_arrays_of_the_common_type() {
        let (out, losses) = convert(json!({
            "type": "array",
            "prefixItems": [{"type": "number", "minimum": 0}, {"type": "number"}],
            "items": false,
        }));
        assert_eq!(out, json!({"type": "array", "items": {"type": "number"}}));
        assert_eq!(where_(&losses), vec![loss("#/s/prefixItems")]);
        let (out, losses) = convert(
            json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}]}),
        );
        assert_eq!(out, json!({"type": "array", "items": {}}));
        assert_eq!(where_(&losses), vec![loss("#/s/prefixItems")]);
        assert!(
            losses[0].what.contains("no common type"),
            "{}",
            losses[0].what
        );
    }

    /// Keywords 3.0 has no equivalent for are removed, a loss each, at
    /// the keyword, however deep.
    #[test]
    fn unsupported_keywords_are_losses() {
        let (out, losses) = convert(json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "x", "$comment": "c",
            "type": "object",
            "properties": {"a": {"type": "array", "contains": {"type": "string"}, "minContains": 1}},
            "if": {"required": ["a"]}, "then": {}, "unevaluatedProperties": false,
            "propertyNames": {"pattern": "^a"},
            "$dynamicRef": "#node",
        }));
        assert_eq!(
            out,
            json!({"type": "object", "properties": {"a": {"type": "array"}}})
        );
        assert_eq!(
            where_(&losses),
            vec![
                loss("#/s/$dynamicRef"),
                loss("#/s/if"),
                loss("#/s/then"),
                loss("#/s/unevaluatedProperties"),
                loss("#/s/propertyNames"),
                loss("#/s/properties/a/contains"),
                loss("#/s/properties/a/minContains"),
            ]
        );
    }

    #[test]
    fn one_pattern_property_is_additional_properties() {
        let (out, losses) = convert(json!({
            "type": "object",
            "patternProperties": {"^x-": {"type": ["string", "null"]}},
        }));
        assert_eq!(
            out,
            json!({"type": "object", "additionalProperties": {"type": "string", "nullable": true}})
        );
        assert_eq!(where_(&losses), vec![loss("#/s/patternProperties")]);
        assert_eq!(
            losses[0].exact,
            "describe the map's keys with `additionalProperties` (an overlay)"
        );
        let (out, losses) = convert(json!({"patternProperties": {"a": {}, "b": {}}}));
        assert_eq!(out, json!({}));
        assert_eq!(where_(&losses), vec![loss("#/s/patternProperties")]);
    }

    /// `$defs` are hoisted by their own name, prefixed by the parent's on
    /// a clash (in key order: serde_json's map is sorted; inner ones
    /// first); references to them are rewritten.
    #[test]
    fn defs_are_hoisted() {
        let mut s = Schemas::new(["Taken".to_owned()]);
        let out = s.convert(
            json!({
                "type": "object",
                "properties": {"a": {"$ref": "#/components/schemas/P/$defs/Taken"}},
                "$defs": {
                    "Taken": {"const": 1},
                    "Leaf": {"type": "object", "$defs": {"Inner": {"type": "boolean"}}},
                },
            }),
            "#/components/schemas/P",
            "P",
        );
        assert_eq!(
            out,
            json!({"type": "object", "properties": {"a": {"$ref": "#/components/schemas/P/$defs/Taken"}}})
        );
        assert_eq!(
            s.hoisted,
            vec![
                Hoisted {
                    name: "Inner".into(),
                    schema: json!({"type": "boolean"}),
                    from: "#/components/schemas/P/$defs/Leaf/$defs/Inner".into(),
                },
                Hoisted {
                    name: "Leaf".into(),
                    schema: json!({"type": "object"}),
                    from: "#/components/schemas/P/$defs/Leaf".into(),
                },
                Hoisted {
                    name: "PTaken".into(),
                    schema: json!({"type": "integer", "enum": [1]}),
                    from: "#/components/schemas/P/$defs/Taken".into(),
                },
            ]
        );
        assert_eq!(
            s.rewritten("#/components/schemas/P/$defs/Taken"),
            Some("#/components/schemas/PTaken".into())
        );
        assert_eq!(
            s.rewritten("#/components/schemas/P/$defs/Leaf/$defs/Inner/type"),
            Some("#/components/schemas/Inner/type".into())
        );
        assert_eq!(s.rewritten("#/components/schemas/P/$defs/Leafy"), None);
    }

    #[test]
    fn a_schema_that_is_no_schema_is_a_problem() {
        let mut s = Schemas::default();
        let _ = s.convert(json!({"properties": {"a": 5}}), "#/s", "");
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].pointer, "#/s/properties/a");
    }
}
