//! OpenAPI 3.1 and 3.2 (JSON Schema 2020-12) into OpenAPI 3.0.
//!
//! Schemas are converted by [`super::schema2020`]. Around them:
//!
//! - `openapi` becomes `3.0.3`; `info.summary` and `license.identifier`
//!   are kept as `x-summary` and `x-identifier`; `jsonSchemaDialect` and
//!   `$self` are removed (a dialect other than the OAS or plain 2020-12 one
//!   is a loss); a missing `paths` is `{}`.
//! - An operation without `responses` gets `responses: {default:
//!   {description: ...}}`: a response with no content, which types nothing,
//!   so it is no loss.
//! - A path item that is a `$ref` to `components/pathItems` is inlined
//!   (a move); `components/pathItems` is removed.
//! - `webhooks` are not client operations: they are removed, and listed at
//!   the root as `x-masstack-webhooks: [{name, method, schema}]` (`schema`
//!   a `#/components/schemas/..` reference, or null without a body); an
//!   inline request-body schema is hoisted as `<Name>Webhook` (`newPet` ->
//!   `NewPetWebhook`), a move.
//! - 3.2's `query` and `additionalOperations` go under the first free of
//!   `post`, `put`, `patch`, marked with [`METHOD_EXTENSION`] (a move); with
//!   no free key, or a method that is no HTTP token, they are left out.
//! - 3.2's tag `summary`, `parent`, `kind` are `x-` extensions; a server's
//!   `name` is dropped; a response `summary` is its `description` when it
//!   has none; an example's `dataValue` is its `value`; `in: querystring`
//!   parameters and a media type's `itemSchema` (kept without a schema) are
//!   losses; `mutualTLS` schemes are removed (a loss), and the OAuth
//!   `deviceAuthorization` flow and `oauth2MetadataUrl` dropped.
//! - A media type that is a `$ref` to 3.2's `components/mediaTypes` is
//!   inlined (a move); `components/mediaTypes` is removed.

use serde_json::{Map, Value, json};

use super::schema2020::Schemas;
use super::{LossKind, METHOD_EXTENSION, Normalised, Problem, Version};
use crate::diagnostic::join;
use crate::operations::METHODS;
use crate::provenance::Provenance;
use crate::refs::MAX_HOPS;

/// The extension at the document root listing the webhooks.
pub const WEBHOOKS_EXTENSION: &str = "x-masstack-webhooks";

/// Where an operation 3.0 cannot name is put, in this order: `query` sends
/// a body, as POST does.
const FREE_SLOTS: [&str; 3] = ["post", "put", "patch"];

/// What a response gets when an operation has none (3.0 requires one).
const NO_RESPONSES: &str = "The spec describes no response.";

/// `document` (a 3.1 or 3.2 tree) as OpenAPI 3.0.3.
pub fn normalise(document: Value, version: Version) -> Result<Normalised, Vec<Problem>> {
    let Value::Object(mut root) = document else {
        return Err(vec![Problem::new(
            "#",
            "the document is not a mapping: an OpenAPI document starts with `openapi:` and `info:`",
        )]);
    };
    let mut walk = Walk::new(&root, version);
    walk.root_fields(&mut root);
    walk.components(&mut root);
    // 3.1 makes `paths` optional; an empty YAML `paths:` is null.
    let paths = match root.remove("paths") {
        None | Some(Value::Null) => json!({}),
        Some(paths) => paths,
    };
    root.insert("paths".into(), walk.paths(paths));
    if let Some(webhooks) = root.remove("webhooks") {
        let list = walk.webhooks(webhooks);
        if !list.is_empty() {
            root.insert(WEBHOOKS_EXTENSION.into(), json!(list));
        }
    }
    walk.finish(root)
}

/// The state of one normalisation.
struct Walk {
    version: Version,
    schemas: Schemas,
    moves: Provenance,
    /// The input's `components` (under that key, so `#/components/…`
    /// pointers read it), for what is inlined (`components/pathItems`,
    /// webhook request bodies) as it was written. Not the whole document:
    /// only components are inlined, and `paths` is most of a big spec.
    input: Value,
    /// `$ref`s of components removed (querystring parameters): references
    /// to them are removed too.
    removed: Vec<String>,
}

impl Walk {
    fn new(root: &Map<String, Value>, version: Version) -> Self {
        let taken = root
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_object)
            .map(|s| s.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        Self {
            version,
            schemas: Schemas::new(taken),
            moves: Provenance::default(),
            input: json!({ "components": root.get("components").cloned().unwrap_or_default() }),
            removed: Vec::new(),
        }
    }

    fn problem(&mut self, pointer: &str, message: impl Into<String>) {
        self.schemas.problems.push(Problem::new(pointer, message));
    }

    fn lose(&mut self, pointer: &str, kind: LossKind, what: &str, exact: &str) {
        self.schemas.lose(pointer, kind, what, exact);
    }

    /// The document's own fields: version, info, dialect, tags, servers.
    fn root_fields(&mut self, root: &mut Map<String, Value>) {
        root.insert("openapi".into(), json!("3.0.3"));
        root.remove("$self");
        if let Some(dialect) = root.remove("jsonSchemaDialect") {
            let known = dialect.as_str().is_some_and(|d| {
                (d.starts_with("https://spec.openapis.org/oas/3.") && d.contains("/dialect/"))
                    || d == "https://json-schema.org/draft/2020-12/schema"
            });
            if !known {
                let what = format!(
                    "`jsonSchemaDialect: {dialect}` is not the {} dialect: its schemas are read as JSON Schema 2020-12",
                    self.version.label()
                );
                self.lose(
                    "#/jsonSchemaDialect",
                    LossKind::Loosened,
                    &what,
                    "write the schemas in the OpenAPI dialect (JSON Schema 2020-12) and remove `jsonSchemaDialect`",
                );
            }
        }
        if let Some(Value::Object(info)) = root.get_mut("info") {
            rename(info, "summary", "x-summary");
            if let Some(Value::Object(license)) = info.get_mut("license") {
                rename(license, "identifier", "x-identifier");
            }
        }
        if let Some(Value::Array(tags)) = root.get_mut("tags") {
            for tag in tags.iter_mut().filter_map(Value::as_object_mut) {
                for key in ["summary", "parent", "kind"] {
                    rename(tag, key, &format!("x-{key}"));
                }
            }
        }
        servers(root);
    }

    /// Every component, in place; `pathItems` and `mediaTypes` removed
    /// (inlined where referenced).
    fn components(&mut self, root: &mut Map<String, Value>) {
        let Some(Value::Object(components)) = root.get_mut("components") else {
            return;
        };
        components.remove("pathItems");
        components.remove("mediaTypes");
        let at = "#/components";
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for (name, schema) in schemas.iter_mut() {
                let pointer = join(&join(at, "schemas"), name);
                *schema = self.schemas.convert(schema.take(), &pointer, name);
            }
        }
        self.each(components, "parameters", |w, v, p| {
            if w.parameter(v, p) {
                w.removed.push(p.to_owned());
                *v = Value::Null;
            }
        });
        if let Some(Value::Object(parameters)) = components.get_mut("parameters") {
            parameters.retain(|_, v| !v.is_null());
        }
        self.each(components, "headers", Self::header);
        self.each(components, "requestBodies", Self::request_body);
        self.each(components, "responses", Self::response);
        self.each(components, "examples", |_, v, _| example(v));
        self.each(components, "callbacks", Self::callback);
        self.each(components, "securitySchemes", Self::security_scheme);
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            schemes.retain(|_, v| !v.is_null());
        }
    }

    /// Calls `f` on every entry of the component map `key`.
    fn each(
        &mut self,
        components: &mut Map<String, Value>,
        key: &str,
        mut f: impl FnMut(&mut Self, &mut Value, &str),
    ) {
        if let Some(Value::Object(map)) = components.get_mut(key) {
            let at = join("#/components", key);
            for (name, v) in map.iter_mut() {
                f(self, v, &join(&at, name));
            }
        }
    }

    /// A parameter in place; whether it must be removed (3.2's
    /// `in: querystring`, or a reference to one).
    fn parameter(&mut self, v: &mut Value, pointer: &str) -> bool {
        if let Some(reference) = v.get("$ref").and_then(Value::as_str) {
            return self.removed.iter().any(|r| r == reference);
        }
        if v.get("in").and_then(Value::as_str) == Some("querystring") {
            self.lose(
                pointer,
                LossKind::LeftOut,
                "the `in: querystring` parameter (the whole query string as one value) is left out: OpenAPI 3.0 has no such parameter",
                "describe the query string's fields as `in: query` parameters (an overlay)",
            );
            return true;
        }
        self.schema_at(v, "schema", pointer);
        self.content(v, pointer);
        examples(v);
        false
    }

    fn header(&mut self, v: &mut Value, pointer: &str) {
        self.schema_at(v, "schema", pointer);
        self.content(v, pointer);
        examples(v);
    }

    fn request_body(&mut self, v: &mut Value, pointer: &str) {
        self.content(v, pointer);
    }

    /// A response: `summary` is its description when it has none.
    fn response(&mut self, v: &mut Value, pointer: &str) {
        if let Some(map) = v.as_object_mut()
            && let Some(summary) = map.remove("summary")
            && !map.contains_key("$ref")
            && !map.contains_key("description")
        {
            map.insert("description".into(), summary);
        }
        if let Some(Value::Object(headers)) = v.get_mut("headers") {
            let at = join(pointer, "headers");
            for (name, h) in headers.iter_mut() {
                self.header(h, &join(&at, name));
            }
        }
        self.content(v, pointer);
    }

    /// A callback: a map of expressions to path items.
    fn callback(&mut self, v: &mut Value, pointer: &str) {
        let Some(map) = v.as_object_mut().filter(|m| !m.contains_key("$ref")) else {
            return;
        };
        for (expression, item) in map.iter_mut() {
            if !expression.starts_with("x-") {
                // Callbacks are not client operations: their moves are
                // not recorded (`out` unknown below an inlined path item).
                self.path_item(item, None, join(pointer, expression));
            }
        }
    }

    /// A security scheme; set to null when it is to be removed.
    fn security_scheme(&mut self, v: &mut Value, pointer: &str) {
        let Some(map) = v.as_object_mut() else {
            return;
        };
        map.remove("oauth2MetadataUrl");
        if let Some(Value::Object(flows)) = map.get_mut("flows") {
            flows.remove("deviceAuthorization");
        }
        if map.get("type").and_then(Value::as_str) == Some("mutualTLS") {
            *v = Value::Null;
            self.lose(
                pointer,
                LossKind::LeftOut,
                "the `mutualTLS` security scheme is left out: OpenAPI 3.0 has none, and the client does not authenticate by itself",
                "configure the client certificate on the `reqwest::Client` the generated client is built with",
            );
        }
    }

    /// `v[key]`, a schema, converted in place.
    fn schema_at(&mut self, v: &mut Value, key: &str, pointer: &str) {
        if let Some(schema) = v.get_mut(key) {
            *schema = self.schemas.convert(schema.take(), &join(pointer, key), "");
        }
    }

    /// A `content` map in place.
    fn content(&mut self, v: &mut Value, pointer: &str) {
        let at = join(pointer, "content");
        let Some(Value::Object(content)) = v.get_mut("content") else {
            return;
        };
        for (media, entry) in content.iter_mut() {
            let from = self.inline(entry, None, join(&at, media), "mediaTypes");
            self.media_type(entry, &from);
        }
    }

    /// Replaces `v`, a `$ref` to `components/<kind>`, with a copy of its
    /// target as written (a move from it when `out`, its output pointer,
    /// is known); the input pointer of what `v` now is (`from` when it is
    /// no reference).
    fn inline(&mut self, v: &mut Value, out: Option<&str>, mut from: String, kind: &str) -> String {
        let prefix = format!("#/components/{kind}/");
        for _ in 0..MAX_HOPS {
            let Some(reference) = v.get("$ref").and_then(Value::as_str) else {
                break;
            };
            if !reference.starts_with(&prefix) {
                break;
            }
            let reference = reference.to_owned();
            let Some(target) = reference
                .strip_prefix('#')
                .and_then(|p| self.input.pointer(p))
            else {
                self.problem(
                    &from,
                    format!(
                        "`$ref: {reference}` points at nothing in this document: fix the reference"
                    ),
                );
                break;
            };
            let mut copy = target.clone();
            if let (Some(copy), Some(here)) = (copy.as_object_mut(), v.as_object()) {
                // 3.1 lets a reference's `summary`/`description` override.
                for key in ["summary", "description"] {
                    if let Some(s) = here.get(key) {
                        copy.insert(key.into(), s.clone());
                    }
                }
            }
            *v = copy;
            from = reference;
            if let Some(out) = out {
                self.moves.moved(out, &from);
            }
        }
        from
    }

    /// A media type in place (`pointer`: where it was written).
    fn media_type(&mut self, v: &mut Value, pointer: &str) {
        self.schema_at(v, "schema", pointer);
        examples(v);
        let Some(map) = v.as_object_mut() else {
            return;
        };
        if map.remove("itemSchema").is_some() {
            self.lose(
                &join(pointer, "itemSchema"),
                LossKind::Loosened,
                "the streamed items' `itemSchema` is not typed: OpenAPI 3.0 has no streams, so the body is read as it comes",
                "parse each item of the stream with the item type yourself, or describe the whole body with `schema`",
            );
        }
        if let Some(Value::Object(encoding)) = map.get_mut("encoding") {
            let at = join(pointer, "encoding");
            for (name, e) in encoding.iter_mut() {
                if let Some(Value::Object(h)) = e.get_mut("headers") {
                    let h_at = join(&join(&at, name), "headers");
                    for (hn, hv) in h.iter_mut() {
                        self.header(hv, &join(&h_at, hn));
                    }
                }
            }
        }
    }

    /// `paths`, each path item converted (and inlined from
    /// `components/pathItems`).
    fn paths(&mut self, paths: Value) -> Value {
        let Value::Object(mut paths) = paths else {
            self.problem(
                "#/paths",
                "`paths` is a mapping of paths to path items: make it one",
            );
            return json!({});
        };
        for (path, item) in paths.iter_mut() {
            if !path.starts_with("x-") {
                let out = join("#/paths", path);
                self.path_item(item, Some(&out), out.clone());
            }
        }
        Value::Object(paths)
    }

    /// A path item in place: at output pointer `out` when known (moves are
    /// recorded then), written at `from`.
    fn path_item(&mut self, item: &mut Value, out: Option<&str>, from: String) {
        let from = self.inline(item, out, from, "pathItems");
        let Some(map) = item.as_object_mut() else {
            self.problem(
                &from,
                "a path item is a mapping of methods to operations: make it one",
            );
            return;
        };
        servers(map);
        let mut list = map.remove("parameters");
        if let Some(list) = &mut list {
            self.parameters(list, &join(&from, "parameters"));
        }
        let mut operations: Vec<(String, Value)> = Vec::new();
        for method in METHODS.iter().chain(&["query"]) {
            if let Some(op) = map.remove(*method) {
                operations.push(((*method).to_owned(), op));
            }
        }
        let extra = map.remove("additionalOperations");
        if let Some(list) = list {
            map.insert("parameters".into(), list);
        }
        for (method, mut op) in operations {
            let at = join(&from, &method);
            self.operation(&mut op, &at);
            if method == "query" {
                self.relocate(map, out, "QUERY", op, &at);
            } else {
                map.insert(method, op);
            }
        }
        match extra {
            Some(Value::Object(extra)) => {
                let at = join(&from, "additionalOperations");
                for (method, mut op) in extra {
                    let op_at = join(&at, &method);
                    self.operation(&mut op, &op_at);
                    self.relocate(map, out, &method.to_ascii_uppercase(), op, &op_at);
                }
            }
            Some(_) => self.problem(
                &join(&from, "additionalOperations"),
                "`additionalOperations` is a mapping of method names to operations: make it one",
            ),
            None => {}
        }
    }

    /// Puts an operation of a method 3.0 cannot name under a free method
    /// key of its path item, marked with its method; or leaves it out.
    fn relocate(
        &mut self,
        item: &mut Map<String, Value>,
        out: Option<&str>,
        method: &str,
        mut op: Value,
        from: &str,
    ) {
        let lower = method.to_ascii_lowercase();
        let slot = if METHODS.contains(&lower.as_str()) {
            // A standard method written as an additional operation.
            Some(lower.as_str()).filter(|m| !item.contains_key(*m))
        } else if is_token(method) {
            FREE_SLOTS.into_iter().find(|m| !item.contains_key(*m))
        } else {
            None
        };
        let Some(slot) = slot else {
            let why = if is_token(method) {
                "its path item has no free method key (`post`, `put`, `patch`) to carry it"
            } else {
                "its method is not an HTTP token the client can send"
            };
            self.lose(
                from,
                LossKind::LeftOut,
                &format!("the `{method}` operation is left out: {why}"),
                "move the operation to a path item of its own (an overlay), or give it a method name of letters and digits",
            );
            return;
        };
        if (!METHODS.contains(&lower.as_str()) || lower != slot)
            && let Some(op) = op.as_object_mut()
        {
            op.insert(METHOD_EXTENSION.into(), json!(method));
        }
        if let Some(out) = out {
            self.moves.moved(join(out, slot), from);
        }
        item.insert(slot.into(), op);
    }

    /// A `parameters` list in place, removing the ones 3.0 cannot carry.
    fn parameters(&mut self, list: &mut Value, pointer: &str) {
        let Some(items) = list.as_array_mut() else {
            return;
        };
        let mut keep = Vec::new();
        for (i, mut p) in std::mem::take(items).into_iter().enumerate() {
            if !self.parameter(&mut p, &join(pointer, &i.to_string())) {
                keep.push(p);
            }
        }
        *items = keep;
    }

    /// An operation in place (`pointer`: where it was written).
    fn operation(&mut self, op: &mut Value, pointer: &str) {
        let Some(map) = op.as_object_mut() else {
            self.problem(pointer, "an operation is a mapping: make it one");
            return;
        };
        servers(map);
        let mut parts: Vec<(&str, Value)> = ["parameters", "requestBody", "responses", "callbacks"]
            .into_iter()
            .filter_map(|k| map.remove(k).map(|v| (k, v)))
            .collect();
        for (key, v) in &mut parts {
            let at = join(pointer, key);
            match *key {
                "parameters" => self.parameters(v, &at),
                "requestBody" => self.request_body(v, &at),
                "responses" => {
                    if let Some(responses) = v.as_object_mut() {
                        for (code, r) in responses.iter_mut() {
                            self.response(r, &join(&at, code));
                        }
                    }
                }
                _ => {
                    if let Some(callbacks) = v.as_object_mut() {
                        for (name, c) in callbacks.iter_mut() {
                            self.callback(c, &join(&at, name));
                        }
                    }
                }
            }
        }
        map.extend(parts.into_iter().map(|(k, v)| (k.to_owned(), v)));
        if !map.contains_key("responses") {
            map.insert(
                "responses".into(),
                json!({"default": {"description": NO_RESPONSES}}),
            );
        }
    }

    /// The webhooks as `{name, method, schema}` entries, their inline
    /// request-body schemas hoisted.
    fn webhooks(&mut self, webhooks: Value) -> Vec<Value> {
        let Value::Object(webhooks) = webhooks else {
            self.problem(
                "#/webhooks",
                "`webhooks` is a mapping of names to path items: make it one",
            );
            return Vec::new();
        };
        let mut list = Vec::new();
        for (name, mut item) in webhooks {
            if name.starts_with("x-") {
                continue;
            }
            // The webhook is not in the output: nothing to record.
            let from = self.inline(&mut item, None, join("#/webhooks", &name), "pathItems");
            for (method, op) in operations_of(&item) {
                let at = method
                    .segments
                    .iter()
                    .fold(from.clone(), |p, s| join(&p, s));
                let schema = self.webhook_schema(&name, op, &at);
                list.push(json!({"name": name, "method": method.name, "schema": schema}));
            }
        }
        list
    }

    /// The `$ref` of a webhook operation's request-body schema (hoisting an
    /// inline one), or null.
    fn webhook_schema(&mut self, name: &str, op: &Value, pointer: &str) -> Value {
        let mut body = op.get("requestBody").cloned().unwrap_or(Value::Null);
        let body_at = join(pointer, "requestBody");
        let body_from = self.inline(&mut body, None, body_at, "requestBodies");
        let Some(Value::Object(content)) = body.get("content") else {
            return Value::Null;
        };
        let chosen = content
            .iter()
            .find(|(m, _)| m.contains("json"))
            .or_else(|| content.iter().next());
        let Some((media, Some(schema))) = chosen.map(|(m, e)| (m, e.get("schema"))) else {
            return Value::Null;
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return json!(reference);
        }
        let from = join(&join(&join(&body_from, "content"), media), "schema");
        let converted = self.schemas.convert(schema.clone(), &from, "");
        let hoisted = self.schemas.hoist(
            &format!("{}Webhook", upper_camel(name)),
            "",
            converted,
            &from,
        );
        json!(format!(
            "#/components/schemas/{}",
            crate::diagnostic::escape_segment(&hoisted)
        ))
    }

    /// Hoisted schemas into `components/schemas`, `$ref`s to them
    /// rewritten, and the result.
    fn finish(mut self, mut root: Map<String, Value>) -> Result<Normalised, Vec<Problem>> {
        if !self.schemas.hoisted.is_empty() {
            let components = root.entry("components").or_insert_with(|| json!({}));
            if let Some(components) = components.as_object_mut() {
                let schemas = components.entry("schemas").or_insert_with(|| json!({}));
                if let Some(schemas) = schemas.as_object_mut() {
                    for h in std::mem::take(&mut self.schemas.hoisted) {
                        let to = join("#/components/schemas", &h.name);
                        self.moves.moved(&to, &h.from);
                        schemas.insert(h.name, h.schema);
                    }
                }
            }
        }
        if let Some(Value::Array(list)) = root.get_mut(WEBHOOKS_EXTENSION) {
            // A webhook's schema may name a `$defs` entry now hoisted.
            for entry in list.iter_mut() {
                if let Some(Value::String(r)) = entry.get_mut("schema")
                    && let Some(new) = self.schemas.rewritten(r)
                {
                    *r = new;
                }
            }
        }
        let mut json = Value::Object(root);
        rewrite_refs(&mut json, &self.schemas);
        if !self.schemas.problems.is_empty() {
            return Err(self.schemas.problems);
        }
        let mut losses = Vec::new();
        for loss in self.schemas.losses {
            if !losses.contains(&loss) {
                losses.push(loss);
            }
        }
        Ok(Normalised {
            json,
            moves: self.moves,
            losses,
        })
    }
}

/// A webhook operation's method: the segments of its pointer below the
/// path item, and its name.
struct Method {
    segments: Vec<String>,
    name: String,
}

/// The operations of a path item with their methods, standard ones first.
fn operations_of(item: &Value) -> Vec<(Method, &Value)> {
    let mut out = Vec::new();
    for m in METHODS.iter().chain(&["query"]) {
        if let Some(op) = item.get(*m) {
            let method = Method {
                segments: vec![(*m).to_owned()],
                name: m.to_ascii_uppercase(),
            };
            out.push((method, op));
        }
    }
    if let Some(Value::Object(extra)) = item.get("additionalOperations") {
        for (m, op) in extra {
            let method = Method {
                segments: vec!["additionalOperations".to_owned(), m.clone()],
                name: m.to_ascii_uppercase(),
            };
            out.push((method, op));
        }
    }
    out
}

/// Renames a key, keeping its value.
fn rename(map: &mut Map<String, Value>, from: &str, to: &str) {
    if let Some(v) = map.remove(from) {
        map.insert(to.into(), v);
    }
}

/// 3.2's server `name` dropped from the `servers` of `map`.
fn servers(map: &mut Map<String, Value>) {
    if let Some(Value::Array(servers)) = map.get_mut("servers") {
        for server in servers.iter_mut().filter_map(Value::as_object_mut) {
            server.remove("name");
        }
    }
}

/// Every example of an `examples` map in place.
fn examples(v: &mut Value) {
    if let Some(Value::Object(map)) = v.get_mut("examples") {
        for e in map.values_mut() {
            example(e);
        }
    }
}

/// 3.2's `dataValue` is the `value`; `serializedValue` is dropped.
fn example(v: &mut Value) {
    let Some(map) = v.as_object_mut().filter(|m| !m.contains_key("$ref")) else {
        return;
    };
    map.remove("serializedValue");
    if let Some(data) = map.remove("dataValue") {
        map.entry("value").or_insert(data);
    }
}

/// Whether `method` is an HTTP token (RFC 9110), which reqwest can send.
fn is_token(method: &str) -> bool {
    !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// `newPet` -> `NewPet`, `new-pet` -> `NewPet`.
fn upper_camel(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Every `$ref` into a hoisted schema now names its component.
fn rewrite_refs(v: &mut Value, schemas: &Schemas) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(new) = schemas.rewritten(r)
            {
                *r = new;
            }
            for child in map.values_mut() {
                rewrite_refs(child, schemas);
            }
        }
        Value::Array(list) => {
            for child in list {
                rewrite_refs(child, schemas);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::normalise;
    use crate::load::{Document, typed};
    use crate::normalise::{Loss, LossKind, Normalised, Version};

    const DIR: &str = "/work/shared/specs-corpus-versions";

    fn run(document: Value) -> Normalised {
        let out = normalise(document, Version::OpenApi31).expect("normalises");
        typed(&out.json).expect("openapiv3 reads the result");
        out
    }

    fn where_(losses: &[Loss]) -> Vec<(&str, LossKind)> {
        losses
            .iter()
            .map(|l| (l.pointer.as_str(), l.kind))
            .collect()
    }

    fn info() -> Value {
        json!({"title": "t", "version": "1"})
    }

    /// The document's own fields; an operation without responses gets a
    /// `default` one with no content, which is no loss.
    #[test]
    fn root_fields() {
        let out = run(json!({
            "openapi": "3.1.0", "$self": "https://example.com/api",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {"title": "t", "version": "1", "summary": "s",
                     "license": {"name": "MIT", "identifier": "MIT"}},
            "servers": [{"url": "https://a", "name": "prod"}],
        }));
        assert_eq!(
            out.json,
            json!({
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1", "x-summary": "s",
                         "license": {"name": "MIT", "x-identifier": "MIT"}},
                "servers": [{"url": "https://a"}],
                "paths": {},
            })
        );
        assert_eq!(out.losses, vec![]);
        let out = run(json!({
            "openapi": "3.1.0", "info": info(),
            "jsonSchemaDialect": "https://example.com/my-dialect",
            "paths": {"/a": {"get": {"summary": "no responses"}}},
        }));
        assert_eq!(
            out.json["paths"],
            json!({"/a": {"get": {"summary": "no responses",
                "responses": {"default": {"description": "The spec describes no response."}}}}})
        );
        assert_eq!(
            where_(&out.losses),
            vec![("#/jsonSchemaDialect", LossKind::Loosened)]
        );
        assert!(out.json.get("jsonSchemaDialect").is_none());
    }

    /// Schemas everywhere are converted; losses sit at input pointers.
    #[test]
    fn schemas_everywhere() {
        let out = run(json!({
            "openapi": "3.1.0", "info": info(),
            "paths": {"/a": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": ["integer", "null"]}}],
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {
                        "type": "object", "properties": {"n": {"const": 3}},
                        "unevaluatedProperties": false,
                    }}}},
                    "responses": {"200": {"description": "ok",
                        "headers": {"X-Rate": {"schema": {"type": "integer", "exclusiveMinimum": 0}}}}},
                },
            }},
        }));
        let a = &out.json["paths"]["/a"];
        assert_eq!(
            a["parameters"][0]["schema"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            a["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "object", "properties": {"n": {"type": "integer", "enum": [3]}}})
        );
        assert_eq!(
            a["post"]["responses"]["200"]["headers"]["X-Rate"]["schema"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            where_(&out.losses),
            vec![(
                "#/paths/~1a/post/requestBody/content/application~1json/schema/unevaluatedProperties",
                LossKind::Loosened
            )]
        );
    }

    /// `$defs` become components, references follow them, and the move
    /// traces back.
    #[test]
    fn defs_are_components() {
        let out = run(json!({
            "openapi": "3.1.0", "info": info(), "paths": {},
            "components": {"schemas": {
                "Pet": {"type": "object",
                    "properties": {"owner": {"$ref": "#/components/schemas/Pet/$defs/Owner"}},
                    "$defs": {"Owner": {"type": "object", "properties": {"name": {"type": "string"}}}}},
            }},
        }));
        assert_eq!(
            out.json["components"]["schemas"],
            json!({
                "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}}},
                "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            })
        );
        assert_eq!(
            out.moves
                .trace("#/components/schemas/Owner/properties/name"),
            (
                None,
                "#/components/schemas/Pet/$defs/Owner/properties/name".to_owned()
            )
        );
    }

    /// A path item from `components/pathItems` is inlined; its `query`
    /// operation goes under `post` (free), marked, and traces back.
    #[test]
    fn path_items_and_query() {
        let out = normalise(
            json!({
                "openapi": "3.2.0", "info": info(),
                "paths": {"/search": {"$ref": "#/components/pathItems/Search"}},
                "components": {"pathItems": {"Search": {
                    "get": {"responses": {"200": {"description": "ok"}}},
                    "query": {"operationId": "search",
                        "requestBody": {"content": {"application/json": {"schema": {"type": "string", "examples": ["x"]}}}},
                        "responses": {"200": {"description": "ok"}}},
                }}},
            }),
            Version::OpenApi32,
        )
        .expect("normalises");
        typed(&out.json).expect("openapiv3 reads it");
        assert_eq!(
            out.json["paths"],
            json!({"/search": {
                "get": {"responses": {"200": {"description": "ok"}}},
                "post": {"operationId": "search", "x-masstack-method": "QUERY",
                    "requestBody": {"content": {"application/json": {"schema": {"type": "string", "example": "x"}}}},
                    "responses": {"200": {"description": "ok"}}},
            }})
        );
        assert_eq!(out.json["components"], json!({}));
        assert_eq!(
            out.moves.trace("#/paths/~1search/post/requestBody"),
            (
                None,
                "#/components/pathItems/Search/query/requestBody".to_owned()
            )
        );
        assert_eq!(
            out.moves.trace("#/paths/~1search/get"),
            (None, "#/components/pathItems/Search/get".to_owned())
        );
        assert_eq!(out.losses, vec![]);
    }

    /// `additionalOperations` take the free keys in order; without one,
    /// or with a method that is no HTTP token, they are left out.
    #[test]
    fn additional_operations() {
        let ok = json!({"responses": {"200": {"description": "ok"}}});
        let out = normalise(
            json!({
                "openapi": "3.2.0", "info": info(),
                "paths": {"/r": {
                    "post": ok, "query": ok,
                    "additionalOperations": {"LINK": ok, "PURGE": ok, "BAD METHOD": ok},
                }},
            }),
            Version::OpenApi32,
        )
        .expect("normalises");
        typed(&out.json).expect("openapiv3 reads it");
        let marked = |m: &str| {
            let mut op = ok.clone();
            op["x-masstack-method"] = json!(m);
            op
        };
        // serde_json's map is sorted: `BAD METHOD`, `LINK`, `PURGE`.
        assert_eq!(
            out.json["paths"]["/r"],
            json!({"post": ok, "put": marked("QUERY"), "patch": marked("LINK")})
        );
        assert_eq!(
            where_(&out.losses),
            vec![
                (
                    "#/paths/~1r/additionalOperations/BAD METHOD",
                    LossKind::LeftOut
                ),
                ("#/paths/~1r/additionalOperations/PURGE", LossKind::LeftOut),
            ]
        );
        assert_eq!(
            out.moves.trace("#/paths/~1r/patch/responses"),
            (
                None,
                "#/paths/~1r/additionalOperations/LINK/responses".to_owned()
            )
        );
    }

    /// Webhooks are listed, not generated; an inline body schema is
    /// hoisted as `<Name>Webhook`.
    #[test]
    fn webhooks() {
        let out = run(json!({
            "openapi": "3.2.0", "info": info(),
            "webhooks": {"pet-sold": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {
                        "type": "object", "properties": {"id": {"type": ["string", "null"]}}}}}},
                    "responses": {"200": {"description": "ok"}},
                },
                "additionalOperations": {"NOTIFY": {
                    "requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}},
                }},
            }},
        }));
        assert_eq!(
            out.json,
            json!({
                "openapi": "3.0.3", "info": info(), "paths": {},
                "components": {"schemas": {
                    "PetSoldWebhook": {
                        "type": "object", "properties": {"id": {"type": "string", "nullable": true}}},
                    "PetSoldWebhook2": {"type": "string"},
                }},
                "x-masstack-webhooks": [
                    {"name": "pet-sold", "method": "POST", "schema": "#/components/schemas/PetSoldWebhook"},
                    {"name": "pet-sold", "method": "NOTIFY", "schema": "#/components/schemas/PetSoldWebhook2"},
                ],
            })
        );
        assert_eq!(
            out.moves.trace("#/components/schemas/PetSoldWebhook/properties/id"),
            (
                None,
                "#/webhooks/pet-sold/post/requestBody/content/application~1json/schema/properties/id"
                    .to_owned()
            )
        );
        assert_eq!(
            out.moves.trace("#/components/schemas/PetSoldWebhook2"),
            (
                None,
                "#/webhooks/pet-sold/additionalOperations/NOTIFY/requestBody/content/text~1plain/schema"
                    .to_owned()
            )
        );
    }

    /// 3.2 and 3.1 objects 3.0 has not: querystring parameters (and their
    /// references), streams, response summaries, example data values,
    /// mutual TLS and new OAuth fields.
    #[test]
    fn other_objects() {
        let out = run(json!({
            "openapi": "3.2.0", "info": info(),
            "paths": {"/e": {"get": {
                "parameters": [
                    {"$ref": "#/components/parameters/Q"},
                    {"name": "whole", "in": "querystring", "content": {"application/json": {}}},
                    {"name": "k", "in": "query", "schema": {"type": "string"},
                     "examples": {"one": {"dataValue": "a", "serializedValue": "k=a"}}},
                ],
                "responses": {
                    "200": {"summary": "events", "content": {"text/event-stream": {
                        "itemSchema": {"type": "object"}}}},
                    "400": {"summary": "bad", "description": "Bad request"},
                },
            }}},
            "components": {
                "parameters": {"Q": {"name": "q", "in": "querystring", "content": {"application/json": {}}}},
                "securitySchemes": {
                    "tls": {"type": "mutualTLS"},
                    "oauth": {"type": "oauth2", "oauth2MetadataUrl": "https://a/.well-known",
                        "flows": {
                            "deviceAuthorization": {"deviceAuthorizationUrl": "https://a/d", "tokenUrl": "https://a/t", "scopes": {}},
                            "clientCredentials": {"tokenUrl": "https://a/t", "scopes": {}},
                        }},
                },
            },
        }));
        assert_eq!(
            out.json["paths"]["/e"]["get"],
            json!({
                "parameters": [{"name": "k", "in": "query", "schema": {"type": "string"},
                                "examples": {"one": {"value": "a"}}}],
                "responses": {
                    "200": {"description": "events", "content": {"text/event-stream": {}}},
                    "400": {"description": "Bad request"},
                },
            })
        );
        assert_eq!(
            out.json["components"],
            json!({"parameters": {}, "securitySchemes": {"oauth": {"type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "https://a/t", "scopes": {}}}}}})
        );
        assert_eq!(
            where_(&out.losses),
            vec![
                ("#/components/parameters/Q", LossKind::LeftOut),
                ("#/components/securitySchemes/tls", LossKind::LeftOut),
                ("#/paths/~1e/get/parameters/1", LossKind::LeftOut),
                (
                    "#/paths/~1e/get/responses/200/content/text~1event-stream/itemSchema",
                    LossKind::Loosened
                ),
            ]
        );
    }

    #[test]
    fn problems_are_located_and_collected() {
        let problems = normalise(
            json!({
                "openapi": "3.1.0", "info": info(),
                "paths": {"/a": {"$ref": "#/components/pathItems/Nowhere"}},
                "components": {"schemas": {"A": {"properties": {"x": 5}}, "B": "text"}},
            }),
            Version::OpenApi31,
        )
        .expect_err("refused");
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            vec![
                "#/components/schemas/A/properties/x",
                "#/components/schemas/B",
                "#/paths/~1a"
            ]
        );
        assert!(
            problems[2]
                .message
                .contains("#/components/pathItems/Nowhere"),
            "{}",
            problems[2].message
        );
        let problems = normalise(json!([1]), Version::OpenApi31).expect_err("refused");
        assert_eq!(problems[0].pointer, "#");
    }

    /// The real 3.1 and 3.2 documents: each is read by `openapiv3`, and
    /// what was checked by hand holds.
    #[test]
    fn the_corpus() {
        let load = |name: &str| {
            let text = std::fs::read_to_string(format!("{DIR}/{name}")).expect("corpus file");
            let doc = Document::parse(name, &text).expect("parses");
            let version = Version::of(&doc.json).expect("a version");
            let out = normalise(doc.json, version).expect("normalises");
            typed(&out.json).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            out
        };
        let out = load("oai31-non-oauth-scopes.yaml");
        assert_eq!(
            out.json["paths"]["/users"]["get"]["responses"],
            json!({"default": {"description": "The spec describes no response."}})
        );
        let out = load("oai31-webhook-example.yaml");
        assert_eq!(out.json["paths"], json!({}));
        assert_eq!(
            out.json["x-masstack-webhooks"],
            json!([{"name": "newPet", "method": "POST", "schema": "#/components/schemas/Pet"}])
        );
        assert!(out.json.get("webhooks").is_none());
        let out = load("oai31-tictactoe.yaml");
        assert_eq!(
            out.json["x-masstack-webhooks"],
            json!([{"name": "markStatus", "method": "POST", "schema": null}])
        );
        assert_eq!(out.json["openapi"], json!("3.0.3"));
        let out = load("oai32-tags-example.yaml");
        assert_eq!(
            out.json["tags"][1],
            json!({"name": "international", "x-summary": "International",
                   "description": "Flights that cross country borders",
                   "x-parent": "flights", "x-kind": "nav"})
        );
        let out = load("redocly-museum.yaml");
        // `description` (and `example`) beside a `$ref` are dropped.
        assert_eq!(
            out.json["components"]["schemas"]["MuseumDailyHours"]["properties"]["date"],
            json!({"$ref": "#/components/schemas/Date"})
        );
        assert_eq!(
            out.json["x-masstack-webhooks"],
            json!([{"name": "publishNewEvent", "method": "POST", "schema": "#/components/schemas/SpecialEvent"}])
        );
        // Nothing in the museum needs a lossy step or a move.
        assert_eq!(out.losses, vec![]);
        assert!(out.moves.is_empty());
    }
}
