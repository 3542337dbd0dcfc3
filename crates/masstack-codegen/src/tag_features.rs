//! Per-tag cargo features (`features = "per-tag"` in the manifest): which
//! feature compiles each operation, read off the spec's tags. A consumer of
//! a big API turns off the default `full` feature and compiles only the
//! tags it calls; the refine pass `features` gates the code, and
//! [`crate::crate_manifest`] keeps the features in the crate's `Cargo.toml`.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;
use masstack_openapi::operations::operations;
use serde_json::Value;

/// The feature that turns every tag's on; in `default`.
pub const FULL: &str = "full";

/// The feature of the operations that have no tag.
pub const UNTAGGED: &str = "untagged";

/// Feature names a tag cannot take: the crate's others. A tag named so
/// gets `tag-` in front (`tag-mock`).
const RESERVED: &[&str] = &[
    "default",
    FULL,
    UNTAGGED,
    "cli",
    "mock",
    "rustls",
    "native-tls",
    "http2",
    "gzip",
];

/// The feature of a tag: its name in kebab case (`Issue links` ->
/// `issue-links`). Tags that differ only in case or punctuation share one.
pub fn feature_name(tag: &str) -> String {
    let name = tag.to_kebab_case();
    if name.is_empty() {
        // A tag of punctuation only: still a valid, stable feature name.
        let code: u32 = tag.chars().map(u32::from).sum();
        return format!("tag-{code}");
    }
    if RESERVED.contains(&name.as_str()) {
        format!("tag-{name}")
    } else {
        name
    }
}

/// The features of one spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagFeatures {
    /// By operationId: the features any one of which compiles it.
    pub operations: BTreeMap<String, BTreeSet<String>>,
    /// Every feature, with the tags it stands for (none for [`UNTAGGED`]).
    pub features: BTreeMap<String, BTreeSet<String>>,
    /// The types compiled whatever the features: the webhooks' payloads
    /// (for receivers, who call no operation), by Rust name.
    pub always: BTreeSet<String>,
}

impl TagFeatures {
    /// How many operations each feature compiles.
    pub fn operation_counts(&self) -> BTreeMap<String, usize> {
        let mut counts: BTreeMap<String, usize> =
            self.features.keys().map(|f| (f.clone(), 0)).collect();
        for features in self.operations.values() {
            for f in features {
                *counts.entry(f.clone()).or_default() += 1;
            }
        }
        counts
    }
}

/// The features of the operations of `spec` (a 3.0 tree whose operations
/// have their operationIds); operations without one are not generated.
pub fn plan(spec: &Value) -> TagFeatures {
    let mut plan = TagFeatures::default();
    for op in operations(spec) {
        let Some(id) = op.id() else { continue };
        let tags: Vec<&str> = op
            .operation
            .get("tags")
            .and_then(Value::as_array)
            .map(|tags| tags.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut features = BTreeSet::new();
        if tags.is_empty() {
            plan.features.entry(UNTAGGED.to_owned()).or_default();
            features.insert(UNTAGGED.to_owned());
        }
        for tag in tags {
            let feature = feature_name(tag);
            plan.features
                .entry(feature.clone())
                .or_default()
                .insert(tag.to_owned());
            features.insert(feature);
        }
        plan.operations.insert(id.to_owned(), features);
    }
    plan.always = webhook_schemas(spec)
        .iter()
        .map(|name| crate::naming::type_name(name))
        .collect();
    plan
}

/// The component schemas of the webhooks' payloads.
pub fn webhook_schemas(spec: &Value) -> BTreeSet<String> {
    spec.get(masstack_openapi::normalise::oas31::WEBHOOKS_EXTENSION)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|hook| hook.get("schema").and_then(Value::as_str))
        .filter_map(|pointer| pointer.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tags_become_kebab_case_features_and_reserved_names_are_prefixed() {
        assert_eq!(feature_name("Issue links"), "issue-links");
        assert_eq!(feature_name("IssueLinks"), "issue-links");
        assert_eq!(feature_name("mock"), "tag-mock");
        assert_eq!(feature_name("Full"), "tag-full");
        assert!(feature_name("!!").starts_with("tag-"));
    }

    /// Two tags and an untagged operation; a schema two features reach,
    /// one through a `responses` component, and one no operation uses.
    pub(crate) fn example_spec() -> Value {
        json!({
            "paths": {
                "/a": {
                    "get": {"operationId": "getA", "tags": ["Alpha"], "responses": {"200": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}},
                    "post": {"operationId": "postA", "tags": ["Alpha", "Beta"], "responses": {}},
                },
                "/b": {"get": {"operationId": "getB", "responses": {"200": {"$ref": "#/components/responses/B"}}}},
            },
            "components": {
                "schemas": {
                    "A": {"properties": {"shared": {"$ref": "#/components/schemas/Shared"}}},
                    "Shared": {"type": "string"},
                    "Unused": {"type": "string"},
                },
                "responses": {"B": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shared"}}}}},
            }
        })
    }

    #[test]
    fn operations_get_one_feature_per_tag() {
        let spec = example_spec();
        let plan = plan(&spec);
        let set = |names: &[&str]| {
            names
                .iter()
                .map(|s| (*s).to_owned())
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(plan.operations["getA"], set(&["alpha"]));
        assert_eq!(plan.operations["postA"], set(&["alpha", "beta"]));
        assert_eq!(plan.operations["getB"], set(&[UNTAGGED]));
        let counts = plan.operation_counts();
        let counts: Vec<(&str, usize)> = counts.iter().map(|(f, n)| (f.as_str(), *n)).collect();
        assert_eq!(counts, [("alpha", 2), ("beta", 1), (UNTAGGED, 1)]);
    }
}
