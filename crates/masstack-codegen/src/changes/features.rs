//! Changes of per-tag features (`features = "per-tag"`): an operation or a
//! type compiled under other features, a feature added or gone. Only the
//! Rust side changes: the requests and responses are the same.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::change::{Change, Verdict, breaks, fine, push};
use super::kind::ChangeKind;
use super::model::{operation_schemas, reach};
use crate::diagnostic::{escape_segment, join};
use crate::tag_features::{TagFeatures, plan, webhook_schemas};

/// The feature changes from `base` to `head` (spec JSON), both generated
/// with per-tag features.
pub fn feature_changes(base: &Value, head: &Value) -> Vec<Change> {
    let (old, new) = (plan(base), plan(head));
    let mut out = Vec::new();
    let wire = || fine("the requests and responses do not change");
    for gone in old
        .features
        .keys()
        .filter(|f| !new.features.contains_key(*f))
    {
        push(
            &mut out,
            ChangeKind::FeatureRemoved,
            format!("feature {gone}"),
            "#/tags".into(),
            "removed",
            wire(),
            breaks("a consumer that enables it no longer resolves"),
        );
    }
    for added in new
        .features
        .keys()
        .filter(|f| !old.features.contains_key(*f))
    {
        push(
            &mut out,
            ChangeKind::FeatureAdded,
            format!("feature {added}"),
            "#/tags".into(),
            "added (in `full`)",
            wire(),
            fine("a new feature; `full` turns it on"),
        );
    }
    let pointers: BTreeMap<&str, String> = masstack_openapi::operations::operations(head)
        .iter()
        .filter_map(|op| Some((op.id()?, op.pointer.clone())))
        .collect();
    for (id, was) in &old.operations {
        let Some(now) = new.operations.get(id) else {
            continue;
        };
        let pointer = pointers.get(id.as_str()).cloned().unwrap_or_default();
        moved(&mut out, format!("operation {id}"), pointer, was, now, &new);
    }
    let (old_schemas, new_schemas) = (schema_features(base, &old), schema_features(head, &new));
    for (name, was) in &old_schemas {
        let exists = head
            .pointer(&format!("/components/schemas/{}", escape_segment(name)))
            .is_some();
        if !exists {
            continue;
        }
        // Used by no operation now: always compiled.
        let Some(now) = new_schemas.get(name) else {
            continue;
        };
        let pointer = join("#/components/schemas", name);
        moved(&mut out, format!("schema {name}"), pointer, was, now, &new);
    }
    out
}

/// A change when `what` is compiled under other features: breaking for
/// code built with a feature it lost.
fn moved(
    out: &mut Vec<Change>,
    what: String,
    pointer: String,
    was: &BTreeSet<String>,
    now: &BTreeSet<String>,
    new: &TagFeatures,
) {
    // Compiled with every feature: as good as always.
    let always = |set: &BTreeSet<String>| new.features.keys().all(|f| set.contains(f));
    if was == now || always(now) {
        return;
    }
    let lost: Vec<&String> = was.difference(now).collect();
    let show = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>().join(" | ");
    let rust: Verdict = if lost.is_empty() {
        fine("compiled with more features")
    } else {
        let lost: Vec<String> = lost.iter().map(|f| format!("`{f}`")).collect();
        breaks(format!(
            "code built with only {} no longer has it",
            lost.join(" or ")
        ))
    };
    push(
        out,
        ChangeKind::FeaturesMoved,
        what,
        pointer,
        format!("features {} -> {}", show(was), show(now)),
        fine("the requests and responses do not change"),
        rust,
    );
}

/// Every component schema the operations of each feature reach, directly
/// or through other schemas: a schema that loses a feature is no longer
/// compiled with it. What a webhook's payload reaches is always compiled,
/// and left out.
fn schema_features(spec: &Value, plan: &TagFeatures) -> BTreeMap<String, BTreeSet<String>> {
    let always = reach(spec, webhook_schemas(spec).into_iter().collect());
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for op in masstack_openapi::operations::operations(spec) {
        let Some(features) = op.id().and_then(|id| plan.operations.get(id)) else {
            continue;
        };
        for name in operation_schemas(spec, &op) {
            if !always.contains(&name) {
                out.entry(name)
                    .or_default()
                    .extend(features.iter().cloned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_get_every_feature_that_reaches_them() {
        let spec = crate::tag_features::tests::example_spec();
        let schemas = schema_features(&spec, &plan(&spec));
        let set = |names: &[&str]| {
            names
                .iter()
                .map(|s| (*s).to_owned())
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(schemas["A"], set(&["alpha"]));
        assert_eq!(
            schemas["Shared"],
            set(&["alpha", crate::tag_features::UNTAGGED])
        );
        assert!(!schemas.contains_key("Unused"));
    }
}
