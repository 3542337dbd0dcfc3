//! Seeded mutations of OpenAPI documents, and the verdict of the generator
//! on one mutant. Shared by `cargo xtask fuzz` and the short run of
//! `cargo test` (crates/masstack-codegen/tests/fuzz.rs includes this file),
//! so it depends on `serde_json` and `masstack_codegen` only.

use std::panic::{self, AssertUnwindSafe};

use masstack_codegen::manifest::{Manifest, Output};
use masstack_codegen::{Error, Generation, LoadedSpec, Location, fixes, load};
use serde_json::{Map, Value, json};

/// xorshift64*: small, seeded, the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (0 is moved off the fixed point).
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The mutations, by name; [`mutate`] applies one.
pub const MUTATIONS: &[&str] = &[
    "delete a key",
    "change a type",
    "duplicate an operationId",
    "remove an operationId",
    "add a response with another schema",
    "change a media type",
    "replace a schema by another",
    "inject `required: true` into a schema",
    "rename a component schema",
    "break a $ref",
    "add a keyword typify may not handle",
];

/// Every object of `v` by JSON pointer, with the key it sits under.
fn objects(v: &Value) -> Vec<(String, String)> {
    fn walk(v: &Value, pointer: &str, key: &str, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(m) => {
                out.push((pointer.to_owned(), key.to_owned()));
                for (k, child) in m {
                    let escaped = k.replace('~', "~0").replace('/', "~1");
                    walk(child, &format!("{pointer}/{escaped}"), k, out);
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    walk(child, &format!("{pointer}/{i}"), key, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, "", "", &mut out);
    out
}

/// Pointers of the schemas of `doc`: component schemas, `schema` values and
/// the schemas under `properties`, `items` and compositions.
fn schemas(doc: &Value) -> Vec<String> {
    let all = objects(doc);
    all.iter()
        .filter(|(p, key)| {
            let parent = p.rsplit_once('/').map_or("", |(parent, _)| parent);
            key == "schema"
                || key == "items"
                || parent.ends_with("/components/schemas")
                || parent.ends_with("/properties")
                || ["/oneOf", "/anyOf", "/allOf"]
                    .iter()
                    .any(|c| parent.ends_with(c))
        })
        .map(|(p, _)| p.clone())
        .collect()
}

/// Pointers of the operations of `doc`.
fn operations(doc: &Value) -> Vec<String> {
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        let escaped = path.replace('~', "~0").replace('/', "~1");
        for method in METHODS {
            if item.get(method).is_some_and(Value::is_object) {
                out.push(format!("/paths/{escaped}/{method}"));
            }
        }
    }
    out
}

/// Applies one mutation to `doc`; what it did, or `None` when the document
/// has nothing it applies to.
pub fn mutate(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let which = rng.below(MUTATIONS.len());
    let name = MUTATIONS[which];
    let done = match which {
        0 => {
            let all = objects(doc);
            let (pointer, _) = rng.pick(&all).clone();
            let map = doc.pointer_mut(&pointer)?.as_object_mut()?;
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = rng.pick(non_empty(&keys)?).clone();
            map.remove(&key);
            format!("{pointer}/{key}")
        }
        1 => {
            let typed: Vec<String> = schemas(doc)
                .into_iter()
                .filter(|p| doc.pointer(p).and_then(|s| s.get("type")).is_some())
                .collect();
            let pointer = rng.pick(non_empty(&typed)?).clone();
            let to = *rng.pick(&[
                "string", "integer", "number", "boolean", "object", "array", "null", "bogus",
            ]);
            doc.pointer_mut(&pointer)?["type"] = json!(to);
            format!("{pointer}/type = {to}")
        }
        2 => {
            let ops = operations(doc);
            let ops = non_empty(&ops)?;
            let (a, b) = (rng.pick(ops).clone(), rng.pick(ops).clone());
            let id = doc.pointer(&a)?.get("operationId")?.clone();
            doc.pointer_mut(&b)?["operationId"] = id;
            format!("{b}/operationId = that of {a}")
        }
        3 => {
            let ops = operations(doc);
            let pointer = rng.pick(non_empty(&ops)?).clone();
            doc.pointer_mut(&pointer)?
                .as_object_mut()?
                .remove("operationId")?;
            format!("{pointer}/operationId removed")
        }
        4 => {
            let ops = operations(doc);
            let pointer = rng.pick(non_empty(&ops)?).clone();
            let all = schemas(doc);
            let source = rng.pick(non_empty(&all)?).clone();
            let schema = doc.pointer(&source)?.clone();
            let status = *rng.pick(&["201", "202", "204", "400", "404", "409", "500", "default"]);
            let media = *rng.pick(&["application/json", "text/plain", "application/xml"]);
            let op = doc.pointer_mut(&pointer)?.as_object_mut()?;
            let responses = op
                .entry("responses")
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()?;
            responses.insert(
                status.to_owned(),
                json!({"description": "fuzz", "content": {media: {"schema": schema}}}),
            );
            format!("{pointer}/responses/{status} ({media}) added")
        }
        5 => {
            let contents: Vec<String> = objects(doc)
                .into_iter()
                .filter(|(_, key)| key == "content")
                .map(|(p, _)| p)
                .collect();
            let pointer = rng.pick(non_empty(&contents)?).clone();
            let map = doc.pointer_mut(&pointer)?.as_object_mut()?;
            let keys: Vec<String> = map.keys().cloned().collect();
            let from = rng.pick(non_empty(&keys)?).clone();
            let to = *rng.pick(&[
                "text/plain",
                "application/xml",
                "application/octet-stream",
                "multipart/form-data",
                "application/x-www-form-urlencoded",
                "application/problem+json",
                "*/*",
                "not a media type",
            ]);
            let body = map.remove(&from)?;
            map.insert(to.to_owned(), body);
            format!("{pointer}: {from} -> {to}")
        }
        6 => {
            let all = schemas(doc);
            let all = non_empty(&all)?;
            let (target, source) = (rng.pick(all).clone(), rng.pick(all).clone());
            let schema = doc.pointer(&source)?.clone();
            *doc.pointer_mut(&target)? = schema;
            format!("{target} = {source}")
        }
        7 => {
            let all = schemas(doc);
            let pointer = rng.pick(non_empty(&all)?).clone();
            doc.pointer_mut(&pointer)?
                .as_object_mut()?
                .insert("required".into(), json!(true));
            format!("{pointer}/required = true")
        }
        8 => {
            let components = doc.pointer_mut("/components/schemas")?.as_object_mut()?;
            let keys: Vec<String> = components.keys().cloned().collect();
            let from = rng.pick(non_empty(&keys)?).clone();
            let schema = components.remove(&from)?;
            let to = format!("{from}Renamed");
            components.insert(to.clone(), schema);
            format!("component {from} renamed {to}")
        }
        9 => {
            let refs: Vec<String> = objects(doc)
                .into_iter()
                .filter(|(p, _)| doc.pointer(p).is_some_and(|o| o.get("$ref").is_some()))
                .map(|(p, _)| p)
                .collect();
            let pointer = rng.pick(non_empty(&refs)?).clone();
            let to = *rng.pick(&[
                "#/components/schemas/Nowhere",
                "#/components/responses/Nowhere",
                "other.yaml#/Thing",
                "#broken",
                "",
            ]);
            doc.pointer_mut(&pointer)?["$ref"] = json!(to);
            format!("{pointer}/$ref = {to:?}")
        }
        _ => {
            let all = schemas(doc);
            let pointer = rng.pick(non_empty(&all)?).clone();
            let (key, value) = rng
                .pick(&[
                    ("format", json!("uri-map")),
                    ("enum", json!([1, "a", true])),
                    ("not", json!({"type": "string"})),
                    ("default", json!("not-a-default")),
                    ("additionalProperties", json!(false)),
                    ("nullable", json!(true)),
                    ("oneOf", json!([{"type": "string"}, {"type": "integer"}])),
                ])
                .clone();
            doc.pointer_mut(&pointer)?
                .as_object_mut()?
                .insert(key.to_owned(), value.clone());
            format!("{pointer}/{key} = {value}")
        }
    };
    Some(format!("{name}: {done}"))
}

fn non_empty<T>(items: &[T]) -> Option<&[T]> {
    (!items.is_empty()).then_some(items)
}

/// What the generator made of a mutant.
pub enum Verdict {
    /// Generated.
    Generated(Box<Generation>),
    /// Refused, with the first problem that names only the file (no
    /// pointer or operation), if any.
    Rejected {
        /// The first problem located at the file alone.
        unlocated: Option<String>,
    },
    /// A bug: an internal error.
    Internal(String),
    /// A bug: a panic escaped.
    Panicked(String),
}

/// Loads the mutant as `name` (its text, as a user's file would be), applies
/// `output`'s fixes (overlays read under `root`) and generates in memory.
pub fn judge(
    root: &std::path::Path,
    name: &str,
    doc: &Value,
    manifest: &Manifest,
    output: &Output,
) -> Verdict {
    let run = || -> Result<Generation, Error> {
        let text = serde_json::to_string_pretty(doc).expect("JSON values serialize");
        let spec: LoadedSpec = load::parse(name, &text).map_err(Error::Invalid)?;
        let spec = fixes::apply(root, "codegen.toml", &output.fixes, spec)?;
        masstack_codegen::generate_summarised("codegen.toml", manifest, output, &spec)
    };
    match panic::catch_unwind(AssertUnwindSafe(run)) {
        Ok(Ok(generation)) => Verdict::Generated(Box::new(generation)),
        Ok(Err(Error::Invalid(problems))) => Verdict::Rejected {
            unlocated: problems
                .iter()
                .find(|d| d.location == Location::File)
                .map(ToString::to_string),
        },
        Ok(Err(e)) => Verdict::Internal(e.to_string()),
        Err(payload) => Verdict::Panicked(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "unknown panic".into()),
        ),
    }
}

/// A mutant of `base`: one to three mutations, and what they did.
pub fn mutant(base: &Value, rng: &mut Rng) -> (Value, Vec<String>) {
    let mut doc = base.clone();
    let mut done = Vec::new();
    let wanted = 1 + rng.below(3);
    // Bounded: a mutation that finds nothing to apply to is drawn again.
    for _ in 0..wanted * 4 {
        if done.len() == wanted {
            break;
        }
        if let Some(what) = mutate(&mut doc, rng) {
            done.push(what);
        }
    }
    (doc, done)
}
