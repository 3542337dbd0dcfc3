//! Finding one's way in a spec's JSON: its operations, local `$ref`s and
//! path placeholders.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostic::{Location, join};

/// The HTTP methods a path item may hold, in OpenAPI's order.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation and where it sits.
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
    /// `default`), in document order.
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
    /// the path item's, unless the operation redeclares them.
    pub fn parameters(&self, root: &'a Value) -> BTreeMap<(String, String), &'a Value> {
        let mut params = BTreeMap::new();
        for list in [
            self.path_item.get("parameters"),
            self.operation.get("parameters"),
        ]
        .into_iter()
        .flatten()
        {
            for p in list.as_array().into_iter().flatten() {
                let Some(p) = resolve(root, p) else { continue };
                let text = |key: &str| {
                    p.get(key)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                params.insert((text("in"), text("name")), p);
            }
        }
        params
    }
}

/// Every operation of a spec, in document order.
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

/// Follows a local `$ref` (one level at a time, at most a few levels).
pub fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> Option<&'a Value> {
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => node = root.pointer(r.strip_prefix('#')?)?,
            None => return Some(node),
        }
    }
    None
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
    use super::placeholders;

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
}
