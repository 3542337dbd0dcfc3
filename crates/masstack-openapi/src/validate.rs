//! What each OpenAPI version allows, checked on the raw tree before any
//! typed parse, so a keyword in the wrong place is reported at its own key
//! (a typed parse gives up at the start of the enclosing structure).
//!
//! Only value types and enumerated values are checked, and only of the keys
//! the walk knows: a key it does not know (a vendor's, a later version's) is
//! never a problem, because a valid document must give none.

use serde_json::{Map, Value};

use crate::diagnostic::{join, unescape_segment};
use crate::normalise::{Problem, Version};
use crate::operations::METHODS;

/// Every key of `document` whose value its version does not allow, at the
/// pointer of the key itself, in the order of the walk (a mapping's keys
/// in the tree's order).
pub fn check(document: &Value, version: Version) -> Vec<Problem> {
    let mut checker = Checker {
        version,
        problems: Vec::new(),
    };
    checker.document(document);
    checker.problems
}

/// JSON Schema's types; OpenAPI 3.0 has all but `null`.
const JSON_TYPES: [&str; 7] = [
    "string", "number", "integer", "boolean", "array", "object", "null",
];

/// Schema keywords whose value is a non-negative integer.
const COUNTS: [&str; 6] = [
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// Schema keywords whose value is a string.
const STRINGS: [&str; 4] = ["format", "pattern", "title", "description"];

/// 3.1+ (JSON Schema 2020-12) keywords whose value is one schema.
const SUBSCHEMAS_2020: [&str; 8] = [
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// The check of one kind of part (a parameter, a schema) at a pointer.
type Walk = fn(&mut Checker, &str, &Value);

/// The walk: where it is, what it found.
struct Checker {
    version: Version,
    problems: Vec<Problem>,
}

/// How a value is shown in a message: as JSON, cut short.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// Whether `value` is a non-negative integer (`3`, or `3.0` as YAML may
/// write it: JSON Schema counts a number without a fraction as an integer).
fn is_count(value: &Value) -> bool {
    value.is_u64() || value.as_f64().is_some_and(|f| f >= 0.0 && f.fract() == 0.0)
}

/// Whether `key` is a response key: `default`, or a status code (`200`);
/// OpenAPI 3 also allows a range (`2XX`).
fn is_status_key(key: &str, ranges: bool) -> bool {
    let bytes = key.as_bytes();
    if key == "default" {
        return true;
    }
    if bytes.len() != 3 {
        return false;
    }
    if !ranges {
        return bytes.iter().all(u8::is_ascii_digit);
    }
    let rest = &bytes[1..];
    (b'1'..=b'5').contains(&bytes[0]) && (rest.iter().all(u8::is_ascii_digit) || rest == b"XX")
}

/// Whether `value` is a reference object (its other keys are not read).
fn is_reference(value: &Value) -> bool {
    value.get("$ref").is_some()
}

impl Checker {
    fn report(&mut self, pointer: String, message: impl Into<String>) {
        self.problems.push(Problem::new(pointer, message));
    }

    /// Whether schemas are JSON Schema 2020-12 (3.1 and later).
    fn is_2020(&self) -> bool {
        matches!(self.version, Version::OpenApi31 | Version::OpenApi32)
    }

    fn is_swagger2(&self) -> bool {
        self.version == Version::Swagger2
    }

    /// `value` as a mapping, or a problem at `pointer` saying that `what`
    /// must be one.
    fn object<'v>(
        &mut self,
        pointer: &str,
        value: &'v Value,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        if let Some(map) = value.as_object() {
            return Some(map);
        }
        self.report(
            pointer.to_owned(),
            format!(
                "{what} must be a mapping (an object of `key: value` entries), not `{}`",
                shown(value)
            ),
        );
        None
    }

    /// Each entry of the mapping at `pointer`, checked by `each`; with
    /// `extensions`, `x-` keys are vendor extensions and skipped.
    fn entries(&mut self, pointer: &str, value: &Value, what: &str, extensions: bool, each: Walk) {
        let Some(map) = self.object(pointer, value, what) else {
            return;
        };
        for (key, item) in map {
            if !(extensions && key.starts_with("x-")) {
                each(self, &join(pointer, key), item);
            }
        }
    }

    fn boolean(&mut self, pointer: &str, value: &Value, what: &str) {
        if !value.is_boolean() {
            self.report(
                pointer.to_owned(),
                format!(
                    "{what} is `true` or `false`, not `{}`: write one of them, unquoted",
                    shown(value)
                ),
            );
        }
    }

    fn string(&mut self, pointer: &str, value: &Value, what: &str) {
        if !value.is_string() {
            self.report(
                pointer.to_owned(),
                format!("{what} is a string, not `{}`: quote it", shown(value)),
            );
        }
    }

    fn document(&mut self, document: &Value) {
        let Some(root) = self.object("#", document, "an OpenAPI document") else {
            return;
        };
        if let Some(paths) = root.get("paths") {
            self.paths("#/paths", paths);
        }
        if self.is_2020()
            && let Some(webhooks) = root.get("webhooks")
        {
            self.entries("#/webhooks", webhooks, "`webhooks`", true, Self::path_item);
        }
        if self.is_swagger2() {
            self.swagger2_components(root);
        } else if let Some(components) = root.get("components") {
            self.components("#/components", components);
        }
    }

    fn paths(&mut self, pointer: &str, value: &Value) {
        let Some(map) = self.object(pointer, value, "`paths`") else {
            return;
        };
        for (key, item) in map {
            if key.starts_with("x-") {
                continue;
            }
            let at = join(pointer, key);
            if !key.starts_with('/') {
                self.report(
                    at.clone(),
                    format!(
                        "the path `{key}` must start with `/` (write `/{key}`), or be an `x-` extension"
                    ),
                );
            }
            self.path_item(&at, item);
        }
    }

    /// A path item; its `$ref` siblings are path item fields too.
    fn path_item(&mut self, pointer: &str, value: &Value) {
        let Some(item) = self.object(pointer, value, "a path item") else {
            return;
        };
        if let Some(parameters) = item.get("parameters") {
            self.parameters(&join(pointer, "parameters"), parameters);
        }
        for (key, operation) in item {
            let is_method = METHODS.contains(&key.as_str())
                || (key == "query" && self.version == Version::OpenApi32);
            if is_method {
                self.operation(&join(pointer, key), operation);
            }
        }
        if self.version == Version::OpenApi32
            && let Some(more) = item.get("additionalOperations")
        {
            let at = join(pointer, "additionalOperations");
            self.entries(&at, more, "`additionalOperations`", false, Self::operation);
        }
    }

    fn operation(&mut self, pointer: &str, value: &Value) {
        let Some(operation) = self.object(pointer, value, "an operation") else {
            return;
        };
        if let Some(parameters) = operation.get("parameters") {
            self.parameters(&join(pointer, "parameters"), parameters);
        }
        if !self.is_swagger2() {
            if let Some(body) = operation.get("requestBody") {
                self.request_body(&join(pointer, "requestBody"), body);
            }
            if let Some(callbacks) = operation.get("callbacks") {
                let at = join(pointer, "callbacks");
                self.entries(&at, callbacks, "`callbacks`", false, Self::callback);
            }
        }
        if let Some(responses) = operation.get("responses") {
            self.responses(&join(pointer, "responses"), responses);
        }
    }

    fn callback(&mut self, pointer: &str, value: &Value) {
        if !is_reference(value) {
            self.entries(pointer, value, "a callback", true, Self::path_item);
        }
    }

    fn parameters(&mut self, pointer: &str, value: &Value) {
        let Some(list) = value.as_array() else {
            self.report(
                pointer.to_owned(),
                format!(
                    "`parameters` is a list (an array) of parameters, not `{}`: write each parameter as a `- name: ...` item",
                    shown(value)
                ),
            );
            return;
        };
        for (i, parameter) in list.iter().enumerate() {
            self.parameter(&format!("{pointer}/{i}"), parameter);
        }
    }

    fn parameter(&mut self, pointer: &str, value: &Value) {
        let Some(parameter) = self.object(pointer, value, "a parameter") else {
            return;
        };
        if is_reference(value) {
            return;
        }
        if let Some(name) = parameter.get("name") {
            self.string(&join(pointer, "name"), name, "a parameter's `name`");
        }
        if let Some(location) = parameter.get("in") {
            self.location(&join(pointer, "in"), location);
        }
        if let Some(required) = parameter.get("required") {
            self.boolean(
                &join(pointer, "required"),
                required,
                "a parameter's `required`",
            );
        }
        let has_schema =
            !self.is_swagger2() || parameter.get("in").and_then(Value::as_str) == Some("body");
        if has_schema && let Some(schema) = parameter.get("schema") {
            self.schema(&join(pointer, "schema"), schema, None);
        }
        if !self.is_swagger2()
            && let Some(content) = parameter.get("content")
        {
            self.content(&join(pointer, "content"), content);
        }
    }

    /// A parameter's `in`: the locations of the document's version.
    fn location(&mut self, pointer: &str, value: &Value) {
        let allowed: &[&str] = match self.version {
            Version::Swagger2 => &["query", "header", "path", "formData", "body"],
            Version::OpenApi30 | Version::OpenApi31 => &["query", "header", "path", "cookie"],
            Version::OpenApi32 => &["query", "querystring", "header", "path", "cookie"],
        };
        let written = value.as_str().unwrap_or_default();
        if value.is_string() && allowed.contains(&written) {
            return;
        }
        let hint = match written {
            "body" | "formData" if !self.is_swagger2() => {
                " (a body, form fields included, is the operation's `requestBody` in OpenAPI 3)"
            }
            "cookie" if self.is_swagger2() => {
                " (Swagger 2.0 has no cookie parameters: send it as a `header` named `Cookie`)"
            }
            "querystring" => " (`querystring` is OpenAPI 3.2's)",
            _ => "",
        };
        self.report(
            pointer.to_owned(),
            format!(
                "`in: {}` is not a parameter location of {}: write one of {}{hint}",
                shown(value),
                self.version.label(),
                allowed.join(", ")
            ),
        );
    }

    fn request_body(&mut self, pointer: &str, value: &Value) {
        let Some(body) = self.object(pointer, value, "`requestBody`") else {
            return;
        };
        if is_reference(value) {
            return;
        }
        if let Some(required) = body.get("required") {
            self.boolean(
                &join(pointer, "required"),
                required,
                "a request body's `required`",
            );
        }
        if let Some(content) = body.get("content") {
            self.content(&join(pointer, "content"), content);
        }
    }

    fn responses(&mut self, pointer: &str, value: &Value) {
        let Some(map) = self.object(pointer, value, "`responses`") else {
            return;
        };
        let ranges = !self.is_swagger2();
        for (key, response) in map {
            if key.starts_with("x-") {
                continue;
            }
            let at = join(pointer, key);
            if !is_status_key(key, ranges) {
                let allowed = if ranges {
                    "an HTTP status code (`200`), a range (`2XX`, upper-case X) or `default`"
                } else {
                    "an HTTP status code (`200`) or `default` (Swagger 2.0 has no ranges such as `2XX`)"
                };
                self.report(
                    at.clone(),
                    format!("the response key `{key}` must be {allowed}, or an `x-` extension"),
                );
            }
            self.response(&at, response);
        }
    }

    fn response(&mut self, pointer: &str, value: &Value) {
        let Some(response) = self.object(pointer, value, "a response") else {
            return;
        };
        if is_reference(value) {
            return;
        }
        if self.is_swagger2() {
            if let Some(schema) = response.get("schema") {
                self.schema(&join(pointer, "schema"), schema, None);
            }
            return;
        }
        if let Some(headers) = response.get("headers") {
            let at = join(pointer, "headers");
            self.entries(&at, headers, "`headers`", false, Self::header);
        }
        if let Some(content) = response.get("content") {
            self.content(&join(pointer, "content"), content);
        }
    }

    /// An OpenAPI 3 header (Swagger 2.0's are not schemas, and not walked).
    fn header(&mut self, pointer: &str, value: &Value) {
        let Some(header) = self.object(pointer, value, "a header") else {
            return;
        };
        if is_reference(value) {
            return;
        }
        if let Some(required) = header.get("required") {
            self.boolean(
                &join(pointer, "required"),
                required,
                "a header's `required`",
            );
        }
        if let Some(schema) = header.get("schema") {
            self.schema(&join(pointer, "schema"), schema, None);
        }
        if let Some(content) = header.get("content") {
            self.content(&join(pointer, "content"), content);
        }
    }

    fn content(&mut self, pointer: &str, value: &Value) {
        self.entries(pointer, value, "`content`", false, Self::media_type);
    }

    fn media_type(&mut self, pointer: &str, value: &Value) {
        let Some(media) = self.object(pointer, value, "a media type") else {
            return;
        };
        if is_reference(value) {
            return;
        }
        if let Some(schema) = media.get("schema") {
            self.schema(&join(pointer, "schema"), schema, None);
        }
        if self.version == Version::OpenApi32
            && let Some(schema) = media.get("itemSchema")
        {
            self.schema(&join(pointer, "itemSchema"), schema, None);
        }
        if let Some(encoding) = media.get("encoding") {
            let at = join(pointer, "encoding");
            self.entries(&at, encoding, "`encoding`", false, Self::encoding);
        }
    }

    fn encoding(&mut self, pointer: &str, value: &Value) {
        let Some(encoding) = self.object(pointer, value, "an encoding") else {
            return;
        };
        if let Some(headers) = encoding.get("headers") {
            let at = join(pointer, "headers");
            self.entries(&at, headers, "`headers`", false, Self::header);
        }
    }

    fn components(&mut self, pointer: &str, value: &Value) {
        let Some(components) = self.object(pointer, value, "`components`") else {
            return;
        };
        let mut kinds: Vec<(&str, Walk)> = vec![
            ("schemas", Self::named_schema),
            ("responses", Self::response),
            ("parameters", Self::parameter),
            ("requestBodies", Self::request_body),
            ("headers", Self::header),
            ("callbacks", Self::callback),
        ];
        if self.is_2020() {
            kinds.push(("pathItems", Self::path_item));
        }
        if self.version == Version::OpenApi32 {
            kinds.push(("mediaTypes", Self::media_type));
        }
        for (kind, each) in kinds {
            if let Some(map) = components.get(kind) {
                let at = join(pointer, kind);
                self.entries(&at, map, &format!("`components/{kind}`"), false, each);
            }
        }
    }

    /// Swagger 2.0's reusable parts, at the top of the document.
    fn swagger2_components(&mut self, root: &Map<String, Value>) {
        let kinds: [(&str, Walk); 3] = [
            ("definitions", Self::named_schema),
            ("parameters", Self::parameter),
            ("responses", Self::response),
        ];
        for (kind, each) in kinds {
            if let Some(map) = root.get(kind) {
                let at = join("#", kind);
                self.entries(&at, map, &format!("`{kind}`"), false, each);
            }
        }
    }

    fn named_schema(&mut self, pointer: &str, value: &Value) {
        self.schema(pointer, value, None);
    }
}

/// Schemas: the keywords whose value type each version fixes.
impl Checker {
    /// The schema at `pointer`; `property` names it when it is a property
    /// of its parent (for the hint of a misplaced `required`).
    fn schema(&mut self, pointer: &str, value: &Value, property: Option<&str>) {
        let Some(schema) = value.as_object() else {
            self.not_a_schema(pointer, value);
            return;
        };
        // Before 3.1 a `$ref`'s siblings are ignored; from 3.1 they apply.
        if is_reference(value) && !self.is_2020() {
            return;
        }
        for (key, keyword) in schema {
            self.keyword(&join(pointer, key), key, keyword, property);
        }
    }

    fn not_a_schema(&mut self, pointer: &str, value: &Value) {
        if value.is_boolean() && self.is_2020() {
            return;
        }
        let hint = if value.is_boolean() {
            format!(
                ": `true` and `false` schemas are OpenAPI 3.1's; in {} write `{{}}` for any value",
                self.version.label()
            )
        } else {
            String::new()
        };
        self.report(
            pointer.to_owned(),
            format!(
                "a schema must be a mapping (an object of keywords), not `{}`{hint}",
                shown(value)
            ),
        );
    }

    /// One keyword of a schema; keywords the version does not know are
    /// left alone.
    fn keyword(&mut self, pointer: &str, key: &str, value: &Value, property: Option<&str>) {
        let is_2020 = self.is_2020();
        let is_swagger2 = self.is_swagger2();
        match key {
            "required" => self.required(pointer, value, property),
            "type" => self.schema_type(pointer, value),
            "properties" => self.schema_map(pointer, value, true),
            "patternProperties" | "$defs" | "dependentSchemas" if is_2020 => {
                self.schema_map(pointer, value, false);
            }
            "enum" if !value.is_array() => self.report(
                pointer.to_owned(),
                format!(
                    "`enum` lists the allowed values (an array), not `{}`: write `enum: [{}]`",
                    shown(value),
                    shown(value)
                ),
            ),
            "allOf" => self.schema_list(pointer, key, value),
            "anyOf" | "oneOf" if !is_swagger2 => self.schema_list(pointer, key, value),
            "prefixItems" if is_2020 => self.schema_list(pointer, key, value),
            "not" if !is_swagger2 => self.schema(pointer, value, None),
            "items" => self.items(pointer, value),
            "additionalProperties" if !value.is_boolean() => self.schema(pointer, value, None),
            "minimum" | "maximum" | "multipleOf" if !value.is_number() => {
                self.not_a_number(pointer, key, value);
            }
            "exclusiveMinimum" | "exclusiveMaximum" => self.exclusive(pointer, key, value),
            "uniqueItems" | "readOnly" => self.boolean(pointer, value, &format!("`{key}`")),
            "writeOnly" | "deprecated" if !is_swagger2 => {
                self.boolean(pointer, value, &format!("`{key}`"));
            }
            "nullable" if self.version == Version::OpenApi30 => {
                self.boolean(pointer, value, "`nullable`");
            }
            "x-nullable" if is_swagger2 => self.boolean(pointer, value, "`x-nullable`"),
            "discriminator" => self.discriminator(pointer, value),
            "examples" if is_2020 && !value.is_array() => self.report(
                pointer.to_owned(),
                format!(
                    "`examples` in a schema is a list (an array) of example values, not `{}`: write `examples: [...]`",
                    shown(value)
                ),
            ),
            _ if COUNTS.contains(&key) || (is_2020 && matches!(key, "minContains" | "maxContains")) => {
                self.count(pointer, key, value);
            }
            _ if STRINGS.contains(&key) => self.string(pointer, value, &format!("`{key}`")),
            _ if is_2020 && SUBSCHEMAS_2020.contains(&key) => self.schema(pointer, value, None),
            _ => {}
        }
    }

    /// `required`: the names of the required properties.
    fn required(&mut self, pointer: &str, value: &Value, property: Option<&str>) {
        let Some(names) = value.as_array() else {
            let instead = match (value, property) {
                (Value::Bool(_), Some(name)) => format!(
                    "list `{name}` in the `required` array of the schema that holds `properties` (`required: [{name}]`), or remove it"
                ),
                (Value::Bool(_), None) => {
                    "move it into the parent's `required` list, or remove it".to_owned()
                }
                _ => format!("write `required: [{}]`", shown(value)),
            };
            self.report(
                pointer.to_owned(),
                format!(
                    "`required` in a schema lists the names of required properties (an array of strings), not `{}`: {instead}",
                    shown(value)
                ),
            );
            return;
        };
        for (i, name) in names.iter().enumerate() {
            if !name.is_string() {
                self.report(
                    format!("{pointer}/{i}"),
                    format!(
                        "`required` lists property names (strings), not `{}`: quote the name",
                        shown(name)
                    ),
                );
            }
        }
    }

    /// `type`: one type name before 3.1, a name or a list of names after.
    fn schema_type(&mut self, pointer: &str, value: &Value) {
        if let Value::Array(names) = value
            && (self.is_2020() || self.is_swagger2())
        {
            self.type_list(pointer, names);
            return;
        }
        let problem = match value {
            Value::String(name) => self.type_name_problem(name),
            Value::Array(_) => Some(
                "OpenAPI 3.0's `type` is one type name, not a list: write the type that is not `null`, with `nullable: true` if the list has `null`".to_owned(),
            ),
            Value::Null if self.version == Version::OpenApi30 => Some(
                "OpenAPI 3.0 has no `null` type: write the value's type with `nullable: true`".to_owned(),
            ),
            _ => Some(format!(
                "`type` is a type name, not `{}`: write one of {}",
                shown(value),
                self.type_names().join(", ")
            )),
        };
        if let Some(message) = problem {
            self.report(pointer.to_owned(), message);
        }
    }

    /// The type names of the version: JSON Schema's; 3.0 has no `null`,
    /// Swagger 2.0 adds `file`.
    fn type_names(&self) -> Vec<&'static str> {
        let mut names = JSON_TYPES.to_vec();
        match self.version {
            Version::OpenApi30 => names.retain(|n| *n != "null"),
            Version::Swagger2 => names.push("file"),
            Version::OpenApi31 | Version::OpenApi32 => {}
        }
        names
    }

    fn type_name_problem(&self, name: &str) -> Option<String> {
        let names = self.type_names();
        if names.contains(&name) {
            return None;
        }
        let hint = match name {
            "file" => ": a file is `type: string` with `format: binary` in OpenAPI 3".to_owned(),
            "null" => {
                ": OpenAPI 3.0 has no `null` type; write the value's type with `nullable: true`"
                    .to_owned()
            }
            _ => format!(": write one of {}", names.join(", ")),
        };
        Some(format!(
            "`type: {name}` is not a type of {}{hint}",
            self.version.label()
        ))
    }

    /// A list of type names (JSON Schema's; Swagger 2.0 inherits it from
    /// draft 4): each a name, at least one, none twice.
    fn type_list(&mut self, pointer: &str, names: &[Value]) {
        if names.is_empty() {
            self.report(
                pointer.to_owned(),
                "`type` lists at least one type name: write the types, or remove `type` for any value",
            );
        }
        for (i, name) in names.iter().enumerate() {
            let problem = match name.as_str() {
                Some(text) if names[..i].contains(name) => Some(format!(
                    "`{text}` is already in this `type` list: remove it"
                )),
                Some(text) => self.type_name_problem(text),
                None => Some(format!(
                    "a type name is a string, not `{}`: quote it",
                    shown(name)
                )),
            };
            if let Some(message) = problem {
                self.report(format!("{pointer}/{i}"), message);
            }
        }
    }

    /// A mapping of schemas (`properties`, `$defs`...), each checked.
    fn schema_map(&mut self, pointer: &str, value: &Value, properties: bool) {
        let what = format!(
            "`{}`",
            unescape_segment(pointer.rsplit('/').next().unwrap_or_default())
        );
        let Some(map) = self.object(pointer, value, &what) else {
            return;
        };
        for (name, schema) in map {
            let property = properties.then_some(name.as_str());
            self.schema(&join(pointer, name), schema, property);
        }
    }

    /// `allOf`, `anyOf`, `oneOf`, `prefixItems`: a non-empty list of schemas.
    fn schema_list(&mut self, pointer: &str, key: &str, value: &Value) {
        match value.as_array() {
            Some(list) if !list.is_empty() => {
                for (i, schema) in list.iter().enumerate() {
                    self.schema(&format!("{pointer}/{i}"), schema, None);
                }
            }
            Some(_) => self.report(
                pointer.to_owned(),
                format!("`{key}` lists at least one schema: add them, or remove `{key}`"),
            ),
            None => self.report(
                pointer.to_owned(),
                format!(
                    "`{key}` is a list (an array) of schemas, not `{}`: write each schema as a `- ...` item",
                    shown(value)
                ),
            ),
        }
    }

    /// `items`: one schema; a list (a tuple) is draft 4's, which Swagger
    /// 2.0 inherits, and `prefixItems` from 3.1.
    fn items(&mut self, pointer: &str, value: &Value) {
        if !value.is_array() {
            self.schema(pointer, value, None);
            return;
        }
        if self.is_swagger2() {
            self.schema_list(pointer, "items", value);
            return;
        }
        let instead = if self.is_2020() {
            "a list of item schemas (a tuple) is `prefixItems` from OpenAPI 3.1: rename `items` to `prefixItems`"
        } else {
            "OpenAPI 3.0 has no tuples: write one schema, e.g. `oneOf` the item schemas"
        };
        self.report(
            pointer.to_owned(),
            format!("`items` is one schema, not a list: {instead}"),
        );
    }

    fn not_a_number(&mut self, pointer: &str, key: &str, value: &Value) {
        self.report(
            pointer.to_owned(),
            format!(
                "`{key}` is a number, not `{}`: write the number unquoted",
                shown(value)
            ),
        );
    }

    /// `exclusiveMinimum`/`exclusiveMaximum`: a flag on `minimum` before
    /// 3.1, the bound itself from 3.1.
    fn exclusive(&mut self, pointer: &str, key: &str, value: &Value) {
        let bound = if key == "exclusiveMinimum" {
            "minimum"
        } else {
            "maximum"
        };
        let label = self.version.label();
        if self.is_2020() {
            if value.is_number() {
                return;
            }
            let instead = if value.is_boolean() {
                format!(
                    "write `{key}: <the {bound}>` in place of `{bound}`, or remove it (`true` and `false` are OpenAPI 3.0's)"
                )
            } else {
                "write the number unquoted".to_owned()
            };
            self.report(
                pointer.to_owned(),
                format!(
                    "in {label} `{key}` is the bound itself (a number), not `{}`: {instead}",
                    shown(value)
                ),
            );
        } else if !value.is_boolean() {
            let instead = if value.is_number() {
                format!(
                    "write `{bound}: {value}` and `{key}: true` (a number here is OpenAPI 3.1's)"
                )
            } else {
                "write `true` or `false`, unquoted".to_owned()
            };
            self.report(
                pointer.to_owned(),
                format!("in {label} `{key}` is `true` or `false` and makes `{bound}` exclusive, not `{}`: {instead}", shown(value)),
            );
        }
    }

    fn count(&mut self, pointer: &str, key: &str, value: &Value) {
        if !is_count(value) {
            self.report(
                pointer.to_owned(),
                format!(
                    "`{key}` is a non-negative integer, not `{}`: write a whole number from 0, unquoted",
                    shown(value)
                ),
            );
        }
    }

    /// `discriminator`: a property name (Swagger 2.0), or an object whose
    /// `propertyName` is one (OpenAPI 3).
    fn discriminator(&mut self, pointer: &str, value: &Value) {
        if self.is_swagger2() {
            self.string(
                pointer,
                value,
                "Swagger 2.0's `discriminator` (the name of the property)",
            );
            return;
        }
        let Some(discriminator) = self.object(pointer, value, "`discriminator`") else {
            return;
        };
        match discriminator.get("propertyName") {
            Some(name) => {
                self.string(&join(pointer, "propertyName"), name, "`propertyName`");
            }
            None => self.report(
                pointer.to_owned(),
                "a discriminator names the property that tells the schemas apart: add `propertyName: <the property>`",
            ),
        }
        if let Some(mapping) = discriminator.get("mapping") {
            let at = join(pointer, "mapping");
            if let Some(map) = self.object(&at, mapping, "`mapping`") {
                for (name, target) in map {
                    self.string(
                        &join(&at, name),
                        target,
                        "a `mapping` entry (a schema name or `$ref`)",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use serde_json::{Value, json};

    use super::check;
    use crate::diagnostic::Location;
    use crate::load::Document;
    use crate::normalise::{Problem, Version};

    /// The shared corpora (`/work/shared` next to the checkout), found
    /// from this crate upwards.
    fn shared() -> Option<PathBuf> {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|a| a.join("shared"))
            .find(|s| s.join("specs-corpus").is_dir())
    }

    /// The problems of one corpus file, with the version it declares.
    fn problems_of(path: &Path) -> (Version, Vec<Problem>) {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.to_string_lossy();
        let document = Document::parse(&name, &text).unwrap();
        let version = Version::of(&document.json).unwrap();
        (version, check(&document.json, version))
    }

    const FIXTURE: &str = include_str!("../tests/fixtures/validate/required-true.yaml");

    /// Spotify's kind of mistake: a property of a request body's schema
    /// says `required: true`. The check names the key itself, line 328
    /// column 19 of the file (counted by hand); the typed parse alone
    /// names another place.
    #[test]
    fn required_true_is_reported_at_its_key() {
        let name = "tests/fixtures/validate/required-true.yaml";
        let document = Document::parse(name, FIXTURE).unwrap();
        assert_eq!(Version::of(&document.json), Ok(Version::OpenApi30));
        let pointer = "#/paths/~1playlists~1{playlist_id}~1tracks/post/requestBody/content/application~1json/schema/properties/position/required";
        assert_eq!(
            check(&document.json, Version::OpenApi30),
            [Problem::new(
                pointer,
                "`required` in a schema lists the names of required properties (an array of strings), not `true`: list `position` in the `required` array of the schema that holds `properties` (`required: [position]`), or remove it"
            )]
        );
        assert_eq!(document.position(pointer), Some((328, 19)));

        // The typed parse alone gives up at the first path, where serde
        // tried the untagged `ReferenceOr` variants in turn (Spotify's
        // `36:3`).
        let typed = serde_yaml::from_str::<openapiv3::OpenAPI>(FIXTURE).unwrap_err();
        let at = typed.location().unwrap();
        assert_eq!((at.line(), at.column()), (34, 3));
        assert_eq!(document.position("#/paths/~1artists"), Some((34, 3)));
        assert!(
            typed
                .to_string()
                .starts_with("paths: invalid type: boolean `true`, expected a sequence"),
            "{typed}"
        );

        // Loading the spec checks first: the refusal names the key.
        let refused = crate::load::parse(name, FIXTURE).unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!(
            refused[0].location,
            Location::Key {
                line: 328,
                column: 19,
                pointer: pointer.to_owned()
            }
        );
        assert_eq!(
            refused[0].to_string(),
            format!(
                "{name}:328:19 ({pointer}): {}",
                check(&document.json, Version::OpenApi30)[0].message
            )
        );
    }

    /// The problems of `document`, as (pointer, message), by pointer.
    fn problems(document: &Value, version: Version) -> Vec<(String, String)> {
        let mut found: Vec<_> = check(document, version)
            .into_iter()
            .map(|p| (p.pointer, p.message))
            .collect();
        found.sort();
        found
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut pairs: Vec<_> = expected
            .iter()
            .map(|(p, m)| ((*p).to_owned(), (*m).to_owned()))
            .collect();
        pairs.sort();
        pairs
    }

    /// A 3.x document with `schema` as `components/schemas/S`.
    fn with_schema(openapi: &str, schema: Value) -> Value {
        json!({
            "openapi": openapi,
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"S": schema}},
        })
    }

    #[test]
    fn openapi_30_schema_keywords_of_the_wrong_type() {
        let schema = json!({
            "type": "object",
            "required": "id",
            "x-anything": {"required": true},
            "discriminator": {"mapping": {"a": 1}},
            "properties": {
                "id": {"type": ["string", "null"], "exclusiveMinimum": 3, "minLength": -1},
                "tags": {"type": "array", "items": true, "uniqueItems": "yes"},
                "kind": {"type": "null", "enum": "a", "nullable": "true"},
                "file": {"type": "file", "format": 5, "maximum": "10"},
                "both": {"allOf": [], "oneOf": [{"required": [1]}]},
                "map": {"additionalProperties": {"required": false}},
                "num": {"type": 5, "additionalProperties": true},
                "ref": {"$ref": "#/components/schemas/S", "required": true},
            },
        });
        let p = "#/components/schemas/S";
        let expected = [
            (
                format!("{p}/required"),
                "`required` in a schema lists the names of required properties (an array of strings), not `\"id\"`: write `required: [\"id\"]`",
            ),
            (
                format!("{p}/discriminator"),
                "a discriminator names the property that tells the schemas apart: add `propertyName: <the property>`",
            ),
            (
                format!("{p}/discriminator/mapping/a"),
                "a `mapping` entry (a schema name or `$ref`) is a string, not `1`: quote it",
            ),
            (
                format!("{p}/properties/id/type"),
                "OpenAPI 3.0's `type` is one type name, not a list: write the type that is not `null`, with `nullable: true` if the list has `null`",
            ),
            (
                format!("{p}/properties/id/exclusiveMinimum"),
                "in OpenAPI 3.0 `exclusiveMinimum` is `true` or `false` and makes `minimum` exclusive, not `3`: write `minimum: 3` and `exclusiveMinimum: true` (a number here is OpenAPI 3.1's)",
            ),
            (
                format!("{p}/properties/id/minLength"),
                "`minLength` is a non-negative integer, not `-1`: write a whole number from 0, unquoted",
            ),
            (
                format!("{p}/properties/tags/items"),
                "a schema must be a mapping (an object of keywords), not `true`: `true` and `false` schemas are OpenAPI 3.1's; in OpenAPI 3.0 write `{}` for any value",
            ),
            (
                format!("{p}/properties/tags/uniqueItems"),
                "`uniqueItems` is `true` or `false`, not `\"yes\"`: write one of them, unquoted",
            ),
            (
                format!("{p}/properties/kind/type"),
                "`type: null` is not a type of OpenAPI 3.0: OpenAPI 3.0 has no `null` type; write the value's type with `nullable: true`",
            ),
            (
                format!("{p}/properties/kind/enum"),
                "`enum` lists the allowed values (an array), not `\"a\"`: write `enum: [\"a\"]`",
            ),
            (
                format!("{p}/properties/kind/nullable"),
                "`nullable` is `true` or `false`, not `\"true\"`: write one of them, unquoted",
            ),
            (
                format!("{p}/properties/file/type"),
                "`type: file` is not a type of OpenAPI 3.0: a file is `type: string` with `format: binary` in OpenAPI 3",
            ),
            (
                format!("{p}/properties/file/format"),
                "`format` is a string, not `5`: quote it",
            ),
            (
                format!("{p}/properties/file/maximum"),
                "`maximum` is a number, not `\"10\"`: write the number unquoted",
            ),
            (
                format!("{p}/properties/both/allOf"),
                "`allOf` lists at least one schema: add them, or remove `allOf`",
            ),
            (
                format!("{p}/properties/both/oneOf/0/required/0"),
                "`required` lists property names (strings), not `1`: quote the name",
            ),
            (
                format!("{p}/properties/num/type"),
                "`type` is a type name, not `5`: write one of string, number, integer, boolean, array, object",
            ),
            (
                format!("{p}/properties/map/additionalProperties/required"),
                "`required` in a schema lists the names of required properties (an array of strings), not `false`: move it into the parent's `required` list, or remove it",
            ),
        ];
        let expected: Vec<(&str, &str)> = expected.iter().map(|(p, m)| (p.as_str(), *m)).collect();
        // A 3.0 `$ref`'s siblings are ignored, and so is a vendor key.
        assert_eq!(
            problems(&with_schema("3.0.3", schema), Version::OpenApi30),
            pairs(&expected)
        );
    }

    /// What 3.0 refuses, 3.1 (JSON Schema 2020-12) allows, and the reverse.
    #[test]
    fn openapi_31_schemas_are_json_schema_2020() {
        let valid = json!({
            "type": ["string", "null"],
            "exclusiveMinimum": 3,
            "const": "a",
            "examples": ["a"],
            "nullable": "ignored: not a 3.1 keyword",
            "$defs": {"Any": true, "None": false},
            "properties": {
                "t": {"prefixItems": [{"type": "integer"}, true], "items": false},
                "m": {"patternProperties": {"^x": {"minimum": 1.5}}, "unevaluatedProperties": false},
                "c": {"if": {"required": ["a"]}, "then": true, "else": {"minContains": 2}},
            },
        });
        for version in [Version::OpenApi31, Version::OpenApi32] {
            assert_eq!(problems(&with_schema("3.1.0", valid.clone()), version), []);
        }
        let invalid = json!({
            "type": ["string", "string"],
            "exclusiveMaximum": true,
            "examples": {"a": 1},
            "$defs": [],
            "properties": {
                "r": {"$ref": "#/$defs/A", "required": true},
                "t": {"items": [{"type": "integer"}]},
                "p": {"prefixItems": [{"minimum": "1"}]},
                "f": {"type": "file"},
                "e": {"type": []},
                "i": {"if": 5},
                "n": {"type": ["integer", 1]},
            },
        });
        let p = "#/components/schemas/S";
        let expected = [
            (
                format!("{p}/type/1"),
                "`string` is already in this `type` list: remove it",
            ),
            (
                format!("{p}/exclusiveMaximum"),
                "in OpenAPI 3.1 `exclusiveMaximum` is the bound itself (a number), not `true`: write `exclusiveMaximum: <the maximum>` in place of `maximum`, or remove it (`true` and `false` are OpenAPI 3.0's)",
            ),
            (
                format!("{p}/examples"),
                "`examples` in a schema is a list (an array) of example values, not `{\"a\":1}`: write `examples: [...]`",
            ),
            (
                format!("{p}/$defs"),
                "`$defs` must be a mapping (an object of `key: value` entries), not `[]`",
            ),
            (
                format!("{p}/properties/r/required"),
                "`required` in a schema lists the names of required properties (an array of strings), not `true`: list `r` in the `required` array of the schema that holds `properties` (`required: [r]`), or remove it",
            ),
            (
                format!("{p}/properties/t/items"),
                "`items` is one schema, not a list: a list of item schemas (a tuple) is `prefixItems` from OpenAPI 3.1: rename `items` to `prefixItems`",
            ),
            (
                format!("{p}/properties/p/prefixItems/0/minimum"),
                "`minimum` is a number, not `\"1\"`: write the number unquoted",
            ),
            (
                format!("{p}/properties/f/type"),
                "`type: file` is not a type of OpenAPI 3.1: a file is `type: string` with `format: binary` in OpenAPI 3",
            ),
            (
                format!("{p}/properties/e/type"),
                "`type` lists at least one type name: write the types, or remove `type` for any value",
            ),
            (
                format!("{p}/properties/n/type/1"),
                "a type name is a string, not `1`: quote it",
            ),
            (
                format!("{p}/properties/i/if"),
                "a schema must be a mapping (an object of keywords), not `5`",
            ),
        ];
        let expected: Vec<(&str, &str)> = expected.iter().map(|(p, m)| (p.as_str(), *m)).collect();
        assert_eq!(
            problems(&with_schema("3.1.0", invalid), Version::OpenApi31),
            pairs(&expected)
        );
    }

    #[test]
    fn swagger_2_schemas_parameters_and_responses() {
        let document = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/pets": {"post": {
                "parameters": [
                    {"name": "pet", "in": "body", "schema": {"type": "object", "required": true}},
                    {"name": "file", "in": "formData", "type": "file", "required": "yes"},
                    {"name": "session", "in": "cookie", "type": "string"},
                    {"name": "q", "in": "query", "type": "string", "schema": {"required": true}},
                ],
                "responses": {
                    "200": {"description": "ok", "schema": {"type": "file"}},
                    "2XX": {"description": "ok", "schema": {"x-nullable": "true"}},
                },
            }}},
            "definitions": {
                "Pet": {"discriminator": "kind", "type": ["object", "null"], "exclusiveMinimum": true,
                         "items": [{"type": "string"}, {"readOnly": 1}]},
                "Cat": {"discriminator": {"propertyName": "kind"}},
            },
        });
        let post = "#/paths/~1pets/post";
        let expected = [
            (
                format!("{post}/parameters/0/schema/required"),
                "`required` in a schema lists the names of required properties (an array of strings), not `true`: move it into the parent's `required` list, or remove it",
            ),
            (
                format!("{post}/parameters/1/required"),
                "a parameter's `required` is `true` or `false`, not `\"yes\"`: write one of them, unquoted",
            ),
            (
                format!("{post}/parameters/2/in"),
                "`in: \"cookie\"` is not a parameter location of Swagger 2.0: write one of query, header, path, formData, body (Swagger 2.0 has no cookie parameters: send it as a `header` named `Cookie`)",
            ),
            (
                format!("{post}/responses/2XX"),
                "the response key `2XX` must be an HTTP status code (`200`) or `default` (Swagger 2.0 has no ranges such as `2XX`), or an `x-` extension",
            ),
            (
                format!("{post}/responses/2XX/schema/x-nullable"),
                "`x-nullable` is `true` or `false`, not `\"true\"`: write one of them, unquoted",
            ),
            (
                "#/definitions/Pet/items/1/readOnly".to_owned(),
                "`readOnly` is `true` or `false`, not `1`: write one of them, unquoted",
            ),
            (
                "#/definitions/Cat/discriminator".to_owned(),
                "Swagger 2.0's `discriminator` (the name of the property) is a string, not `{\"propertyName\":\"kind\"}`: quote it",
            ),
        ];
        let expected: Vec<(&str, &str)> = expected.iter().map(|(p, m)| (p.as_str(), *m)).collect();
        // A non-body parameter's `schema` is not Swagger 2.0's: not walked.
        assert_eq!(problems(&document, Version::Swagger2), pairs(&expected));
    }

    #[test]
    fn openapi_3_structure() {
        let document = json!({
            "openapi": "3.2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "pets": {"get": {"responses": {"200": {"description": "ok"}}}},
                "x-internal": "anything",
                "/pets/{id}": {
                    "parameters": {"name": "id", "in": "path"},
                    "query": {
                        "parameters": [
                            {"name": "q", "in": "querystring", "content": {"application/json": {"schema": {"minItems": "2"}}}},
                            {"name": 5, "in": "body", "required": true},
                            {"$ref": "#/components/parameters/Whatever"},
                        ],
                        "requestBody": [],
                        "responses": {"2xx": {"description": "ok"}, "4XX": {"description": "no"}, "x-note": 1},
                    },
                    "additionalOperations": {"LINK": {"responses": {"default": {
                        "description": "ok",
                        "headers": {"Link": {"required": "no", "schema": {"type": "link"}}},
                    }}}},
                },
            },
            "webhooks": {"added": {"post": {"requestBody": {"required": 1}}}},
            "components": {
                "parameters": {"Bad": {"name": "b", "in": "formData"}},
                "pathItems": {"P": {"get": {"parameters": [{"name": "c", "in": "cookie", "required": "true"}]}}},
            },
        });
        let item = "#/paths/~1pets~1{id}";
        let expected = [
            (
                "#/paths/pets".to_owned(),
                "the path `pets` must start with `/` (write `/pets`), or be an `x-` extension",
            ),
            (
                format!("{item}/parameters"),
                "`parameters` is a list (an array) of parameters, not `{\"in\":\"path\",\"name\":\"id\"}`: write each parameter as a `- name: ...` item",
            ),
            (
                format!("{item}/query/parameters/0/content/application~1json/schema/minItems"),
                "`minItems` is a non-negative integer, not `\"2\"`: write a whole number from 0, unquoted",
            ),
            (
                format!("{item}/query/parameters/1/name"),
                "a parameter's `name` is a string, not `5`: quote it",
            ),
            (
                format!("{item}/query/parameters/1/in"),
                "`in: \"body\"` is not a parameter location of OpenAPI 3.2: write one of query, querystring, header, path, cookie (a body, form fields included, is the operation's `requestBody` in OpenAPI 3)",
            ),
            (
                format!("{item}/query/requestBody"),
                "`requestBody` must be a mapping (an object of `key: value` entries), not `[]`",
            ),
            (
                format!("{item}/query/responses/2xx"),
                "the response key `2xx` must be an HTTP status code (`200`), a range (`2XX`, upper-case X) or `default`, or an `x-` extension",
            ),
            (
                format!("{item}/additionalOperations/LINK/responses/default/headers/Link/required"),
                "a header's `required` is `true` or `false`, not `\"no\"`: write one of them, unquoted",
            ),
            (
                format!(
                    "{item}/additionalOperations/LINK/responses/default/headers/Link/schema/type"
                ),
                "`type: link` is not a type of OpenAPI 3.2: write one of string, number, integer, boolean, array, object, null",
            ),
            (
                "#/webhooks/added/post/requestBody/required".to_owned(),
                "a request body's `required` is `true` or `false`, not `1`: write one of them, unquoted",
            ),
            (
                "#/components/parameters/Bad/in".to_owned(),
                "`in: \"formData\"` is not a parameter location of OpenAPI 3.2: write one of query, querystring, header, path, cookie (a body, form fields included, is the operation's `requestBody` in OpenAPI 3)",
            ),
            (
                "#/components/pathItems/P/get/parameters/0/required".to_owned(),
                "a parameter's `required` is `true` or `false`, not `\"true\"`: write one of them, unquoted",
            ),
        ];
        let expected: Vec<(&str, &str)> = expected.iter().map(|(p, m)| (p.as_str(), *m)).collect();
        assert_eq!(problems(&document, Version::OpenApi32), pairs(&expected));
    }

    /// 3.2's additions are refused in 3.1, where `query` is no method
    /// (so not walked) and `querystring` no location.
    #[test]
    fn openapi_32_additions_are_not_31s() {
        let document = json!({"paths": {"/a": {
            "query": {"parameters": [{"name": "x", "in": "nowhere"}]},
            "get": {"parameters": [{"name": "q", "in": "querystring"}]},
        }}});
        assert_eq!(
            problems(&document, Version::OpenApi31),
            pairs(&[(
                "#/paths/~1a/get/parameters/0/in",
                "`in: \"querystring\"` is not a parameter location of OpenAPI 3.1: write one of query, header, path, cookie (`querystring` is OpenAPI 3.2's)"
            )])
        );
    }

    /// Bad input is reported, never a panic: a document that is not a
    /// mapping, parts of the wrong kind.
    #[test]
    fn wrong_kinds_of_parts() {
        assert_eq!(
            problems(&json!([1]), Version::OpenApi30),
            pairs(&[(
                "#",
                "an OpenAPI document must be a mapping (an object of `key: value` entries), not `[1]`"
            )])
        );
        let document = json!({"paths": {"/a": {"get": {"responses": []}, "put": 3}}, "components": {"schemas": {"S": "string"}}});
        assert_eq!(
            problems(&document, Version::OpenApi30),
            pairs(&[
                (
                    "#/paths/~1a/get/responses",
                    "`responses` must be a mapping (an object of `key: value` entries), not `[]`"
                ),
                (
                    "#/paths/~1a/put",
                    "an operation must be a mapping (an object of `key: value` entries), not `3`"
                ),
                (
                    "#/components/schemas/S",
                    "a schema must be a mapping (an object of keywords), not `\"string\"`"
                ),
            ])
        );
        // A long value is cut short in the message.
        let long = "x".repeat(100);
        assert_eq!(
            problems(
                &json!({"paths": {"/a": {"get": {"parameters": [{"name": "n", "in": long}]}}}}),
                Version::OpenApi30
            )[0]
            .1,
            format!(
                "`in: \"{}…` is not a parameter location of OpenAPI 3.0: write one of query, header, path, cookie",
                "x".repeat(39)
            )
        );
    }

    /// The pointers of the inline schemas of `document` a probe marks:
    /// named ones (`components/schemas`, `definitions`), and those of the
    /// operations' request bodies and responses; `$ref`s are left out.
    fn probe_targets(document: &Value) -> Vec<String> {
        let mut targets = Vec::new();
        let mut add = |pointer: String| {
            let node = document.pointer(&pointer[1..]);
            if node.is_some_and(|n| n.is_object() && n.get("$ref").is_none()) {
                targets.push(pointer);
            }
        };
        for named in ["/components/schemas", "/definitions"] {
            for name in document
                .pointer(named)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|m| m.0)
            {
                add(format!(
                    "#{named}/{}",
                    crate::diagnostic::escape_segment(name)
                ));
            }
        }
        let paths = document
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten();
        for (path, item) in paths.filter(|(p, _)| p.starts_with('/')) {
            let item_at = format!("#/paths/{}", crate::diagnostic::escape_segment(path));
            for method in crate::operations::METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let at = format!("{item_at}/{method}");
                let bodies = operation
                    .pointer("/requestBody/content")
                    .and_then(Value::as_object);
                for media in bodies.into_iter().flatten().map(|m| m.0) {
                    add(format!(
                        "{at}/requestBody/content/{}/schema",
                        crate::diagnostic::escape_segment(media)
                    ));
                }
                let responses = operation.get("responses").and_then(Value::as_object);
                for (status, response) in responses.into_iter().flatten() {
                    let at = format!("{at}/responses/{status}");
                    add(format!("{at}/schema"));
                    let content = response.get("content").and_then(Value::as_object);
                    for media in content.into_iter().flatten().map(|m| m.0) {
                        add(format!(
                            "{at}/content/{}/schema",
                            crate::diagnostic::escape_segment(media)
                        ));
                    }
                }
            }
        }
        targets
    }

    /// The walk reaches the schemas of real documents: a wrong value put
    /// into each of them is reported there, and nothing else is.
    #[test]
    fn the_corpora_with_a_probe_in_every_schema() {
        let Some(shared) = shared() else {
            assert!(std::env::var_os("MASSTACK_REQUIRE_SHARED").is_none());
            println!("skipped: no shared/specs-corpus above this crate");
            return;
        };
        let mut probed = 0;
        for dir in ["specs-corpus", "specs-corpus-versions"] {
            for entry in std::fs::read_dir(shared.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let name = path.to_string_lossy().into_owned();
                if !(name.ends_with(".yaml") || name.ends_with(".json")) {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let mut document = Document::parse(&name, &text).unwrap().json;
                let version = Version::of(&document).unwrap();
                let targets = probe_targets(&document);
                for target in &targets {
                    document.pointer_mut(&target[1..]).unwrap()["minLength"] = json!("probe");
                }
                let mut expected: Vec<String> =
                    targets.iter().map(|t| format!("{t}/minLength")).collect();
                expected.sort();
                let mut found: Vec<String> = check(&document, version)
                    .into_iter()
                    .map(|p| p.pointer)
                    .collect();
                found.sort();
                assert_eq!(found, expected, "{name}");
                probed += targets.len();
            }
        }
        assert!(probed > 300, "{probed} schemas probed");
    }

    #[test]
    fn the_corpora_give_no_problem() {
        let Some(shared) = shared() else {
            assert!(
                std::env::var_os("MASSTACK_REQUIRE_SHARED").is_none(),
                "no shared/specs-corpus above {}",
                env!("CARGO_MANIFEST_DIR")
            );
            println!("skipped: no shared/specs-corpus above this crate");
            return;
        };
        let mut files = Vec::new();
        for dir in ["specs-corpus", "specs-corpus-versions"] {
            for entry in std::fs::read_dir(shared.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let name = path.to_string_lossy().into_owned();
                if name.ends_with(".yaml") || name.ends_with(".json") {
                    files.push(path);
                }
            }
        }
        files.push(shared.join("specs-corpus-versions/oai20-petstore-separate/spec/swagger.yaml"));
        files.sort();
        let mut versions = Vec::new();
        for path in &files {
            let (version, problems) = problems_of(path);
            assert_eq!(problems, [], "{}", path.display());
            versions.push(version);
        }
        // Every version was read: the walk was tried on each.
        versions.sort();
        versions.dedup();
        assert_eq!(
            versions,
            [
                Version::Swagger2,
                Version::OpenApi30,
                Version::OpenApi31,
                Version::OpenApi32
            ]
        );
        assert_eq!(files.len(), 12 + 10 + 1);
    }
}
