//! Swagger 2.0 into OpenAPI 3.0, after swagger2openapi's well-known
//! conversion.
//!
//! Choices where 2.0 leaves something open:
//! - `servers`: one per scheme, `{scheme}://{host}{basePath}`. Without
//!   `schemes`, 2.0 means "the scheme the document was served with", which a
//!   file does not have: `https` is assumed. Without `host`, the server is
//!   `basePath` as a relative URL (`/` without one).
//! - A media type list (`consumes`, `produces`) is the operation's, else the
//!   document's, else `application/json`.
//! - A `body` parameter of `#/parameters` becomes
//!   `#/components/requestBodies`, read with the document's `consumes`; an
//!   operation whose own `consumes` differs gets the body inlined instead.
//! - A `formData` parameter of `#/parameters` has no 3.0 component: it is
//!   inlined into the form body of each operation that lists it.
//! - A path parameter is `required: true` whatever it says (the only value
//!   both versions allow).
//! - An array parameter's `collectionFormat` (csv when absent) is written
//!   as an explicit `style` and `explode`, since 3.0's query default
//!   (`form`, exploded) is 2.0's `multi`, not its csv.
//!
//! Provenance: every node whose pointer changed is recorded (the operation
//! and schema trees keep theirs, so only their moved parts are).

use serde_json::{Map, Value, json};

use super::{Loss, LossKind, Normalised, Problem};
use crate::diagnostic::{join, unescape_segment};
use crate::provenance::Provenance;

const JSON: &str = "application/json";
const URLENCODED: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The methods of a 2.0 path item.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// The keys of a 2.0 operation that 3.0 reads as they are.
const OPERATION_KEYS: [&str; 7] = [
    "operationId",
    "tags",
    "summary",
    "description",
    "deprecated",
    "security",
    "externalDocs",
];

/// The keywords of a non-body parameter (or header) that describe its value:
/// 3.0 reads them in the parameter's `schema`.
const SCHEMA_KEYWORDS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
    "enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
];

/// `document` (a Swagger 2.0 tree) as OpenAPI 3.0.3.
pub fn normalise(document: Value) -> Result<Normalised, Vec<Problem>> {
    let Value::Object(doc) = &document else {
        return Err(vec![Problem::new(
            "#",
            "the document is not a mapping: a Swagger 2.0 document is a mapping with `swagger`, `info` and `paths`",
        )]);
    };
    let mut converter = Converter::new(doc);
    let json = converter.document();
    if !converter.problems.is_empty() {
        return Err(converter.problems);
    }
    Ok(Normalised {
        json,
        moves: converter.moves,
        losses: converter.losses,
    })
}

/// The conversion's state: the input, and what it recorded so far.
struct Converter<'a> {
    doc: &'a Map<String, Value>,
    /// The document's `consumes`, defaulted.
    consumes: Vec<String>,
    /// The document's `produces`, defaulted.
    produces: Vec<String>,
    moves: Provenance,
    losses: Vec<Loss>,
    problems: Vec<Problem>,
}

/// One entry of a `parameters` list, its `$ref` followed.
struct Param<'a> {
    /// Where the entry is written (input).
    at: String,
    /// The parameter itself.
    def: &'a Map<String, Value>,
    /// Where the parameter itself is written: `at`, or `#/parameters/X`.
    def_at: String,
    /// `X` when the entry is `$ref: '#/parameters/X'`.
    component: Option<String>,
    /// Its `in`.
    location: &'a str,
    /// Its `name`.
    name: &'a str,
}

impl<'a> Converter<'a> {
    fn new(doc: &'a Map<String, Value>) -> Self {
        Self {
            doc,
            consumes: media_list(doc.get("consumes")).unwrap_or_else(|| vec![JSON.to_owned()]),
            produces: media_list(doc.get("produces")).unwrap_or_else(|| vec![JSON.to_owned()]),
            moves: Provenance::default(),
            losses: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(pointer, message));
    }

    fn loss(&mut self, pointer: &str, what: impl Into<String>, exact: impl Into<String>) {
        self.losses.push(Loss {
            pointer: pointer.to_owned(),
            kind: LossKind::Loosened,
            what: what.into(),
            exact: exact.into(),
        });
    }

    fn document(&mut self) -> Value {
        let doc = self.doc;
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        match doc.get("info") {
            Some(info) => {
                out.insert("info".into(), info.clone());
            }
            None => self.problem(
                "#",
                "the document has no `info`: add `info: {title: ..., version: ...}`",
            ),
        }
        out.insert("servers".into(), self.servers());
        for key in ["tags", "externalDocs", "security"] {
            if let Some(value) = doc.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        copy_extensions(doc, &mut out);
        let paths = match doc.get("paths") {
            Some(paths) => self.paths(paths),
            None => json!({}),
        };
        out.insert("paths".into(), paths);
        let components = self.components();
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        Value::Object(out)
    }

    /// `host`, `basePath` and `schemes` as `servers` (see the module's doc).
    fn servers(&mut self) -> Value {
        let doc = self.doc;
        let base = doc.get("basePath").and_then(Value::as_str).unwrap_or("");
        let Some(host) = doc.get("host").and_then(Value::as_str) else {
            if doc.contains_key("basePath") {
                self.moves.moved("#/servers/0/url", "#/basePath");
            }
            let url = if base.is_empty() { "/" } else { base };
            return json!([{ "url": url }]);
        };
        let written = media_list(doc.get("schemes"));
        let schemes = written.clone().unwrap_or_else(|| vec!["https".to_owned()]);
        for i in 0..schemes.len() {
            let server = format!("#/servers/{i}");
            let from = match written {
                Some(_) => format!("#/schemes/{i}"),
                None => "#/host".to_owned(),
            };
            self.moves.moved(&server, from);
            self.moves.moved(format!("{server}/url"), "#/host");
        }
        schemes
            .iter()
            .map(|scheme| json!({ "url": format!("{scheme}://{host}{base}") }))
            .collect()
    }

    fn paths(&mut self, paths: &'a Value) -> Value {
        let Some(paths) = paths.as_object() else {
            self.problem("#/paths", "`paths` is not a mapping of paths to path items");
            return json!({});
        };
        let mut out = Map::new();
        for (path, item) in paths {
            if path.starts_with("x-") {
                out.insert(path.clone(), item.clone());
                continue;
            }
            let pointer = join("#/paths", path);
            out.insert(path.clone(), self.path_item(item, &pointer));
        }
        Value::Object(out)
    }

    fn path_item(&mut self, item: &'a Value, pointer: &str) -> Value {
        let Some(item) = item.as_object() else {
            self.problem(
                pointer,
                "a path item is not a mapping of methods to operations",
            );
            return json!({});
        };
        let shared = self.param_list(item.get("parameters"), &join(pointer, "parameters"));
        let mut out = Map::new();
        for (key, value) in item {
            if METHODS.contains(&key.as_str()) {
                let operation = self.operation(value, &join(pointer, key), &shared);
                out.insert(key.clone(), operation);
            } else if key == "$ref" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        // Body and form parameters go into each operation's request body.
        let plain: Vec<&Param<'_>> = shared.iter().filter(|p| !p.in_body()).collect();
        if !plain.is_empty() {
            let list = self.parameter_entries(&plain, &join(pointer, "parameters"));
            out.insert("parameters".into(), list);
        }
        Value::Object(out)
    }

    /// The entries of a `parameters` list, their `$ref`s followed.
    fn param_list(&mut self, list: Option<&'a Value>, pointer: &str) -> Vec<Param<'a>> {
        let Some(list) = list else {
            return Vec::new();
        };
        let Some(list) = list.as_array() else {
            self.problem(pointer, "`parameters` is not a list");
            return Vec::new();
        };
        list.iter()
            .enumerate()
            .filter_map(|(i, entry)| self.param(entry, join(pointer, &i.to_string())))
            .collect()
    }

    fn param(&mut self, entry: &'a Value, at: String) -> Option<Param<'a>> {
        let (def, def_at, component) = match entry.get("$ref") {
            Some(reference) => {
                let name = self.parameter_component(reference, &at)?;
                let doc = self.doc;
                let def = &doc["parameters"][&name];
                (def, join("#/parameters", &name), Some(name))
            }
            None => (entry, at.clone(), None),
        };
        let Some(def) = def.as_object() else {
            self.problem(def_at, "a parameter is not a mapping");
            return None;
        };
        let location = def.get("in").and_then(Value::as_str);
        let name = def.get("name").and_then(Value::as_str);
        let (Some(location), Some(name)) = (location, name) else {
            self.problem(
                def_at,
                "a parameter needs `name` and `in` (query, header, path, formData or body)",
            );
            return None;
        };
        if !["query", "header", "path", "formData", "body"].contains(&location) {
            self.problem(
                join(&def_at, "in"),
                format!("`in: {location}` is not a Swagger 2.0 parameter location: write query, header, path, formData or body"),
            );
            return None;
        }
        Some(Param {
            at,
            def,
            def_at,
            component,
            location,
            name,
        })
    }

    /// `X` of `$ref: '#/parameters/X'`, when `#/parameters` has it.
    fn parameter_component(&mut self, reference: &Value, at: &str) -> Option<String> {
        let reference = reference.as_str().unwrap_or_default();
        let name = reference
            .strip_prefix("#/parameters/")
            .map(unescape_segment);
        let found = name.as_ref().filter(|n| {
            self.doc
                .get("parameters")
                .and_then(|p| p.get(n.as_str()))
                .is_some()
        });
        if found.is_none() {
            self.problem(
                join(at, "$ref"),
                format!("`$ref: {reference}` names no parameter of `#/parameters`: a parameter reference must be `#/parameters/<name>` of this document"),
            );
        }
        found.cloned()
    }

    /// Non-body, non-form parameters as a 3.0 `parameters` list at
    /// `pointer` (the same pointer in the input and the output).
    fn parameter_entries(&mut self, params: &[&Param<'a>], pointer: &str) -> Value {
        let mut out = Vec::new();
        for (j, p) in params.iter().enumerate() {
            let to = join(pointer, &j.to_string());
            self.moves.moved(&to, &p.at);
            match &p.component {
                Some(name) => out.push(json!({ "$ref": join("#/components/parameters", name) })),
                None => out.push(self.parameter(p.def, &p.def_at, &to)),
            }
        }
        Value::Array(out)
    }

    /// A query, header or path parameter in the 3.0 shape: its value's
    /// keywords in `schema`, `collectionFormat` as `style`/`explode`.
    fn parameter(&mut self, def: &Map<String, Value>, from: &str, to: &str) -> Value {
        let location = def.get("in").and_then(Value::as_str).unwrap_or_default();
        let mut out = Map::new();
        for (key, value) in def {
            match key.as_str() {
                "name" | "in" | "description" | "required" => {
                    out.insert(key.clone(), value.clone());
                }
                "allowEmptyValue" if location == "query" => {
                    out.insert(key.clone(), value.clone());
                }
                "x-example" => {
                    out.insert("example".into(), value.clone());
                    self.moves.moved(join(to, "example"), join(from, key));
                }
                k if k.starts_with("x-") && !SCHEMA_KEYWORDS.contains(&k) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        if location == "path" {
            // The only value 2.0 and 3.0 allow, and progenitor asserts it.
            out.insert("required".into(), json!(true));
        }
        let schema = self.param_schema(def, from);
        if is_array(&schema) {
            let format = collection_format(def);
            let (style, explode) = self.style(location, format, from);
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        }
        out.insert("schema".into(), Value::Object(schema));
        self.moves.moved(join(to, "schema"), from);
        Value::Object(out)
    }

    /// The value keywords of a non-body parameter or header, as a schema.
    fn param_schema(&mut self, def: &Map<String, Value>, from: &str) -> Map<String, Value> {
        let mut schema = Map::new();
        for key in SCHEMA_KEYWORDS {
            let Some(value) = def.get(key) else { continue };
            match key {
                "items" => {
                    let items = self.items(value, &join(from, key));
                    schema.insert(key.into(), items);
                }
                "x-nullable" => {
                    schema.insert("nullable".into(), value.clone());
                }
                _ => {
                    schema.insert(key.into(), value.clone());
                }
            }
        }
        binary_for_file(&mut schema);
        schema
    }

    /// An `items` object of a non-body parameter as a schema: 3.0 cannot say
    /// how a nested array is delimited.
    fn items(&mut self, items: &Value, from: &str) -> Value {
        let Some(items) = items.as_object() else {
            return items.clone();
        };
        let format = items.get("collectionFormat").and_then(Value::as_str);
        if let Some(format) = format.filter(|f| *f != "csv") {
            self.loss(
                &join(from, "collectionFormat"),
                format!("`collectionFormat: {format}` of a nested array read as csv (OpenAPI 3.0 has no delimiter for nested arrays)"),
                "send the nested array in another shape (a JSON body), or accept csv",
            );
        }
        let mut schema = self.param_schema(items, from);
        for (key, value) in items {
            if key.starts_with("x-") && key != "x-nullable" {
                schema.insert(key.clone(), value.clone());
            }
        }
        Value::Object(schema)
    }

    /// `collectionFormat` of a `location` parameter as 3.0 `style` and
    /// `explode`; one 3.0 cannot say is read as csv, a loss.
    fn style(&mut self, location: &str, format: &str, from: &str) -> (&'static str, bool) {
        let query = location == "query";
        let exact = match (query, format) {
            (true, "csv") => Some(("form", false)),
            (true, "multi") => Some(("form", true)),
            (true, "ssv") => Some(("spaceDelimited", false)),
            (true, "pipes") => Some(("pipeDelimited", false)),
            (false, "csv") => Some(("simple", false)),
            _ => None,
        };
        exact.unwrap_or_else(|| {
            self.loss(
                &join(from, "collectionFormat"),
                format!("`collectionFormat: {format}` of a {location} parameter read as csv (OpenAPI 3.0 has no such style there)"),
                "use `collectionFormat: csv` (or multi, ssv, pipes on a query parameter), or accept csv",
            );
            if query { ("form", false) } else { ("simple", false) }
        })
    }

    fn operation(&mut self, op: &'a Value, pointer: &str, shared: &[Param<'a>]) -> Value {
        let Some(op) = op.as_object() else {
            self.problem(pointer, "an operation is not a mapping");
            return json!({});
        };
        let own = self.param_list(op.get("parameters"), &join(pointer, "parameters"));
        let mut out = Map::new();
        for key in OPERATION_KEYS {
            if let Some(value) = op.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        copy_extensions(op, &mut out);
        self.operation_schemes(op, pointer);
        // 2.0: an operation's parameter overrides the path's of the same
        // name and location (one body at most, whatever its name).
        let overridden = |p: &Param<'_>| {
            own.iter()
                .any(|o| o.location == p.location && (o.name == p.name || p.location == "body"))
        };
        let inherited = shared.iter().filter(|p| p.in_body() && !overridden(p));
        let all: Vec<&Param<'_>> = own.iter().chain(inherited).collect();
        let plain: Vec<&Param<'_>> = all.iter().copied().filter(|p| !p.in_body()).collect();
        if !plain.is_empty() {
            let list = self.parameter_entries(&plain, &join(pointer, "parameters"));
            out.insert("parameters".into(), list);
        }
        let consumes = media_list(op.get("consumes")).unwrap_or_else(|| self.consumes.clone());
        if let Some(body) = self.request_body(&all, &consumes, &join(pointer, "requestBody")) {
            out.insert("requestBody".into(), body);
        }
        let produces = media_list(op.get("produces")).unwrap_or_else(|| self.produces.clone());
        let responses = self.responses(op.get("responses"), pointer, &produces);
        out.insert("responses".into(), responses);
        Value::Object(out)
    }

    /// An operation's own `schemes` cannot narrow 3.0's servers here.
    fn operation_schemes(&mut self, op: &Map<String, Value>, pointer: &str) {
        let Some(schemes) = media_list(op.get("schemes")) else {
            return;
        };
        let document = media_list(self.doc.get("schemes"));
        if document.as_ref() != Some(&schemes) {
            self.loss(
                &join(pointer, "schemes"),
                "the operation's own `schemes` dropped: it is sent to the document's servers",
                "give the document the operation's schemes, or move the operation to a document of its own",
            );
        }
    }

    /// The body or form parameters of an operation as its `requestBody`.
    fn request_body(&mut self, all: &[&Param<'a>], consumes: &[String], to: &str) -> Option<Value> {
        let bodies: Vec<&Param<'_>> = all
            .iter()
            .copied()
            .filter(|p| p.location == "body")
            .collect();
        let forms: Vec<&Param<'_>> = all
            .iter()
            .copied()
            .filter(|p| p.location == "formData")
            .collect();
        if let Some(extra) = bodies.get(1) {
            self.problem(
                extra.at.clone(),
                "an operation has one `in: body` parameter at most: keep one (its schema can be an object of several properties)",
            );
        }
        if let (Some(_), Some(form)) = (bodies.first(), forms.first()) {
            self.problem(
                form.at.clone(),
                "an operation has either an `in: body` parameter or `in: formData` ones, not both: keep one kind",
            );
        }
        if let Some(body) = bodies.first() {
            return self.body_entry(body, consumes, to);
        }
        (!forms.is_empty()).then(|| self.form_body(&forms, consumes, to))
    }

    fn body_entry(&mut self, body: &Param<'a>, consumes: &[String], to: &str) -> Option<Value> {
        match &body.component {
            Some(name) if consumes == self.consumes.as_slice() => {
                self.moves.moved(to, &body.at);
                Some(json!({ "$ref": join("#/components/requestBodies", name) }))
            }
            _ => self.body(body.def, &body.def_at, consumes, to),
        }
    }

    /// A `body` parameter as a request body, its schema under each of
    /// `consumes`.
    fn body(
        &mut self,
        def: &Map<String, Value>,
        from: &str,
        consumes: &[String],
        to: &str,
    ) -> Option<Value> {
        let Some(schema) = def.get("schema") else {
            self.problem(
                from,
                "an `in: body` parameter has no `schema`: add one (`schema: {type: object}` at the least)",
            );
            return None;
        };
        self.moves.moved(to, from);
        let schema = convert_schema(schema);
        let mut content = Map::new();
        for media in consumes {
            content.insert(media.clone(), json!({ "schema": schema }));
            let at = join(&join(&join(to, "content"), media), "schema");
            self.moves.moved(at, join(from, "schema"));
        }
        let mut out = Map::new();
        if let Some(description) = def.get("description") {
            out.insert("description".into(), description.clone());
        }
        out.insert("content".into(), Value::Object(content));
        if def.get("required") == Some(&Value::Bool(true)) {
            out.insert("required".into(), json!(true));
        }
        Some(Value::Object(out))
    }

    /// `formData` parameters as one object schema under each form media
    /// type.
    fn form_body(&mut self, forms: &[&Param<'a>], consumes: &[String], to: &str) -> Value {
        self.moves.moved(to, &forms[0].at);
        let media = form_media(forms, consumes);
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for p in forms {
            let mut property = self.param_schema(p.def, &p.def_at);
            if let Some(description) = p.def.get("description") {
                property.insert("description".into(), description.clone());
            }
            if let Some(example) = p.def.get("x-example") {
                property.insert("example".into(), example.clone());
            }
            if is_array(&property) {
                let (style, explode) = self.style("query", collection_format(p.def), &p.def_at);
                encoding.insert(p.name.into(), json!({ "style": style, "explode": explode }));
            }
            properties.insert(p.name.into(), Value::Object(property));
            if p.def.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(p.name));
            }
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        let mut content = Map::new();
        for m in &media {
            let mut entry = json!({ "schema": schema });
            // Only a urlencoded body reads `style`; multipart sends each
            // item as its own part.
            if m == URLENCODED && !encoding.is_empty() {
                entry["encoding"] = Value::Object(encoding.clone());
            }
            content.insert(m.clone(), entry);
            let schema_at = join(&join(&join(to, "content"), m), "schema");
            for p in forms {
                let at = join(&join(&schema_at, "properties"), p.name);
                self.moves.moved(at, &p.def_at);
            }
        }
        json!({ "content": content })
    }

    fn responses(&mut self, responses: Option<&Value>, op: &str, produces: &[String]) -> Value {
        let pointer = join(op, "responses");
        let Some(responses) = responses.and_then(Value::as_object) else {
            self.problem(pointer, "an operation has no `responses` mapping: add at least `default: {description: ...}`");
            return json!({});
        };
        let mut out = Map::new();
        for (code, response) in responses {
            let at = join(&pointer, code);
            let value = if code.starts_with("x-") {
                response.clone()
            } else {
                self.response(response, &at, &at, produces)
            };
            out.insert(code.clone(), value);
        }
        Value::Object(out)
    }

    /// A response: its schema under each of `produces`, its examples in the
    /// media type they name, its headers' keywords in `schema`.
    fn response(&mut self, response: &Value, from: &str, to: &str, produces: &[String]) -> Value {
        let Some(response) = response.as_object() else {
            self.problem(from, "a response is not a mapping");
            return json!({});
        };
        if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
            return json!({ "$ref": rewrite_ref(reference) });
        }
        let mut out = Map::new();
        let description = response.get("description").cloned();
        out.insert(
            "description".into(),
            description.unwrap_or_else(|| json!("")),
        );
        if let Some(headers) = response.get("headers").and_then(Value::as_object) {
            let headers = self.headers(headers, &join(from, "headers"), &join(to, "headers"));
            out.insert("headers".into(), headers);
        }
        let content = self.response_content(response, from, to, produces);
        if !content.is_empty() {
            out.insert("content".into(), Value::Object(content));
        }
        copy_extensions(response, &mut out);
        Value::Object(out)
    }

    fn response_content(
        &mut self,
        response: &Map<String, Value>,
        from: &str,
        to: &str,
        produces: &[String],
    ) -> Map<String, Value> {
        let mut content = Map::new();
        let schema = response.get("schema").map(convert_schema);
        let content_at = |media: &str| join(&join(to, "content"), media);
        let add = |this: &mut Self, content: &mut Map<String, Value>, media: &str| {
            if let Some(schema) = &schema {
                content.insert(media.into(), json!({ "schema": schema }));
                this.moves
                    .moved(join(&content_at(media), "schema"), join(from, "schema"));
            } else {
                content.insert(media.into(), json!({}));
            }
        };
        if schema.is_some() {
            for media in produces {
                add(self, &mut content, media);
            }
        }
        let examples = response.get("examples").and_then(Value::as_object);
        for (media, example) in examples.into_iter().flatten() {
            if !content.contains_key(media) {
                add(self, &mut content, media);
            }
            content[media]["example"] = example.clone();
            let from = join(&join(from, "examples"), media);
            self.moves.moved(join(&content_at(media), "example"), from);
        }
        content
    }

    fn headers(&mut self, headers: &Map<String, Value>, from: &str, to: &str) -> Value {
        let mut out = Map::new();
        for (name, header) in headers {
            let (from, to) = (join(from, name), join(to, name));
            let Some(header) = header.as_object() else {
                self.problem(from, "a header is not a mapping");
                continue;
            };
            self.moves.moved(&to, &from);
            let mut converted = Map::new();
            if let Some(description) = header.get("description") {
                converted.insert("description".into(), description.clone());
            }
            let format = collection_format(header);
            if format != "csv" {
                self.style("header", format, &from);
            }
            converted.insert(
                "schema".into(),
                Value::Object(self.param_schema(header, &from)),
            );
            self.moves.moved(join(&to, "schema"), &from);
            copy_extensions(header, &mut converted);
            out.insert(name.clone(), Value::Object(converted));
        }
        Value::Object(out)
    }

    fn components(&mut self) -> Map<String, Value> {
        let doc = self.doc;
        let mut out = Map::new();
        if let Some(definitions) = doc.get("definitions").and_then(Value::as_object) {
            let schemas: Map<String, Value> = definitions
                .iter()
                .map(|(name, schema)| (name.clone(), convert_schema(schema)))
                .collect();
            out.insert("schemas".into(), Value::Object(schemas));
            self.moves.moved("#/components/schemas", "#/definitions");
        }
        if let Some(parameters) = doc.get("parameters").and_then(Value::as_object) {
            let (parameters, bodies) = self.component_parameters(parameters);
            if !parameters.is_empty() {
                out.insert("parameters".into(), Value::Object(parameters));
            }
            if !bodies.is_empty() {
                out.insert("requestBodies".into(), Value::Object(bodies));
            }
        }
        if let Some(responses) = doc.get("responses").and_then(Value::as_object) {
            self.moves.moved("#/components/responses", "#/responses");
            let produces = self.produces.clone();
            let mut converted = Map::new();
            for (name, response) in responses {
                let (from, to) = (
                    join("#/responses", name),
                    join("#/components/responses", name),
                );
                let response = self.response(response, &from, &to, &produces);
                converted.insert(name.clone(), response);
            }
            out.insert("responses".into(), Value::Object(converted));
        }
        if let Some(schemes) = doc.get("securityDefinitions").and_then(Value::as_object) {
            self.moves
                .moved("#/components/securitySchemes", "#/securityDefinitions");
            let mut converted = Map::new();
            for (name, scheme) in schemes {
                if let Some(scheme) = self.security_scheme(scheme, name) {
                    converted.insert(name.clone(), scheme);
                }
            }
            out.insert("securitySchemes".into(), Value::Object(converted));
        }
        out
    }

    /// `#/parameters` as 3.0 parameters and request bodies; form ones are
    /// inlined where they are used.
    fn component_parameters(
        &mut self,
        parameters: &'a Map<String, Value>,
    ) -> (Map<String, Value>, Map<String, Value>) {
        let mut plain = Map::new();
        let mut bodies = Map::new();
        for (name, parameter) in parameters {
            let from = join("#/parameters", name);
            let Some(p) = self.param(parameter, from.clone()) else {
                continue;
            };
            match p.location {
                "formData" => {}
                "body" => {
                    let to = join("#/components/requestBodies", name);
                    let consumes = self.consumes.clone();
                    if let Some(body) = self.body(p.def, &from, &consumes, &to) {
                        bodies.insert(name.clone(), body);
                    }
                }
                _ => {
                    let to = join("#/components/parameters", name);
                    self.moves.moved(&to, &from);
                    plain.insert(name.clone(), self.parameter(p.def, &from, &to));
                }
            }
        }
        (plain, bodies)
    }

    /// A security definition as a 3.0 security scheme.
    fn security_scheme(&mut self, scheme: &Value, name: &str) -> Option<Value> {
        let from = join("#/securityDefinitions", name);
        let kind = scheme
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut out = match kind {
            "basic" => json!({ "type": "http", "scheme": "basic" }),
            "apiKey" => self.api_key(scheme, &from)?,
            "oauth2" => self.oauth2(scheme, &from, name)?,
            _ => {
                self.problem(
                    join(&from, "type"),
                    format!(
                        "security type `{kind}` is not Swagger 2.0's: write basic, apiKey or oauth2"
                    ),
                );
                return None;
            }
        };
        if let Some(description) = scheme.get("description") {
            out["description"] = description.clone();
        }
        if let Some(map) = scheme.as_object() {
            copy_extensions(map, out.as_object_mut()?);
        }
        Some(out)
    }

    fn api_key(&mut self, scheme: &Value, from: &str) -> Option<Value> {
        let name = scheme.get("name").and_then(Value::as_str);
        let location = scheme.get("in").and_then(Value::as_str);
        match (name, location) {
            (Some(name), Some(location @ ("query" | "header"))) => {
                Some(json!({ "type": "apiKey", "name": name, "in": location }))
            }
            _ => {
                self.problem(
                    from,
                    "an apiKey security definition needs `name` and `in` (query or header)",
                );
                None
            }
        }
    }

    fn oauth2(&mut self, scheme: &Value, from: &str, name: &str) -> Option<Value> {
        let flow = scheme
            .get("flow")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let (flow3, urls): (&str, &[&str]) = match flow {
            "implicit" => ("implicit", &["authorizationUrl"]),
            "password" => ("password", &["tokenUrl"]),
            "application" => ("clientCredentials", &["tokenUrl"]),
            "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            _ => {
                self.problem(
                    join(from, "flow"),
                    format!("oauth2 `flow: {flow}` is not Swagger 2.0's: write implicit, password, application or accessCode"),
                );
                return None;
            }
        };
        let mut converted = Map::new();
        for url in urls {
            match scheme.get(*url) {
                Some(value) => {
                    converted.insert((*url).into(), value.clone());
                }
                None => self.problem(
                    from,
                    format!("the oauth2 flow `{flow}` needs `{url}`: add it"),
                ),
            }
        }
        let scopes = scheme.get("scopes").cloned().unwrap_or_else(|| json!({}));
        converted.insert("scopes".into(), scopes);
        let to = format!(
            "{}/flows/{flow3}",
            join("#/components/securitySchemes", name)
        );
        self.moves.moved(to, from);
        Some(json!({ "type": "oauth2", "flows": { flow3: converted } }))
    }
}

impl Param<'_> {
    /// Whether 3.0 reads it in the request body.
    fn in_body(&self) -> bool {
        matches!(self.location, "body" | "formData")
    }
}

/// A list of strings (`consumes`, `produces`, `schemes`), when non-empty.
fn media_list(value: Option<&Value>) -> Option<Vec<String>> {
    let list: Vec<String> = value?
        .as_array()?
        .iter()
        .filter_map(|m| m.as_str().map(str::to_owned))
        .collect();
    (!list.is_empty()).then_some(list)
}

/// The form media types of a form body: multipart when a part is a file,
/// else the form types `consumes` lists, else urlencoded.
fn form_media(forms: &[&Param<'_>], consumes: &[String]) -> Vec<String> {
    let file = forms
        .iter()
        .any(|p| p.def.get("type").and_then(Value::as_str) == Some("file"));
    if file {
        return vec![MULTIPART.to_owned()];
    }
    let listed: Vec<String> = consumes
        .iter()
        .filter(|m| *m == URLENCODED || *m == MULTIPART)
        .cloned()
        .collect();
    if listed.is_empty() {
        vec![URLENCODED.to_owned()]
    } else {
        listed
    }
}

fn collection_format(def: &Map<String, Value>) -> &str {
    def.get("collectionFormat")
        .and_then(Value::as_str)
        .unwrap_or("csv")
}

fn is_array(schema: &Map<String, Value>) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("array")
}

/// 2.0's `type: file` is 3.0's binary string.
fn binary_for_file(schema: &mut Map<String, Value>) {
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
}

fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (key, value) in from {
        if key.starts_with("x-") {
            to.insert(key.clone(), value.clone());
        }
    }
}

/// A 2.0 reference as its 3.0 component's; other references as they are.
fn rewrite_ref(reference: &str) -> String {
    let moved = [
        ("#/definitions/", "#/components/schemas/"),
        ("#/responses/", "#/components/responses/"),
        ("#/parameters/", "#/components/parameters/"),
    ];
    for (old, new) in moved {
        if let Some(rest) = reference.strip_prefix(old) {
            return format!("{new}{rest}");
        }
    }
    reference.to_owned()
}

/// A 2.0 schema in the 3.0 shape, at any depth: `x-nullable`, `type:
/// file`, a string `discriminator`, references and their siblings.
fn convert_schema(schema: &Value) -> Value {
    let Some(map) = schema.as_object() else {
        return schema.clone();
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        let reference = json!({ "$ref": rewrite_ref(reference) });
        // 3.0 ignores a reference's siblings, as 2.0 did; a nullable
        // reference keeps its meaning through `allOf`.
        return if map.get("x-nullable") == Some(&Value::Bool(true)) {
            json!({ "allOf": [reference], "nullable": true })
        } else {
            reference
        };
    }
    let mut out = Map::new();
    for (key, value) in map {
        let converted = match key.as_str() {
            "properties" => convert_each(value),
            "items" | "additionalProperties" | "not" => convert_schema(value),
            "allOf" | "anyOf" | "oneOf" => match value.as_array() {
                Some(list) => list.iter().map(convert_schema).collect(),
                None => value.clone(),
            },
            "discriminator" => match value.as_str() {
                Some(name) => json!({ "propertyName": name }),
                None => value.clone(),
            },
            "x-nullable" => {
                out.insert("nullable".into(), value.clone());
                continue;
            }
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    binary_for_file(&mut out);
    Value::Object(out)
}

/// Each schema of a mapping of names to schemas.
fn convert_each(value: &Value) -> Value {
    match value.as_object() {
        Some(map) => Value::Object(
            map.iter()
                .map(|(name, schema)| (name.clone(), convert_schema(schema)))
                .collect(),
        ),
        None => value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::normalise;
    use crate::normalise::{Loss, LossKind, Normalised, Problem};

    /// A minimal 2.0 document with `extra`'s keys.
    fn swagger(extra: Value) -> Value {
        let mut doc = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
        });
        for (key, value) in extra.as_object().expect("an object") {
            doc[key] = value.clone();
        }
        doc
    }

    fn convert(extra: Value) -> Normalised {
        let out = normalise(swagger(extra)).expect("converts");
        crate::load::typed(&out.json).expect("openapiv3 reads the output");
        out
    }

    fn trace(out: &Normalised, pointer: &str) -> String {
        let (file, from) = out.moves.trace(pointer);
        assert_eq!(file, None, "{pointer}");
        from
    }

    #[test]
    fn servers_from_host_base_path_and_schemes() {
        let out = convert(json!({
            "host": "api.example.com", "basePath": "/v1", "schemes": ["http", "https"],
        }));
        assert_eq!(
            out.json["servers"],
            json!([{"url": "http://api.example.com/v1"}, {"url": "https://api.example.com/v1"}])
        );
        assert_eq!(trace(&out, "#/servers/1/url"), "#/host");
        assert_eq!(trace(&out, "#/servers/1"), "#/schemes/1");
        // No schemes: https is assumed.
        let out = convert(json!({"host": "api.example.com"}));
        assert_eq!(
            out.json["servers"],
            json!([{"url": "https://api.example.com"}])
        );
        // No host: the base path, relative.
        let out = convert(json!({"basePath": "/v2", "schemes": ["http"]}));
        assert_eq!(out.json["servers"], json!([{"url": "/v2"}]));
        assert_eq!(trace(&out, "#/servers/0/url"), "#/basePath");
        let out = convert(json!({}));
        assert_eq!(out.json["servers"], json!([{"url": "/"}]));
    }

    #[test]
    fn the_document_keys_are_kept_or_renamed() {
        let out = convert(json!({
            "tags": [{"name": "pets"}],
            "externalDocs": {"url": "https://example.com"},
            "security": [{"key": []}],
            "x-logo": "logo.png",
            "consumes": ["application/json"],
        }));
        assert_eq!(
            out.json,
            json!({
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1"},
                "servers": [{"url": "/"}],
                "tags": [{"name": "pets"}],
                "externalDocs": {"url": "https://example.com"},
                "security": [{"key": []}],
                "x-logo": "logo.png",
                "paths": {},
            })
        );
        assert!(out.losses.is_empty());
    }

    #[test]
    fn definitions_become_component_schemas_in_the_3_0_shape() {
        let out = convert(json!({"definitions": {
            "Pet": {
                "type": "object",
                "discriminator": "kind",
                "required": ["kind"],
                "properties": {
                    "kind": {"type": "string", "example": "dog"},
                    "owner": {"$ref": "#/definitions/Person", "description": "ignored"},
                    "vet": {"$ref": "#/definitions/Person", "x-nullable": true},
                    "photo": {"type": "file"},
                    "tags": {"type": "array", "items": {"type": "string", "x-nullable": true}},
                    "extra": {"type": "object", "additionalProperties": {"$ref": "#/definitions/Person"}},
                },
            },
            "Dog": {"allOf": [{"$ref": "#/definitions/Pet"}, {"type": "object", "x-nullable": true}]},
            "Person": {"type": "string"},
        }}));
        assert_eq!(
            out.json["components"],
            json!({"schemas": {
                "Pet": {
                    "type": "object",
                    "discriminator": {"propertyName": "kind"},
                    "required": ["kind"],
                    "properties": {
                        "kind": {"type": "string", "example": "dog"},
                        "owner": {"$ref": "#/components/schemas/Person"},
                        "vet": {"allOf": [{"$ref": "#/components/schemas/Person"}], "nullable": true},
                        "photo": {"type": "string", "format": "binary"},
                        "tags": {"type": "array", "items": {"type": "string", "nullable": true}},
                        "extra": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Person"}},
                    },
                },
                "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object", "nullable": true}]},
                "Person": {"type": "string"},
            }})
        );
        assert_eq!(
            trace(&out, "#/components/schemas/Pet/properties/kind"),
            "#/definitions/Pet/properties/kind"
        );
    }

    #[test]
    fn query_path_and_header_parameters_move_their_keywords_into_schema() {
        let out = convert(json!({"paths": {"/pets/{id}": {"get": {
            "parameters": [
                {"name": "id", "in": "path", "required": true, "type": "integer", "format": "int64", "minimum": 1},
                {"name": "tags", "in": "query", "type": "array", "items": {"type": "string", "enum": ["a", "b"]},
                 "allowEmptyValue": true, "x-example": ["a"]},
                {"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "multi"},
                {"name": "words", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "ssv"},
                {"name": "pipes", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"},
                {"name": "tabs", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"},
                {"name": "X-Ids", "in": "header", "type": "array", "items": {"type": "string"}, "x-nullable": true},
            ],
            "responses": {"204": {"description": "none"}},
        }}}}));
        let operation = &out.json["paths"]["/pets/{id}"]["get"];
        assert_eq!(
            operation["parameters"],
            json!([
                {"name": "id", "in": "path", "required": true,
                 "schema": {"type": "integer", "format": "int64", "minimum": 1}},
                {"name": "tags", "in": "query", "allowEmptyValue": true, "example": ["a"],
                 "style": "form", "explode": false,
                 "schema": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}},
                {"name": "ids", "in": "query", "style": "form", "explode": true,
                 "schema": {"type": "array", "items": {"type": "integer"}}},
                {"name": "words", "in": "query", "style": "spaceDelimited", "explode": false,
                 "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "pipes", "in": "query", "style": "pipeDelimited", "explode": false,
                 "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "tabs", "in": "query", "style": "form", "explode": false,
                 "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "X-Ids", "in": "header", "style": "simple", "explode": false,
                 "schema": {"type": "array", "items": {"type": "string"}, "nullable": true}},
            ])
        );
        assert_eq!(
            out.losses,
            vec![Loss {
                pointer: "#/paths/~1pets~1{id}/get/parameters/5/collectionFormat".into(),
                kind: LossKind::Loosened,
                what: "`collectionFormat: tsv` of a query parameter read as csv (OpenAPI 3.0 has no such style there)".into(),
                exact: "use `collectionFormat: csv` (or multi, ssv, pipes on a query parameter), or accept csv".into(),
            }]
        );
        assert_eq!(
            trace(&out, "#/paths/~1pets~1{id}/get/parameters/0/schema/minimum"),
            "#/paths/~1pets~1{id}/get/parameters/0/minimum"
        );
        assert_eq!(
            trace(
                &out,
                "#/paths/~1pets~1{id}/get/parameters/1/schema/items/enum"
            ),
            "#/paths/~1pets~1{id}/get/parameters/1/items/enum"
        );
        assert_eq!(
            trace(&out, "#/paths/~1pets~1{id}/get/parameters/1/example"),
            "#/paths/~1pets~1{id}/get/parameters/1/x-example"
        );
    }

    #[test]
    fn a_body_parameter_becomes_the_request_body_under_each_consumed_type() {
        let out = convert(json!({
            "consumes": ["application/json", "application/xml"],
            "paths": {"/pets": {"post": {
                "parameters": [
                    {"name": "dry", "in": "query", "type": "boolean"},
                    {"name": "pet", "in": "body", "required": true, "description": "the pet",
                     "schema": {"$ref": "#/definitions/Pet"}},
                ],
                "responses": {"201": {"description": "made"}},
            }}},
            "definitions": {"Pet": {"type": "object"}},
        }));
        let operation = &out.json["paths"]["/pets"]["post"];
        assert_eq!(
            operation["requestBody"],
            json!({
                "description": "the pet",
                "required": true,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
                    "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}},
                },
            })
        );
        assert_eq!(
            operation["parameters"],
            json!([{"name": "dry", "in": "query", "schema": {"type": "boolean"}}])
        );
        assert_eq!(
            trace(
                &out,
                "#/paths/~1pets/post/requestBody/content/application~1xml/schema"
            ),
            "#/paths/~1pets/post/parameters/1/schema"
        );
        assert_eq!(
            trace(&out, "#/paths/~1pets/post/requestBody/description"),
            "#/paths/~1pets/post/parameters/1/description"
        );

        // The operation's `consumes` wins over the document's.
        let out = convert(json!({
            "consumes": ["application/xml"],
            "paths": {"/a": {"put": {
                "consumes": ["text/plain"],
                "parameters": [{"name": "b", "in": "body", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            }}},
        }));
        assert_eq!(
            out.json["paths"]["/a"]["put"]["requestBody"],
            json!({"content": {"text/plain": {"schema": {"type": "string"}}}})
        );
    }

    #[test]
    fn form_parameters_become_one_object_under_the_form_type() {
        let out = convert(json!({"paths": {"/pets": {"post": {
            "parameters": [
                {"name": "name", "in": "formData", "type": "string", "required": true, "description": "its name"},
                {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}},
                {"name": "age", "in": "formData", "type": "integer", "minimum": 0},
            ],
            "responses": {"201": {"description": "made"}},
        }}}}));
        let schema = json!({
            "type": "object",
            "properties": {
                "name": {"type": "string", "description": "its name"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "age": {"type": "integer", "minimum": 0},
            },
            "required": ["name"],
        });
        let operation = &out.json["paths"]["/pets"]["post"];
        assert_eq!(
            operation["requestBody"],
            json!({"content": {"application/x-www-form-urlencoded": {
                "schema": schema,
                "encoding": {"tags": {"style": "form", "explode": false}},
            }}})
        );
        assert_eq!(operation.get("parameters"), None);
        assert_eq!(
            trace(
                &out,
                "#/paths/~1pets/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/age/minimum"
            ),
            "#/paths/~1pets/post/parameters/2/minimum"
        );

        // A file part makes it multipart; so does `consumes`.
        let out = convert(json!({"paths": {"/up": {"post": {
            "consumes": ["multipart/form-data", "application/x-www-form-urlencoded"],
            "parameters": [
                {"name": "file", "in": "formData", "type": "file", "required": true},
                {"name": "note", "in": "formData", "type": "string"},
            ],
            "responses": {"201": {"description": "made"}},
        }}}}));
        assert_eq!(
            out.json["paths"]["/up"]["post"]["requestBody"],
            json!({"content": {"multipart/form-data": {"schema": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "note": {"type": "string"},
                },
                "required": ["file"],
            }}}})
        );
        let out = convert(json!({"paths": {"/up": {"post": {
            "consumes": ["multipart/form-data"],
            "parameters": [{"name": "note", "in": "formData", "type": "string"}],
            "responses": {"201": {"description": "made"}},
        }}}}));
        assert_eq!(
            out.json["paths"]["/up"]["post"]["requestBody"]["content"],
            json!({"multipart/form-data": {"schema": {
                "type": "object", "properties": {"note": {"type": "string"}},
            }}})
        );
    }

    #[test]
    fn component_parameters_split_into_parameters_request_bodies_and_inlined_forms() {
        let out = convert(json!({
            "parameters": {
                "limit": {"name": "limit", "in": "query", "type": "integer"},
                "pet": {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/Pet"}},
                "note": {"name": "note", "in": "formData", "type": "string", "required": true},
            },
            "definitions": {"Pet": {"type": "object"}},
            "paths": {
                "/pets": {"post": {
                    "parameters": [{"$ref": "#/parameters/pet"}, {"$ref": "#/parameters/limit"}],
                    "responses": {"201": {"description": "made"}},
                }},
                "/notes": {"post": {
                    "parameters": [{"$ref": "#/parameters/note"}],
                    "responses": {"201": {"description": "made"}},
                }},
                "/xml": {"post": {
                    "consumes": ["application/xml"],
                    "parameters": [{"$ref": "#/parameters/pet"}],
                    "responses": {"201": {"description": "made"}},
                }},
            },
        }));
        assert_eq!(
            out.json["components"]["parameters"],
            json!({"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}})
        );
        assert_eq!(
            out.json["components"]["requestBodies"],
            json!({"pet": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}})
        );
        let pets = &out.json["paths"]["/pets"]["post"];
        assert_eq!(
            pets["requestBody"],
            json!({"$ref": "#/components/requestBodies/pet"})
        );
        assert_eq!(
            pets["parameters"],
            json!([{"$ref": "#/components/parameters/limit"}])
        );
        assert_eq!(
            trace(&out, "#/paths/~1pets/post/parameters/0"),
            "#/paths/~1pets/post/parameters/1"
        );
        assert_eq!(
            trace(&out, "#/paths/~1pets/post/requestBody"),
            "#/paths/~1pets/post/parameters/0"
        );
        assert_eq!(
            trace(&out, "#/components/parameters/limit/schema/type"),
            "#/parameters/limit/type"
        );
        assert_eq!(
            trace(
                &out,
                "#/components/requestBodies/pet/content/application~1json/schema"
            ),
            "#/parameters/pet/schema"
        );
        assert_eq!(
            out.json["paths"]["/notes"]["post"]["requestBody"],
            json!({"content": {"application/x-www-form-urlencoded": {"schema": {
                "type": "object", "properties": {"note": {"type": "string"}}, "required": ["note"],
            }}}})
        );
        assert_eq!(
            trace(
                &out,
                "#/paths/~1notes/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/note/type"
            ),
            "#/parameters/note/type"
        );
        // Another media type than the document's: inlined.
        assert_eq!(
            out.json["paths"]["/xml"]["post"]["requestBody"],
            json!({"content": {"application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
        );
        assert_eq!(
            trace(
                &out,
                "#/paths/~1xml/post/requestBody/content/application~1xml/schema"
            ),
            "#/parameters/pet/schema"
        );
    }

    #[test]
    fn path_parameters_stay_on_the_path_and_bodies_move_into_each_operation() {
        let out = convert(json!({"paths": {"/a/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "type": "string"},
                {"name": "body", "in": "body", "schema": {"type": "object"}},
            ],
            "put": {"responses": {"200": {"description": "ok"}}},
            "post": {
                "parameters": [{"name": "mine", "in": "body", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            },
            "x-owner": "team",
        }}}));
        let item = &out.json["paths"]["/a/{id}"];
        assert_eq!(
            item["parameters"],
            json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}])
        );
        assert_eq!(item["x-owner"], json!("team"));
        assert_eq!(
            item["put"]["requestBody"],
            json!({"content": {"application/json": {"schema": {"type": "object"}}}})
        );
        assert_eq!(
            trace(
                &out,
                "#/paths/~1a~1{id}/put/requestBody/content/application~1json/schema"
            ),
            "#/paths/~1a~1{id}/parameters/1/schema"
        );
        // The operation's own body overrides the path's.
        assert_eq!(
            item["post"]["requestBody"],
            json!({"content": {"application/json": {"schema": {"type": "string"}}}})
        );
        assert_eq!(item["put"].get("parameters"), None);
    }

    #[test]
    fn responses_carry_content_examples_and_headers() {
        let out = convert(json!({
            "produces": ["application/json"],
            "responses": {"NotFound": {"description": "gone", "schema": {"$ref": "#/definitions/Error"}}},
            "definitions": {"Error": {"type": "object"}},
            "paths": {"/f": {"get": {
                "produces": ["application/json", "text/csv"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "schema": {"type": "array", "items": {"$ref": "#/definitions/Error"}},
                        "examples": {"application/json": [{}], "text/plain": "hi"},
                        "headers": {"X-Rate": {"type": "integer", "description": "left"}},
                    },
                    "204": {"description": "none"},
                    "404": {"$ref": "#/responses/NotFound"},
                    "default": {"description": "a file", "schema": {"type": "file"}},
                },
            }}},
        }));
        let responses = &out.json["paths"]["/f"]["get"]["responses"];
        let array = json!({"type": "array", "items": {"$ref": "#/components/schemas/Error"}});
        let binary = json!({"type": "string", "format": "binary"});
        assert_eq!(
            responses,
            &json!({
                "200": {
                    "description": "ok",
                    "headers": {"X-Rate": {"description": "left", "schema": {"type": "integer"}}},
                    "content": {
                        "application/json": {"schema": array, "example": [{}]},
                        "text/csv": {"schema": array},
                        "text/plain": {"schema": array, "example": "hi"},
                    },
                },
                "204": {"description": "none"},
                "404": {"$ref": "#/components/responses/NotFound"},
                "default": {"description": "a file", "content": {
                    "application/json": {"schema": binary},
                    "text/csv": {"schema": binary},
                }},
            })
        );
        assert_eq!(
            out.json["components"]["responses"],
            json!({"NotFound": {"description": "gone", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
            }}})
        );
        assert_eq!(
            trace(
                &out,
                "#/paths/~1f/get/responses/200/content/text~1csv/schema/items"
            ),
            "#/paths/~1f/get/responses/200/schema/items"
        );
        assert_eq!(
            trace(
                &out,
                "#/paths/~1f/get/responses/200/content/application~1json/example"
            ),
            "#/paths/~1f/get/responses/200/examples/application~1json"
        );
        assert_eq!(
            trace(
                &out,
                "#/paths/~1f/get/responses/200/headers/X-Rate/schema/type"
            ),
            "#/paths/~1f/get/responses/200/headers/X-Rate/type"
        );
        assert_eq!(
            trace(
                &out,
                "#/components/responses/NotFound/content/application~1json/schema"
            ),
            "#/responses/NotFound/schema"
        );
    }

    #[test]
    fn security_definitions_become_security_schemes() {
        let out = convert(json!({"securityDefinitions": {
            "basic": {"type": "basic", "description": "user and password"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": {"r": "read"}},
            "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://t"},
            "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {}},
            "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}},
        }}));
        assert_eq!(
            out.json["components"]["securitySchemes"],
            json!({
                "basic": {"type": "http", "scheme": "basic", "description": "user and password"},
                "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
                "implicit": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a", "scopes": {"r": "read"}}}},
                "password": {"type": "oauth2", "flows": {"password": {"tokenUrl": "https://t", "scopes": {}}}},
                "app": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}}},
                "code": {"type": "oauth2", "flows": {"authorizationCode": {
                    "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {},
                }}},
            })
        );
        assert_eq!(
            trace(
                &out,
                "#/components/securitySchemes/implicit/flows/implicit/scopes/r"
            ),
            "#/securityDefinitions/implicit/scopes/r"
        );
        assert_eq!(
            trace(&out, "#/components/securitySchemes/key/name"),
            "#/securityDefinitions/key/name"
        );
    }

    #[test]
    fn what_3_0_cannot_say_is_a_loss_at_the_input_pointer() {
        let out = convert(json!({
            "schemes": ["https"],
            "paths": {"/a/{ids}": {"get": {
                "schemes": ["http"],
                "parameters": [
                    {"name": "ids", "in": "path", "required": true, "type": "array",
                     "items": {"type": "string"}, "collectionFormat": "pipes"},
                    {"name": "grid", "in": "query", "type": "array",
                     "items": {"type": "array", "items": {"type": "integer"}, "collectionFormat": "pipes"}},
                ],
                "responses": {"200": {"description": "ok", "headers": {
                    "X-List": {"type": "array", "items": {"type": "string"}, "collectionFormat": "ssv"},
                }}},
            }}},
        }));
        let losses: Vec<(&str, &str)> = out
            .losses
            .iter()
            .map(|l| (l.pointer.as_str(), l.what.as_str()))
            .collect();
        assert_eq!(
            losses,
            [
                (
                    "#/paths/~1a~1{ids}/get/schemes",
                    "the operation's own `schemes` dropped: it is sent to the document's servers"
                ),
                (
                    "#/paths/~1a~1{ids}/get/parameters/0/collectionFormat",
                    "`collectionFormat: pipes` of a path parameter read as csv (OpenAPI 3.0 has no such style there)"
                ),
                (
                    "#/paths/~1a~1{ids}/get/parameters/1/items/collectionFormat",
                    "`collectionFormat: pipes` of a nested array read as csv (OpenAPI 3.0 has no delimiter for nested arrays)"
                ),
                (
                    "#/paths/~1a~1{ids}/get/responses/200/headers/X-List/collectionFormat",
                    "`collectionFormat: ssv` of a header parameter read as csv (OpenAPI 3.0 has no such style there)"
                ),
            ]
        );
        assert!(out.losses.iter().all(|l| l.kind == LossKind::Loosened));
        let operation = &out.json["paths"]["/a/{ids}"]["get"];
        assert_eq!(operation["parameters"][0]["style"], json!("simple"));
        assert_eq!(
            operation["parameters"][1]["schema"],
            json!({"type": "array", "items": {"type": "array", "items": {"type": "integer"}}})
        );
    }

    #[test]
    fn every_problem_is_reported_at_the_input_pointer() {
        let problems = normalise(swagger(json!({
            "securityDefinitions": {"o": {"type": "oauth2", "flow": "implicit"}},
            "paths": {"/a": {"post": {
                "parameters": [
                    {"name": "b", "in": "body"},
                    {"$ref": "#/parameters/missing"},
                    {"name": "c", "in": "cookie", "type": "string"},
                ],
                "responses": {"200": {"description": "ok"}},
            }}},
        })))
        .expect_err("refused");
        assert_eq!(
            problems,
            vec![
                Problem::new(
                    "#/paths/~1a/post/parameters/1/$ref",
                    "`$ref: #/parameters/missing` names no parameter of `#/parameters`: a parameter reference must be `#/parameters/<name>` of this document"
                ),
                Problem::new(
                    "#/paths/~1a/post/parameters/2/in",
                    "`in: cookie` is not a Swagger 2.0 parameter location: write query, header, path, formData or body"
                ),
                Problem::new(
                    "#/paths/~1a/post/parameters/0",
                    "an `in: body` parameter has no `schema`: add one (`schema: {type: object}` at the least)"
                ),
                Problem::new(
                    "#/securityDefinitions/o",
                    "the oauth2 flow `implicit` needs `authorizationUrl`: add it"
                ),
            ]
        );
        assert_eq!(normalise(json!([])).expect_err("refused")[0].pointer, "#");
    }

    const CORPUS: &str = "/work/shared/specs-corpus-versions";

    /// Every Swagger 2.0 file of the corpus, normalised, read by openapiv3.
    /// (The multi-file `oai20-petstore-separate/` needs the bundler first.)
    fn corpus() -> Vec<(String, Normalised)> {
        let mut files: Vec<_> = std::fs::read_dir(CORPUS)
            .expect("the corpus is there")
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.is_file())
            .collect();
        files.sort();
        let mut out = Vec::new();
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).expect("readable");
            let Ok(document) = crate::load::Document::parse(&name, &text) else {
                continue;
            };
            if document.json.get("swagger").is_none() {
                continue;
            }
            let normalised =
                normalise(document.json).unwrap_or_else(|problems| panic!("{name}: {problems:?}"));
            if let Err(e) = crate::load::typed(&normalised.json) {
                panic!("{name}: openapiv3 refuses the output: {e:?}");
            }
            assert!(
                normalised.losses.is_empty(),
                "{name}: {:?}",
                normalised.losses
            );
            out.push((name, normalised));
        }
        out
    }

    #[test]
    fn every_swagger_2_file_of_the_corpus_converts() {
        let converted = corpus();
        let names: Vec<&str> = converted.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "oai20-api-with-examples.yaml",
                "oai20-petstore-expanded.yaml",
                "oai20-petstore.yaml",
                "oai20-uber.yaml",
                "swaggo-composition.json",
            ]
        );
    }

    /// The normalised corpus file `name`.
    fn get(name: &str) -> Normalised {
        corpus()
            .into_iter()
            .find(|(n, _)| n == name)
            .expect("in the corpus")
            .1
    }

    #[test]
    fn the_petstore_has_its_server_query_parameter_and_moves() {
        let petstore = get("oai20-petstore.yaml");
        assert_eq!(
            petstore.json["servers"],
            json!([{"url": "http://petstore.swagger.io/v1"}])
        );
        assert_eq!(
            petstore.json["paths"]["/pets"]["get"]["parameters"][0],
            json!({
                "name": "limit", "in": "query", "required": false,
                "description": "How many items to return at one time (max 100)",
                "schema": {"type": "integer", "format": "int32"},
            })
        );
        assert_eq!(
            petstore.json["paths"]["/pets"]["get"]["responses"]["200"]["headers"]["x-next"],
            json!({"description": "A link to the next page of responses", "schema": {"type": "string"}})
        );
        assert_eq!(
            petstore.json["components"]["schemas"]["Pets"]["items"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(
            petstore
                .moves
                .trace("#/components/schemas/Pet/properties/id"),
            (None, "#/definitions/Pet/properties/id".to_owned())
        );
        assert_eq!(
            petstore
                .moves
                .trace("#/paths/~1pets/get/responses/default/content/application~1json/schema"),
            (
                None,
                "#/paths/~1pets/get/responses/default/schema".to_owned()
            )
        );
    }

    #[test]
    fn the_expanded_petstore_body_became_a_request_body() {
        let expanded = get("oai20-petstore-expanded.yaml");
        assert_eq!(
            expanded.json["paths"]["/pets"]["post"]["requestBody"],
            json!({
                "description": "Pet to add to the store",
                "required": true,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}},
            })
        );
        assert_eq!(
            expanded.json["paths"]["/pets"]["post"].get("parameters"),
            None
        );
        assert_eq!(
            expanded.json["paths"]["/pets"]["get"]["parameters"][0]["style"],
            json!("form")
        );
        assert_eq!(
            expanded.json["paths"]["/pets"]["get"]["parameters"][0]["explode"],
            json!(false)
        );
        assert_eq!(
            expanded.json["components"]["schemas"]["Pet"]["allOf"][0],
            json!({"$ref": "#/components/schemas/NewPet"})
        );
        assert_eq!(
            expanded
                .moves
                .trace("#/paths/~1pets/post/requestBody/content/application~1json/schema"),
            (None, "#/paths/~1pets/post/parameters/0/schema".to_owned())
        );
    }

    #[test]
    fn uber_has_its_api_key_and_query_schemas() {
        let uber = get("oai20-uber.yaml");
        assert_eq!(
            uber.json["servers"],
            json!([{"url": "https://api.uber.com/v1"}])
        );
        assert_eq!(
            uber.json["components"]["securitySchemes"]["apikey"],
            json!({"type": "apiKey", "name": "server_token", "in": "query"})
        );
        assert_eq!(
            uber.json["paths"]["/products"]["get"]["parameters"][0]["schema"],
            json!({"type": "number", "format": "double"})
        );
        assert_eq!(
            uber.moves
                .trace("#/paths/~1products/get/parameters/1/schema/format"),
            (
                None,
                "#/paths/~1products/get/parameters/1/format".to_owned()
            )
        );
    }

    #[test]
    fn response_examples_became_media_type_examples() {
        let examples = get("oai20-api-with-examples.yaml");
        let content = &examples.json["paths"]["/"]["get"]["responses"]["200"]["content"];
        let media: Vec<&String> = content.as_object().unwrap().keys().collect();
        assert_eq!(media, ["application/json"]);
        assert!(
            content["application/json"]["example"]
                .as_str()
                .unwrap()
                .contains("\"v2.0\"")
        );
        assert_eq!(content["application/json"].get("schema"), None);
    }

    #[test]
    fn swaggo_refs_point_into_components() {
        let swaggo = get("swaggo-composition.json");
        assert_eq!(
            swaggo.json["servers"],
            json!([{"url": "https://petstore.swagger.io/v2"}])
        );
        assert_eq!(
            swaggo.json["components"]["schemas"]["api.BarMap"]["additionalProperties"],
            json!({"$ref": "#/components/schemas/api.Bar"})
        );
        assert_eq!(
            swaggo.json["paths"]["/testapi/get-bar"]["get"]["responses"]["200"]["content"],
            json!({"application/json": {"schema": {"$ref": "#/components/schemas/api.Bar"}}})
        );
    }
}
