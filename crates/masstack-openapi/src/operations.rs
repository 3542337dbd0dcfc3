//! The operations of a spec and what applies to each: its parameters,
//! request bodies and responses, with `$ref`s followed.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diagnostic::{Location, join};
use crate::refs::resolve;

/// The HTTP methods a path item may hold, in OpenAPI's order. Its other
/// keys (`parameters`, `summary`, `servers`, `x-...`) are not operations.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation and where it sits.
#[derive(Debug, Clone)]
pub struct OperationRef<'a> {
    /// The path template (`/v2/orgs/{org}/ticket`).
    pub path: &'a str,
    /// The method, lower case as in the spec.
    pub method: &'a str,
    /// The operation's JSON pointer.
    pub pointer: String,
    /// The operation object.
    pub operation: &'a Value,
    /// The path item holding it (for shared parameters).
    pub path_item: &'a Value,
}

impl<'a> OperationRef<'a> {
    /// The operationId, if any.
    pub fn id(&self) -> Option<&'a str> {
        self.operation.get("operationId").and_then(Value::as_str)
    }

    /// Where messages about it point: its id (or method and path) and pointer.
    pub fn location(&self) -> Location {
        let name = match self.id() {
            Some(id) => id.to_owned(),
            None => format!("{} {}", self.method.to_uppercase(), self.path),
        };
        Location::Operation {
            name,
            pointer: self.pointer.clone(),
        }
    }

    /// The responses, resolved, by status code (as written: `200`,
    /// `default`), in the order of the JSON tree's keys. A broken `$ref`
    /// is left out.
    pub fn responses(&self, root: &'a Value) -> Vec<(&'a str, &'a Value)> {
        self.operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(code, r)| Some((code.as_str(), resolve(root, r)?)))
            .collect()
    }

    /// The parameters that apply, resolved and keyed by (`in`, `name`):
    /// the path item's, unless the operation redeclares them. A broken
    /// `$ref` is left out.
    pub fn parameters(&self, root: &'a Value) -> BTreeMap<(String, String), &'a Value> {
        self.parameter_list(root)
            .into_iter()
            .map(|p| (parameter_key(p), p))
            .collect()
    }

    /// [`parameters`](Self::parameters) in declaration order: the path
    /// item's that the operation does not redeclare, then the operation's.
    pub fn parameter_list(&self, root: &'a Value) -> Vec<&'a Value> {
        let declared = |holder: &'a Value| {
            holder
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| resolve(root, p))
        };
        let own: Vec<&Value> = declared(self.operation).collect();
        let redeclared: Vec<(String, String)> = own.iter().map(|p| parameter_key(p)).collect();
        declared(self.path_item)
            .filter(|p| !redeclared.contains(&parameter_key(p)))
            .chain(own)
            .collect()
    }

    /// The request body, resolved, if it declares one.
    pub fn request_body(&self, root: &'a Value) -> Option<&'a Value> {
        resolve(root, self.operation.get("requestBody")?)
    }

    /// The request body's media types (`application/json`) and their
    /// media type objects, in the order of the JSON tree's keys.
    pub fn request_bodies(&self, root: &'a Value) -> Vec<(&'a str, &'a Value)> {
        self.request_body(root)
            .and_then(|b| b.get("content"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(media, content)| (media.as_str(), content))
            .collect()
    }
}

/// What identifies a parameter: where it travels (`in`) and its `name`.
fn parameter_key(parameter: &Value) -> (String, String) {
    let text = |key: &str| {
        parameter
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    (text("in"), text("name"))
}

/// Every operation of a spec: paths in the order of the JSON tree's keys,
/// methods in [`METHODS`] order.
pub fn operations(root: &Value) -> Vec<OperationRef<'_>> {
    let mut ops = Vec::new();
    if let Some(paths) = root.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(operation) = item.get(method) {
                    ops.push(OperationRef {
                        path,
                        method,
                        pointer: join(&join("#/paths", path), method),
                        operation,
                        path_item: item,
                    });
                }
            }
        }
    }
    ops
}

/// Every operation object of a spec, mutably, with its path and method, in
/// the order of [`operations`] (for fixes that edit a spec as it loads).
pub fn operations_mut(root: &mut Value, mut edit: impl FnMut(&str, &str, &mut Map<String, Value>)) {
    let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            if let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) {
                edit(path, method, operation);
            }
        }
    }
}

/// Removes every operation `keep` refuses (given its path, method and
/// object), then every path item left without an operation.
pub fn retain_operations(root: &mut Value, mut keep: impl FnMut(&str, &str, &Value) -> bool) {
    let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            if item.get(method).is_some_and(|op| !keep(path, method, op)) {
                item.remove(method);
            }
        }
    }
    paths.retain(|_, item| METHODS.iter().any(|m| item.get(m).is_some()));
}

/// The placeholders of a path template, in order.
pub fn placeholders(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec() -> Value {
        json!({
            "paths": {
                "/things/{id}": {
                    "summary": "not an operation",
                    "servers": [{ "url": "https://example.com" }],
                    "x-note": { "operationId": "notAnOperation" },
                    "parameters": [
                        { "name": "id", "in": "path", "required": true, "description": "shared" },
                        { "$ref": "#/components/parameters/Verbose" },
                    ],
                    "get": {
                        "operationId": "getThing",
                        "parameters": [
                            { "name": "id", "in": "path", "required": true, "description": "own" },
                            { "name": "id", "in": "query", "description": "another place" },
                        ],
                        "requestBody": { "$ref": "#/components/requestBodies/Thing" },
                        "responses": {
                            "404": { "$ref": "#/components/responses/NotFound" },
                            "200": { "description": "ok" },
                        },
                    },
                    "delete": { "responses": {} },
                }
            },
            "components": {
                "parameters": { "Verbose": { "name": "verbose", "in": "query" } },
                "responses": { "NotFound": { "description": "no such thing" } },
                "requestBodies": { "Thing": { "content": {
                    "application/json": { "schema": { "type": "object" } },
                    "text/plain": {},
                } } },
            },
        })
    }

    #[test]
    fn only_method_keys_are_operations() {
        let spec = spec();
        let found: Vec<_> = operations(&spec)
            .iter()
            .map(|op| (op.method, op.pointer.clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("get", "#/paths/~1things~1{id}/get".to_owned()),
                ("delete", "#/paths/~1things~1{id}/delete".to_owned()),
            ]
        );
    }

    #[test]
    fn operation_parameters_override_the_path_items() {
        let spec = spec();
        let ops = operations(&spec);
        let params = ops[0].parameters(&spec);
        let described = |place: &str, name: &str| {
            params[&(place.to_owned(), name.to_owned())]["description"].as_str()
        };
        assert_eq!(params.len(), 3);
        assert_eq!(described("path", "id"), Some("own"));
        assert_eq!(described("query", "id"), Some("another place"));
        assert!(params.contains_key(&("query".to_owned(), "verbose".to_owned())));
        let listed: Vec<_> = ops[0]
            .parameter_list(&spec)
            .iter()
            .map(|p| p["description"].as_str().unwrap_or("verbose"))
            .collect();
        assert_eq!(listed, ["verbose", "own", "another place"]);
        // An operation that declares none has the path item's.
        let shared = ops[1].parameters(&spec);
        assert_eq!(
            shared[&("path".to_owned(), "id".to_owned())]["description"],
            "shared"
        );
    }

    #[test]
    fn responses_and_bodies_are_resolved() {
        let spec = spec();
        let get = &operations(&spec)[0];
        let responses = get.responses(&spec);
        assert_eq!(
            responses,
            [
                ("200", &json!({ "description": "ok" })),
                ("404", &json!({ "description": "no such thing" })),
            ]
        );
        let media: Vec<_> = get.request_bodies(&spec).iter().map(|(m, _)| *m).collect();
        assert_eq!(media, ["application/json", "text/plain"]);
    }

    #[test]
    fn an_operation_is_located_by_id_or_method_and_path() {
        let spec = spec();
        let ops = operations(&spec);
        assert_eq!(
            ops[0].location(),
            Location::Operation {
                name: "getThing".into(),
                pointer: "#/paths/~1things~1{id}/get".into()
            }
        );
        assert_eq!(
            ops[1].location(),
            Location::Operation {
                name: "DELETE /things/{id}".into(),
                pointer: "#/paths/~1things~1{id}/delete".into()
            }
        );
    }

    #[test]
    fn placeholders_in_order() {
        assert_eq!(
            placeholders("/v2/orgs/{org}/ticket/{ticketId}/attachment/{attachmentId}"),
            ["org", "ticketId", "attachmentId"]
        );
    }

    #[test]
    fn a_path_without_placeholders_has_none() {
        assert!(placeholders("/v2/ticket/metadata/types").is_empty());
        assert!(placeholders("").is_empty());
        assert!(placeholders("/").is_empty());
    }

    #[test]
    fn placeholders_at_the_start_adjacent_and_inside_a_segment() {
        assert_eq!(placeholders("{a}{b}"), ["a", "b"]);
        assert_eq!(placeholders("/files/{name}.{ext}"), ["name", "ext"]);
    }

    /// Repeated names are kept, so a caller can tell a path that uses one
    /// twice.
    #[test]
    fn repeated_placeholders_are_all_listed() {
        assert_eq!(placeholders("/a/{id}/b/{id}"), ["id", "id"]);
    }

    /// An unclosed `{` is not a placeholder, and a stray `}` is ignored.
    #[test]
    fn unbalanced_braces() {
        assert!(placeholders("/a/{id").is_empty());
        assert_eq!(placeholders("/a/{x}/{id"), ["x"]);
        assert_eq!(placeholders("/a/id}/{y}"), ["y"]);
    }

    /// `{}` yields an empty name, which then matches no parameter and is
    /// reported, rather than being silently dropped.
    #[test]
    fn empty_braces_give_an_empty_name() {
        assert_eq!(placeholders("/a/{}"), [""]);
    }

    #[test]
    fn retain_drops_refused_operations_and_emptied_paths() {
        let mut spec = json!({"paths": {
            "/a": {"get": {"operationId": "a"}, "post": {"operationId": "b"}, "parameters": []},
            "/c": {"get": {"operationId": "c"}}
        }});
        retain_operations(&mut spec, |_, _, op| {
            op["operationId"] != "c" && op["operationId"] != "b"
        });
        assert_eq!(
            spec,
            json!({"paths": {"/a": {"get": {"operationId": "a"}, "parameters": []}}})
        );
    }

    #[test]
    fn operations_mut_visits_method_keys_only() {
        let mut spec = json!({"paths": {"/a": {"get": {}, "summary": "s", "x-y": {}}}});
        let mut seen = Vec::new();
        operations_mut(&mut spec, |path, method, op| {
            seen.push(format!("{method} {path}"));
            op.insert("operationId".into(), json!("set"));
        });
        assert_eq!(seen, ["get /a"]);
        assert_eq!(spec["paths"]["/a"]["get"]["operationId"], "set");
    }
}
