//! Following local `$ref`s (`#/components/...`) to what they point at.

use serde_json::Value;

/// How many `$ref`s in a row are followed before giving up: enough for any
/// real chain, and the end of every cycle.
pub const MAX_HOPS: usize = 16;

/// Why a `$ref` chain does not end at a node.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    /// The reference is not a local JSON pointer (`#/...`), e.g. another file.
    #[error("`$ref: {0}` is not a reference into this document (`#/...`)")]
    NotLocal(String),
    /// The pointer names nothing in the document.
    #[error("`$ref: {0}` points at nothing in this document")]
    Missing(String),
    /// The chain is a cycle, or longer than [`MAX_HOPS`].
    #[error("`$ref: {0}` starts a cycle or a chain of more than {MAX_HOPS} references")]
    Cycle(String),
}

/// The node `node` stands for: itself, or what its chain of `$ref`s ends at.
pub fn follow<'a>(root: &'a Value, node: &'a Value) -> Result<&'a Value, RefError> {
    let start = node.get("$ref").and_then(Value::as_str);
    let mut node = node;
    for _ in 0..=MAX_HOPS {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return Ok(node);
        };
        node = target(root, reference)?;
    }
    Err(RefError::Cycle(start.unwrap_or_default().to_owned()))
}

/// What the reference `reference` (`#/components/schemas/Name`) names
/// itself, without following it further.
pub fn target<'a>(root: &'a Value, reference: &str) -> Result<&'a Value, RefError> {
    let pointer = reference
        .strip_prefix('#')
        .ok_or_else(|| RefError::NotLocal(reference.to_owned()))?;
    root.pointer(pointer)
        .ok_or_else(|| RefError::Missing(reference.to_owned()))
}

/// [`follow`], for callers that skip a broken reference (the linter
/// reports those on its own).
pub fn resolve<'a>(root: &'a Value, node: &'a Value) -> Option<&'a Value> {
    follow(root, node).ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> Value {
        json!({ "components": { "schemas": {
            "A": { "$ref": "#/components/schemas/B" },
            "B": { "$ref": "#/components/schemas/C" },
            "C": { "type": "string" },
            "Loop": { "$ref": "#/components/schemas/Loop2" },
            "Loop2": { "$ref": "#/components/schemas/Loop" },
            "Broken": { "$ref": "#/components/schemas/Nowhere" },
        } } })
    }

    #[test]
    fn a_node_without_ref_is_itself() {
        let doc = doc();
        let node = json!({ "type": "integer" });
        assert_eq!(follow(&doc, &node), Ok(&node));
    }

    #[test]
    fn a_chain_is_followed_to_its_end() {
        let doc = doc();
        let node = json!({ "$ref": "#/components/schemas/A" });
        assert_eq!(resolve(&doc, &node), Some(&json!({ "type": "string" })));
    }

    #[test]
    fn a_cycle_ends_in_an_error() {
        let doc = doc();
        let node = json!({ "$ref": "#/components/schemas/Loop" });
        assert_eq!(
            follow(&doc, &node),
            Err(RefError::Cycle("#/components/schemas/Loop".into()))
        );
        assert_eq!(resolve(&doc, &node), None);
    }

    #[test]
    fn broken_and_foreign_refs_are_errors() {
        let doc = doc();
        assert_eq!(
            follow(&doc, &json!({ "$ref": "#/components/schemas/Broken" })),
            Err(RefError::Missing("#/components/schemas/Nowhere".into()))
        );
        assert_eq!(
            follow(&doc, &json!({ "$ref": "other.yaml#/X" })),
            Err(RefError::NotLocal("other.yaml#/X".into()))
        );
    }
}
