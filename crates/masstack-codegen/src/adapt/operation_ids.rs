//! Operations without an operationId, named from their method and path
//! ([`crate::fixes::name_missing`]: deterministic, never a name already
//! taken), each reported with the settings that would name it instead.

use masstack_openapi::diagnostic::{Location, join};
use serde_json::Value;

use crate::compromise::{Compromise, CompromiseKind};
use crate::fixes::name_missing;

/// Names every operation of `json` that has no operationId.
pub fn apply(file: &str, json: &mut Value, out: &mut Vec<Compromise>) {
    for named in name_missing(json) {
        let here = format!("{} {}", named.method.to_uppercase(), named.path);
        out.push(Compromise {
            kind: CompromiseKind::NamedOperation,
            file: file.to_owned(),
            location: Location::Operation {
                name: here.clone(),
                pointer: join(&join("#/paths", &named.path), &named.method),
            },
            what: format!("has no operationId: named `{}`", named.id),
            exact: format!(
                "an `operationId` in the spec (an overlay), or `\"{here}\" = \"…\"` under `[output.fixes.operation_id_map]`"
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn operations_without_an_id_are_named_without_collisions_and_reported() {
        let mut spec = json!({"paths": {
            "/pets": {
                "get": {"responses": {}},
                "post": {"operationId": "get_pets", "responses": {}}
            },
            "/pets/": {"get": {"responses": {}}},
            "/pets/{petId}": {"get": {"operationId": "getPet", "responses": {}}},
            "/": {"get": {"responses": {}}}
        }});
        let mut out = Vec::new();
        apply("spec/x.yaml", &mut spec, &mut out);
        let id = |path: &str, method: &str| {
            spec["paths"][path][method]["operationId"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        // `get_pets` is taken by the POST; `/pets/` makes the same name.
        assert_eq!(id("/pets", "get"), "get_pets_2");
        assert_eq!(id("/pets/", "get"), "get_pets_3");
        assert_eq!(id("/", "get"), "get_root");
        assert_eq!(id("/pets", "post"), "get_pets");
        assert_eq!(id("/pets/{petId}", "get"), "getPet");
        assert_eq!(out.len(), 3, "{out:?}");
        assert!(out.iter().all(|c| c.kind == CompromiseKind::NamedOperation));
        let first = out
            .iter()
            .find(|c| c.what.contains("get_pets_2"))
            .unwrap()
            .to_string();
        assert_eq!(
            first,
            "spec/x.yaml operation GET /pets (#/paths/~1pets/get): has no operationId: named `get_pets_2`; to make it exact: an `operationId` in the spec (an overlay), or `\"GET /pets\" = \"…\"` under `[output.fixes.operation_id_map]`"
        );
        // Named once, nothing is left to name.
        let mut again = Vec::new();
        apply("spec/x.yaml", &mut spec, &mut again);
        assert!(again.is_empty());
    }

    #[test]
    fn a_camel_case_id_takes_its_snake_case_name() {
        let mut spec = json!({"paths": {"/pets": {
            "get": {"responses": {}},
            "put": {"operationId": "getPets", "responses": {}}
        }}});
        apply("x", &mut spec, &mut Vec::new());
        assert_eq!(spec["paths"]["/pets"]["get"]["operationId"], "get_pets_2");
    }
}
