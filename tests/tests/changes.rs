//! The change review, on edits of a fixture spec (tests/fixtures/changes/):
//! each kind of change with the verdicts it must get on both axes (wire:
//! existing clients against the new server; Rust: existing code against the
//! new crate), under the generated code's forward-compatibility policy.

use masstack_codegen::changes::report::{CrateReport, core_version};
use masstack_codegen::changes::{self, Bump, Policy};
use masstack_spec_tests::root;
use serde_json::{Value, json};

/// Builders, but plain (exhaustive, closed) types.
const EXHAUSTIVE: Policy = Policy {
    non_exhaustive: false,
    builders: true,
    environments: true,
    tolerant_statuses: true,
    open_enums: false,
    per_tag: false,
};

/// The forward-compatibility policy both of our outputs use.
const FORWARD_COMPATIBLE: Policy = Policy {
    non_exhaustive: true,
    open_enums: true,
    ..EXHAUSTIVE
};

fn base() -> Value {
    masstack_codegen::load::load(&root(), "tests/fixtures/changes/base.yaml")
        .unwrap_or_else(|e| panic!("{e}"))
        .json
}

fn at<'a>(json: &'a mut Value, pointer: &str) -> &'a mut Value {
    json.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer}"))
}

fn object<'a>(json: &'a mut Value, pointer: &str) -> &'a mut serde_json::Map<String, Value> {
    at(json, pointer).as_object_mut().unwrap()
}

fn required<'a>(json: &'a mut Value, schema: &str) -> &'a mut Vec<Value> {
    at(json, &format!("/components/schemas/{schema}/required"))
        .as_array_mut()
        .unwrap()
}

type Edit = fn(&mut Value);
/// (kind, wire breaking, Rust breaking) of each change, and the bump the
/// edit asks (the highest of its changes').
type Expected = (&'static [(&'static str, bool, bool)], Bump);

/// Each edit, its verdicts and bump with exhaustive types, and with
/// `#[non_exhaustive]` types where they differ.
pub const EDITS: &[(&str, Edit, Expected, Option<Expected>)] = &[
    (
        "add an operation",
        |j| {
            object(j, "/paths/~1things~1{thingId}").insert(
                "patch".into(),
                json!({"operationId": "patchThing", "responses": {"204": {"description": "ok"}}}),
            );
        },
        (&[("operation-added", false, false)], Bump::Addition),
        None,
    ),
    (
        "remove an operation",
        |j| {
            object(j, "/paths/~1things~1{thingId}").remove("delete");
        },
        (&[("operation-removed", true, true)], Bump::Breaking),
        None,
    ),
    (
        "rename an operation",
        |j| {
            *at(j, "/paths/~1things~1{thingId}/get/operationId") = json!("fetchThing");
        },
        (&[("operation-renamed", false, true)], Bump::Breaking),
        None,
    ),
    (
        "change an operation's path",
        |j| {
            let get = object(j, "/paths/~1things").remove("get").unwrap();
            object(j, "/paths").insert("/items".into(), json!({ "get": get }));
        },
        (&[("operation-path-changed", true, false)], Bump::Breaking),
        None,
    ),
    (
        "change an operation's method",
        |j| {
            let delete = object(j, "/paths/~1things~1{thingId}")
                .remove("delete")
                .unwrap();
            object(j, "/paths/~1things~1{thingId}").insert("post".into(), delete);
        },
        (&[("operation-method-changed", true, false)], Bump::Breaking),
        None,
    ),
    (
        "add an optional parameter",
        |j| {
            at(j, "/paths/~1things/get/parameters")
                .as_array_mut()
                .unwrap()
                .push(json!({"name": "limit", "in": "query", "schema": {"type": "integer"}}));
        },
        (&[("parameter-added", false, false)], Bump::Addition),
        None,
    ),
    (
        "add a required parameter",
        |j| {
            at(j, "/paths/~1things/get/parameters").as_array_mut().unwrap().push(json!({"name": "org", "in": "query", "required": true, "schema": {"type": "string"}}));
        },
        (&[("parameter-added", true, false)], Bump::Breaking),
        None,
    ),
    (
        "remove a parameter",
        |j| {
            object(j, "/paths/~1things~1{thingId}/get").remove("parameters");
        },
        (&[("parameter-removed", false, true)], Bump::Breaking),
        None,
    ),
    (
        "make a parameter required",
        |j| {
            *at(j, "/paths/~1things~1{thingId}/get/parameters/0/required") = json!(true);
        },
        (&[("parameter-required", true, false)], Bump::Breaking),
        None,
    ),
    (
        "make a parameter optional",
        |j| {
            *at(j, "/paths/~1things/post/parameters/0/required") = json!(false);
        },
        (&[("parameter-optional", false, false)], Bump::Patch),
        None,
    ),
    (
        "change a parameter's type",
        |j| {
            *at(j, "/paths/~1things~1{thingId}/get/parameters/0/schema") =
                json!({"type": "integer"});
        },
        (&[("parameter-type-changed", true, true)], Bump::Breaking),
        None,
    ),
    (
        "add an optional request body",
        |j| {
            object(j, "/paths/~1things~1{thingId}/delete").insert("requestBody".into(), json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewThing"}}}}));
        },
        (&[("body-added", false, false)], Bump::Addition),
        None,
    ),
    (
        "add a required request body",
        |j| {
            object(j, "/paths/~1things~1{thingId}/delete").insert("requestBody".into(), json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewThing"}}}}));
        },
        (&[("body-added", true, false)], Bump::Breaking),
        None,
    ),
    (
        "remove the request body",
        |j| {
            object(j, "/paths/~1things/post").remove("requestBody");
        },
        (&[("body-removed", false, true)], Bump::Breaking),
        None,
    ),
    (
        "change the request body's type",
        |j| {
            *at(
                j,
                "/paths/~1things/post/requestBody/content/application~1json/schema",
            ) = json!({"$ref": "#/components/schemas/Thing"});
        },
        (&[("body-type-changed", true, true)], Bump::Breaking),
        None,
    ),
    (
        "make the request body optional",
        |j| {
            *at(j, "/paths/~1things/post/requestBody/required") = json!(false);
        },
        (&[("body-optional", false, false)], Bump::Patch),
        None,
    ),
    (
        "add an optional field to a request type",
        |j| {
            object(j, "/components/schemas/NewThing/properties")
                .insert("color".into(), json!({"type": "string"}));
        },
        (&[("field-added", false, true)], Bump::Breaking),
        Some((&[("field-added", false, false)], Bump::Addition)),
    ),
    (
        "add a required field to a request type",
        |j| {
            object(j, "/components/schemas/NewThing/properties")
                .insert("owner".into(), json!({"type": "string"}));
            required(j, "NewThing").push(json!("owner"));
        },
        (&[("field-added", true, true)], Bump::Breaking),
        Some((&[("field-added", true, false)], Bump::Breaking)),
    ),
    (
        "remove a field from a request type",
        |j| {
            object(j, "/components/schemas/NewThing/properties").remove("note");
        },
        (&[("field-removed", false, true)], Bump::Breaking),
        None,
    ),
    (
        "make a request field required",
        |j| {
            required(j, "NewThing").push(json!("note"));
        },
        (&[("field-required", true, true)], Bump::Breaking),
        None,
    ),
    (
        "make a request field optional",
        |j| {
            required(j, "NewThing").clear();
        },
        (&[("field-optional", false, true)], Bump::Breaking),
        None,
    ),
    (
        "change a request field's type",
        |j| {
            *at(j, "/components/schemas/NewThing/properties/size") = json!({"type": "string"});
        },
        (&[("field-type-changed", true, true)], Bump::Breaking),
        None,
    ),
    (
        "add an optional field to a response type",
        |j| {
            object(j, "/components/schemas/Thing/properties")
                .insert("color".into(), json!({"type": "string"}));
        },
        (&[("field-added", false, true)], Bump::Breaking),
        Some((&[("field-added", false, false)], Bump::Addition)),
    ),
    (
        "add a required field to a response type",
        |j| {
            object(j, "/components/schemas/Thing/properties")
                .insert("owner".into(), json!({"type": "string"}));
            required(j, "Thing").push(json!("owner"));
        },
        (&[("field-added", false, true)], Bump::Breaking),
        Some((&[("field-added", false, false)], Bump::Addition)),
    ),
    (
        "remove an optional field from a response type",
        |j| {
            object(j, "/components/schemas/Thing/properties").remove("note");
        },
        (&[("field-removed", false, true)], Bump::Breaking),
        None,
    ),
    (
        "remove a required field from a response type",
        |j| {
            object(j, "/components/schemas/Thing/properties").remove("name");
            required(j, "Thing").retain(|r| r != "name");
        },
        (&[("field-removed", true, true)], Bump::Breaking),
        None,
    ),
    (
        "make a response field required",
        |j| {
            required(j, "Thing").push(json!("note"));
        },
        (&[("field-required", false, true)], Bump::Breaking),
        None,
    ),
    (
        "make a response field optional",
        |j| {
            required(j, "Thing").retain(|r| r != "name");
        },
        (&[("field-optional", true, true)], Bump::Breaking),
        None,
    ),
    (
        "change a response field's type",
        |j| {
            *at(j, "/components/schemas/Thing/properties/size") = json!({"type": "string"});
        },
        (&[("field-type-changed", true, true)], Bump::Breaking),
        None,
    ),
    (
        "change a response field's format",
        |j| {
            *at(j, "/components/schemas/Thing/properties/size/format") = json!("int32");
        },
        (&[("field-type-changed", true, true)], Bump::Breaking),
        None,
    ),
    (
        "add a value to a response enum",
        |j| {
            at(j, "/components/schemas/Kind/enum")
                .as_array_mut()
                .unwrap()
                .push(json!("medium"));
        },
        (&[("enum-value-added", true, true)], Bump::Breaking),
        Some((&[("enum-value-added", false, false)], Bump::Addition)),
    ),
    (
        "remove a value from a response enum",
        |j| {
            at(j, "/components/schemas/Kind/enum")
                .as_array_mut()
                .unwrap()
                .pop();
        },
        (&[("enum-value-removed", false, true)], Bump::Breaking),
        None,
    ),
    (
        "add a value to a request enum",
        |j| {
            at(j, "/components/schemas/Provider/enum")
                .as_array_mut()
                .unwrap()
                .push(json!("C"));
        },
        (&[("enum-value-added", false, true)], Bump::Breaking),
        Some((&[("enum-value-added", false, false)], Bump::Addition)),
    ),
    (
        "remove a value from a request enum",
        |j| {
            at(j, "/components/schemas/Provider/enum")
                .as_array_mut()
                .unwrap()
                .pop();
        },
        (&[("enum-value-removed", true, true)], Bump::Breaking),
        None,
    ),
    (
        "add a value to an enum used both ways",
        |j| {
            at(j, "/components/schemas/State/enum")
                .as_array_mut()
                .unwrap()
                .push(json!("archived"));
        },
        (&[("enum-value-added", true, true)], Bump::Breaking),
        Some((&[("enum-value-added", false, false)], Bump::Addition)),
    ),
    (
        "change the success status",
        |j| {
            let created = object(j, "/paths/~1things/post/responses")
                .remove("201")
                .unwrap();
            object(j, "/paths/~1things/post/responses").insert("200".into(), created);
        },
        (&[("success-status-changed", false, false)], Bump::Patch),
        None,
    ),
    (
        "change the success type",
        |j| {
            *at(
                j,
                "/paths/~1things~1{thingId}/get/responses/200/content/application~1json/schema",
            ) = json!({"$ref": "#/components/schemas/ThingCreated"});
        },
        (&[("success-type-changed", true, true)], Bump::Breaking),
        None,
    ),
    (
        "remove the success body",
        |j| {
            object(j, "/paths/~1things~1{thingId}/get/responses/200").remove("content");
        },
        (&[("success-type-changed", true, true)], Bump::Breaking),
        None,
    ),
    (
        "document another error status",
        |j| {
            let not_found = at(j, "/paths/~1things~1{thingId}/get/responses/404").clone();
            object(j, "/paths/~1things~1{thingId}/get/responses").insert("409".into(), not_found);
        },
        (&[("error-status-added", false, false)], Bump::Addition),
        None,
    ),
    (
        "stop documenting an error status",
        |j| {
            object(j, "/paths/~1things/post/responses").remove("400");
        },
        (&[("error-status-removed", false, true)], Bump::Breaking),
        None,
    ),
    (
        "stop documenting one of two error statuses",
        |j| {
            let not_found = at(j, "/paths/~1things~1{thingId}/get/responses/404").clone();
            object(j, "/paths/~1things~1{thingId}/get/responses").insert("410".into(), not_found);
            object(j, "/paths/~1things~1{thingId}/get/responses").remove("404");
        },
        (
            &[
                ("error-status-added", false, false),
                ("error-status-removed", false, false),
            ],
            Bump::Addition,
        ),
        None,
    ),
    (
        "document the first error status",
        |j| {
            let error = at(j, "/paths/~1things/post/responses/400").clone();
            object(j, "/paths/~1things/get/responses").insert("400".into(), error);
        },
        (&[("error-status-added", false, true)], Bump::Breaking),
        None,
    ),
    (
        "change the error type",
        |j| {
            object(j, "/components/schemas").insert(
                "Problem".into(),
                json!({"type": "object", "properties": {"title": {"type": "string"}}}),
            );
            *at(
                j,
                "/paths/~1things~1{thingId}/delete/responses/404/content/application~1json/schema",
            ) = json!({"$ref": "#/components/schemas/Problem"});
        },
        (
            &[
                ("error-type-changed", true, true),
                ("schema-added", false, false),
            ],
            Bump::Breaking,
        ),
        None,
    ),
    (
        "add a server",
        |j| {
            at(j, "/servers")
                .as_array_mut()
                .unwrap()
                .push(json!({"url": "https://things.example.org", "description": "production"}));
        },
        (&[("server-added", false, true)], Bump::Breaking),
        Some((&[("server-added", false, false)], Bump::Addition)),
    ),
    (
        "remove a server",
        |j| {
            at(j, "/servers").as_array_mut().unwrap().clear();
        },
        (&[("server-removed", true, true)], Bump::Breaking),
        None,
    ),
    (
        "change a server's URL",
        |j| {
            *at(j, "/servers/0/url") = json!("https://things.example.net");
        },
        (&[("server-changed", true, false)], Bump::Breaking),
        None,
    ),
    (
        "add a security scheme",
        |j| {
            object(j, "/components/securitySchemes").insert(
                "key".into(),
                json!({"type": "apiKey", "in": "header", "name": "X-Key"}),
            );
        },
        (&[("security-added", true, false)], Bump::Breaking),
        None,
    ),
    (
        "remove the security scheme",
        |j| {
            object(j, "/components").remove("securitySchemes");
            object(j, "").remove("security");
        },
        (&[("security-removed", false, false)], Bump::Patch),
        None,
    ),
    (
        "change the security scheme",
        |j| {
            *at(j, "/components/securitySchemes/bearer/scheme") = json!("basic");
        },
        (&[("security-changed", true, false)], Bump::Breaking),
        None,
    ),
    (
        "add a schema",
        |j| {
            object(j, "/components/schemas").insert("Unused".into(), json!({"type": "string"}));
        },
        (&[("schema-added", false, false)], Bump::Addition),
        None,
    ),
    (
        "remove a schema",
        |j| {
            object(j, "/components/schemas").remove("Kind");
            object(j, "/components/schemas/Thing/properties").remove("kind");
        },
        (
            &[
                ("field-removed", false, true),
                ("schema-removed", false, true),
            ],
            Bump::Breaking,
        ),
        None,
    ),
    (
        "change a schema's kind",
        |j| {
            *at(j, "/components/schemas/State") = json!({"type": "string"});
        },
        (&[("schema-kind-changed", true, true)], Bump::Breaking),
        None,
    ),
];

fn verdicts(base: &Value, edited: &Value, policy: &Policy) -> Vec<(&'static str, bool, bool)> {
    let mut got: Vec<_> = changes::diff(base, edited, policy)
        .into_iter()
        .map(|c| (c.kind.name(), c.wire.breaking, c.rust.breaking))
        .collect();
    got.sort();
    got
}

/// The bump an edit asks: the highest of its changes'.
fn bump(base: &Value, edited: &Value, policy: &Policy) -> Option<Bump> {
    changes::diff(base, edited, policy)
        .iter()
        .map(changes::Change::bump)
        .max()
}

/// An operation whose error statuses have several types is read into a
/// per-status enum: documenting a status adds a `#[non_exhaustive]`
/// variant, dropping one removes its variant, and a second type turns the
/// single error type into the enum.
#[test]
fn per_status_enums_get_verdicts_per_variant() {
    let responses = "/paths/~1things~1{thingId}/get/responses";
    let problem = json!({
        "description": "Conflict.",
        "content": {"application/json": {"schema": {
            "type": "object", "properties": {"clash": {"type": "string"}}
        }}}
    });
    let single = base();
    let mut two_types = single.clone();
    object(&mut two_types, responses).insert("409".into(), problem.clone());
    assert_eq!(
        verdicts(&single, &two_types, &FORWARD_COMPATIBLE),
        [
            ("error-status-added", false, false),
            ("error-type-changed", true, true)
        ],
        "a second error type: `Error<E>` becomes the per-status enum"
    );
    let mut three = two_types.clone();
    object(&mut three, responses).insert("410".into(), problem.clone());
    assert_eq!(
        verdicts(&two_types, &three, &FORWARD_COMPATIBLE),
        [("error-status-added", false, false)],
        "a new variant of the non-exhaustive enum"
    );
    assert_eq!(
        verdicts(&three, &two_types, &FORWARD_COMPATIBLE),
        [("error-status-removed", false, true)],
        "a variant removed"
    );
    let mut retyped = three.clone();
    *at(
        &mut retyped,
        &format!("{responses}/410/content/application~1json/schema"),
    ) = json!({"type": "string"});
    assert_eq!(
        verdicts(&three, &retyped, &FORWARD_COMPATIBLE),
        [("error-type-changed", true, true)],
        "a variant holding another type"
    );
}

#[test]
fn every_kind_of_change_gets_its_verdicts_and_bump() {
    let base = base();
    assert!(EDITS.len() >= 40, "at least 40 edits");
    assert_eq!(
        verdicts(&base, &base, &EXHAUSTIVE),
        [],
        "no edit, no change"
    );
    let mut kinds = std::collections::BTreeSet::new();
    let mut bumps = std::collections::BTreeSet::new();
    for (what, edit, exhaustive, non_exhaustive) in EDITS {
        let mut edited = base.clone();
        edit(&mut edited);
        for (policy, (expected, expected_bump)) in [
            (EXHAUSTIVE, *exhaustive),
            (FORWARD_COMPATIBLE, non_exhaustive.unwrap_or(*exhaustive)),
        ] {
            let mut expected = expected.to_vec();
            expected.sort();
            assert_eq!(
                verdicts(&base, &edited, &policy),
                expected,
                "{what} (non_exhaustive: {})",
                policy.non_exhaustive
            );
            assert_eq!(
                bump(&base, &edited, &policy),
                Some(expected_bump),
                "the bump of `{what}` (non_exhaustive: {}): expected {expected_bump:?}",
                policy.non_exhaustive
            );
            bumps.insert(expected_bump);
        }
        kinds.extend(exhaustive.0.iter().map(|(k, _, _)| *k));
    }
    // Both axes: breaking and compatible verdicts on each.
    let all: Vec<_> = EDITS
        .iter()
        .flat_map(|(_, _, (v, _), _)| v.iter())
        .collect();
    for axis in [|v: &&(&str, bool, bool)| v.1, |v: &&(&str, bool, bool)| v.2] {
        assert!(all.iter().any(axis) && !all.iter().all(axis));
    }
    assert!(kinds.len() >= 30, "{kinds:?}");
    assert_eq!(
        bumps.len(),
        3,
        "every bump is asked by some edit: {bumps:?}"
    );
}

#[test]
fn a_renamed_operation_keeps_its_other_changes() {
    let base = base();
    let mut edited = base.clone();
    let get = object(&mut edited, "/paths/~1things~1{thingId}")
        .get_mut("get")
        .unwrap();
    get["operationId"] = json!("fetchThing");
    get.as_object_mut()
        .unwrap()
        .entry("parameters")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .unwrap()
        .push(
            json!({"name": "org", "in": "query", "required": true, "schema": {"type": "string"}}),
        );
    assert_eq!(
        verdicts(&base, &edited, &FORWARD_COMPATIBLE),
        [
            ("operation-renamed", false, true),
            ("parameter-added", true, false)
        ]
    );
}

#[test]
fn an_inline_enum_is_compared_like_a_named_one() {
    let mut base = base();
    *at(&mut base, "/components/schemas/Thing/properties/kind") =
        json!({"type": "string", "enum": ["small", "large"]});
    let mut edited = base.clone();
    *at(
        &mut edited,
        "/components/schemas/Thing/properties/kind/enum",
    ) = json!(["small"]);
    let changes = changes::diff(&base, &edited, &FORWARD_COMPATIBLE);
    let found: Vec<(&str, &str, &str, bool, bool)> = changes
        .iter()
        .map(|c| {
            (
                c.kind.name(),
                c.target.as_str(),
                c.pointer.as_str(),
                c.wire.breaking,
                c.rust.breaking,
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "enum-value-removed",
            "schema Thing.kind value large",
            "#/components/schemas/Thing/properties/kind",
            false,
            true
        )]
    );
}

#[test]
fn a_status_change_breaks_clients_that_do_not_read_statuses_tolerantly() {
    let base = base();
    let mut edited = base.clone();
    let created = object(&mut edited, "/paths/~1things/post/responses")
        .remove("201")
        .unwrap();
    object(&mut edited, "/paths/~1things/post/responses").insert("200".into(), created);
    let strict = Policy {
        tolerant_statuses: false,
        ..EXHAUSTIVE
    };
    assert_eq!(
        verdicts(&base, &edited, &strict),
        [("success-status-changed", true, false)]
    );
}

#[test]
fn positional_clients_break_where_builders_do_not() {
    let base = base();
    let mut edited = base.clone();
    at(&mut edited, "/paths/~1things/get/parameters")
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "limit", "in": "query", "schema": {"type": "integer"}}));
    let positional = Policy {
        builders: false,
        ..EXHAUSTIVE
    };
    assert_eq!(
        verdicts(&base, &edited, &positional),
        [("parameter-added", false, true)]
    );
}

#[test]
fn the_required_version_follows_cargo_semver() {
    let base = base();
    let v = |s: &str| core_version(s);
    let report = |edit: Edit, from: &str| {
        let mut edited = base.clone();
        edit(&mut edited);
        CrateReport::new(
            "things",
            "things",
            "spec/things.yaml",
            v(from),
            v(from),
            changes::diff(&base, &edited, &EXHAUSTIVE),
        )
    };
    let remove: Edit = |j| {
        object(j, "/paths/~1things~1{thingId}").remove("delete");
    };
    let add: Edit = |j| {
        object(j, "/components/schemas").insert("Unused".into(), json!({"type": "string"}));
    };
    let unchanged: Edit = |_| {};
    let r = report(remove, "0.1.3+api.1.0.0");
    assert_eq!(
        (r.bump, r.required.clone()),
        (Some(Bump::Breaking), v("0.2.0"))
    );
    assert!(r.version_too_low());
    let r = report(remove, "1.4.2");
    assert_eq!(r.required, v("2.0.0"));
    let r = report(add, "0.1.3");
    assert_eq!(
        (r.bump, r.required.clone()),
        (Some(Bump::Addition), v("0.1.4"))
    );
    let r = report(add, "1.4.2");
    assert_eq!(r.required, v("1.5.0"));
    let r = report(unchanged, "1.4.2");
    assert_eq!((r.bump, r.required.clone()), (None, v("1.4.2")));
    assert!(!r.version_too_low());
    // A pre-release is lower than its release, which is bump enough when
    // it moves the part the changes need (report::bumped).
    let r = report(remove, "0.2.0-rc.1");
    assert_eq!(r.required, v("0.2.0"));
    assert!(r.version_too_low());
    let r = report(add, "1.2.3-rc.1+api.1.0.0");
    assert_eq!(r.required, v("1.3.0"));
}

#[test]
fn the_review_reads_as_markdown_and_json() {
    let base = base();
    let mut edited = base.clone();
    object(&mut edited, "/paths/~1things~1{thingId}").remove("delete");
    object(&mut edited, "/components/schemas").insert("Unused".into(), json!({"type": "string"}));
    let report = CrateReport::new(
        "things",
        "things",
        "spec/things.yaml",
        core_version("0.1.0"),
        core_version("0.1.0"),
        changes::diff(&base, &edited, &EXHAUSTIVE),
    );
    let md = changes::report::markdown("release-1", std::slice::from_ref(&report));
    let expected = "## API changes since `release-1`\n\n\
- `things` (spec/things.yaml): **breaking**, 2 changes; 0.1.0 → requires ≥ 0.2.0 (now 0.1.0 ✗ too low)\n\n\
### `things`\n\n\
**Breaking**\n\n\
| change | what | wire | Rust |\n|---|---|---|---|\n\
| `operation-removed` | [operation deleteThing](spec/things.yaml#/paths/~1things~1{thingId}/delete): DELETE /things/{thingId} | breaks: the server no longer serves it | breaks: the method is gone |\n\n\
**Compatible**\n\n\
| change | what | wire | Rust |\n|---|---|---|---|\n\
| `schema-added` | [schema Unused](spec/things.yaml#/components/schemas/Unused): added | ok: nothing existing changes | ok: a new type |\n\n";
    assert_eq!(md, expected);
    let json: Value = serde_json::from_str(&changes::report::json("release-1", &[report])).unwrap();
    assert_eq!(
        json["crates"][0]["required"],
        json!({"major": 0, "minor": 2, "patch": 0})
    );
    assert_eq!(json["crates"][0]["changes"][0]["kind"], "operation-removed");
    assert_eq!(json["crates"][0]["changes"][0]["wire"]["breaking"], true);
}

#[test]
fn a_new_generation_policy_is_a_change_of_its_own() {
    let kinds = |from: &Policy, to: &Policy| -> Vec<(&'static str, bool, bool)> {
        changes::policy_changes(from, to, "spec/codegen.toml", "things")
            .into_iter()
            .map(|c| (c.kind.name(), c.wire.breaking, c.rust.breaking))
            .collect()
    };
    assert_eq!(kinds(&EXHAUSTIVE, &EXHAUSTIVE), []);
    // Turning the forward-compatibility policy on breaks struct literals,
    // exhaustive matches and copies once, so that later additions do not.
    assert_eq!(
        kinds(&EXHAUSTIVE, &FORWARD_COMPATIBLE),
        [
            ("policy-non-exhaustive", false, true),
            ("policy-open-enums", false, true)
        ]
    );
    assert_eq!(
        kinds(
            &EXHAUSTIVE,
            &Policy {
                builders: false,
                ..EXHAUSTIVE
            }
        ),
        [("policy-interface", false, true)]
    );
    assert_eq!(
        kinds(
            &Policy {
                environments: false,
                ..EXHAUSTIVE
            },
            &EXHAUSTIVE
        ),
        [("policy-environments", false, false)]
    );
    assert_eq!(
        kinds(
            &EXHAUSTIVE,
            &Policy {
                environments: false,
                ..EXHAUSTIVE
            }
        ),
        [("policy-environments", false, true)]
    );
    assert_eq!(
        kinds(
            &EXHAUSTIVE,
            &Policy {
                tolerant_statuses: false,
                ..EXHAUSTIVE
            }
        ),
        [("policy-decode", false, false)]
    );
}

#[test]
fn type_settings_in_the_manifest_are_changes_of_their_own() {
    let client = |settings: &str| {
        let text = format!(
            "[[output]]\nname = \"things\"\nspec = \"spec/things.yaml\"\ncrate = \"crates/things\"\n\n[output.client]\n{settings}"
        );
        masstack_codegen::manifest::parse("spec/codegen.toml", &text)
            .unwrap_or_else(|d| panic!("{d:?}"))
            .outputs
            .remove(0)
            .client
    };
    let kinds = |from: &str, to: &str| -> Vec<(&'static str, String, bool, bool)> {
        changes::settings_changes(&client(from), &client(to), "spec/codegen.toml", "things")
            .into_iter()
            .map(|c| (c.kind.name(), c.target, c.wire.breaking, c.rust.breaking))
            .collect()
    };
    let base =
        "derives = [\"PartialEq\"]\n[output.client.replace.State]\ntype = \"crate::State\"\n";
    assert_eq!(kinds(base, base), []);
    assert_eq!(
        kinds(
            base,
            "derives = [\"PartialEq\", \"Eq\"]\n[output.client.replace.State]\ntype = \"crate::State\"\n"
        ),
        [(
            "settings-derives",
            "output things: derives".to_owned(),
            false,
            false
        )]
    );
    assert_eq!(
        kinds(
            base,
            "[output.client.replace.State]\ntype = \"crate::State\"\n"
        ),
        [(
            "settings-derives",
            "output things: derives".to_owned(),
            false,
            true
        )]
    );
    assert_eq!(
        kinds(base, "derives = [\"PartialEq\"]\n"),
        [(
            "settings-replace",
            "output things: replace.State".to_owned(),
            false,
            true
        )]
    );
    assert_eq!(
        kinds(
            base,
            "derives = [\"PartialEq\"]\n[output.client.replace.State]\ntype = \"crate::State\"\n[output.client.patch.Thing]\nrename = \"Item\"\n"
        ),
        [(
            "settings-rename",
            "output things: patch.Thing.rename".to_owned(),
            false,
            true
        )]
    );
}

/// The Rust verdicts against the compiler: a consumer crate written against
/// the base fixture's generated crate (building every request type, reading
/// every response field with its type, matching every enum, calling every
/// builder) is checked against the crate generated from every edited spec
/// of `EDITS`, once per policy. "Breaking" must coincide with a compile
/// failure. The scratch workspace lives in `target/changes-compile`.
mod against_the_compiler {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::*;

    /// Both policies: (crate suffix, policy, manifest settings).
    const POLICIES: [(&str, Policy, &str); 2] = [
        (
            "exhaustive",
            EXHAUSTIVE,
            "non_exhaustive = false\nopen_enums = false",
        ),
        (
            "forward",
            FORWARD_COMPATIBLE,
            "non_exhaustive = true\nopen_enums = true",
        ),
    ];

    /// Code written against the base crate with exhaustive, closed types:
    /// struct literals, exhaustive destructuring and matches.
    const EXHAUSTIVE_CONSUMER: &str = r#"
use things::types::{Error, Kind, NewThing, Provider, State, Thing, ThingCreated, ThingList};
use things::{Client, Environment};

pub fn new_thing() -> NewThing {
    NewThing { name: "n".to_string(), note: Some("x".to_string()), size: Some(1_i64), state: Some(State::Open) }
}

pub fn read(thing: Thing) -> (String, String, Option<String>, Option<i64>) {
    let Thing { id, name, note, size, state, kind } = thing;
    let _: Option<State> = state;
    let _: Option<Kind> = kind;
    (id, name, note, size)
}

pub fn kind(k: Kind) -> u8 {
    match k { Kind::Small => 1, Kind::Large => 2 }
}

pub fn state(s: State) -> u8 {
    match s { State::Open => 1, State::Closed => 2 }
}

pub fn provider(p: Provider) -> u8 {
    match p { Provider::A => 1, Provider::B => 2 }
}

pub fn environment(e: Environment) -> u8 {
    match e { Environment::Staging => 1 }
}

pub fn error(e: Error) -> (String, Option<String>) {
    let Error { code, message } = e;
    (code, message)
}

pub fn list(l: ThingList) -> Vec<Thing> {
    let ThingList { items } = l;
    items
}

pub fn created(c: ThingCreated) -> String {
    let ThingCreated { id } = c;
    id
}
"#;

    /// Code written against the base crate as the forward-compatible policy
    /// asks: builders, wildcard arms, typed reads.
    const FORWARD_CONSUMER: &str = r#"
use things::types::{Error, Kind, NewThing, Provider, State, Thing, ThingCreated, ThingList};
use things::{Client, Environment};

pub fn new_thing() -> NewThing {
    NewThing::builder()
        .name("n")
        .note(Some("x".to_string()))
        .size(Some(1_i64))
        .state(Some(State::Open))
        .try_into()
        .unwrap()
}

pub fn read(thing: Thing) -> (String, String, Option<String>, Option<i64>) {
    let _: Option<State> = thing.state.clone();
    let _: Option<Kind> = thing.kind.clone();
    (thing.id, thing.name, thing.note, thing.size)
}

pub fn kind(k: Kind) -> u8 {
    match k { Kind::Small => 1, Kind::Large => 2, Kind::Unknown(_) => 3, _ => 4 }
}

pub fn state(s: State) -> u8 {
    match s { State::Open => 1, State::Closed => 2, _ => 3 }
}

pub fn provider(p: Provider) -> u8 {
    match p { Provider::A => 1, Provider::B => 2, _ => 3 }
}

pub fn environment(e: Environment) -> u8 {
    match e { Environment::Staging => 1, _ => 2 }
}

pub fn error(e: Error) -> (String, Option<String>) {
    (e.code, e.message)
}

pub fn list(l: ThingList) -> Vec<Thing> {
    l.items
}

pub fn created(c: ThingCreated) -> String {
    c.id
}
"#;

    /// Every operation with every parameter, the responses typed.
    const CALLS: &str = r#"
pub async fn calls(client: &Client) {
    let list: Result<progenitor_client::ResponseValue<ThingList>, progenitor_client::Error<()>> =
        client.list_things().state(State::Open).send().await;
    let created: Result<progenitor_client::ResponseValue<ThingCreated>, progenitor_client::Error<Error>> =
        client.create_thing().x_provider(Provider::A).body(new_thing()).send().await;
    let got: Result<progenitor_client::ResponseValue<Thing>, progenitor_client::Error<Error>> =
        client.get_thing().thing_id("t").fields("name").send().await;
    let deleted: Result<progenitor_client::ResponseValue<()>, progenitor_client::Error<Error>> =
        client.delete_thing().thing_id("t").send().await;
    let _ = (list, created, got, deleted);
}
"#;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // Only when it changes, so that cargo rebuilds only what changed.
        if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
            std::fs::write(path, text).unwrap();
        }
    }

    /// The scratch workspace: per policy, the generated crate `things-<p>`
    /// and a consumer `consumer-<p>` of it.
    fn workspace(root: &Path) -> PathBuf {
        let ws = root.join("target/changes-compile/ws");
        let runtime = root.join("crates/masstack-client-runtime");
        let mut members = Vec::new();
        for (name, _, _) in POLICIES {
            members.push(format!("\"things-{name}\", \"consumer-{name}\""));
            write(
                &ws.join(format!("things-{name}/Cargo.toml")),
                &format!(
                    "[package]\nname = \"things-{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n\
                     masstack-client-runtime = {{ path = {runtime:?}, default-features = false }}\n\
                     progenitor-client = \"0.15.1\"\n\
                     reqwest = {{ version = \"0.13\", default-features = false, features = [\"json\", \"query\"] }}\n\
                     serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"
                ),
            );
            write(
                &ws.join(format!("things-{name}/src/lib.rs")),
                "mod generated;\npub use generated::*;\n",
            );
            write(
                &ws.join(format!("consumer-{name}/Cargo.toml")),
                &format!(
                    "[package]\nname = \"consumer-{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n\
                     things = {{ package = \"things-{name}\", path = \"../things-{name}\" }}\n\
                     progenitor-client = \"0.15.1\"\n"
                ),
            );
            let consumer = if name == "exhaustive" {
                EXHAUSTIVE_CONSUMER
            } else {
                FORWARD_CONSUMER
            };
            write(
                &ws.join(format!("consumer-{name}/src/lib.rs")),
                &format!("#![allow(dead_code)]\n{consumer}{CALLS}"),
            );
        }
        write(
            &ws.join("Cargo.toml"),
            &format!(
                "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        );
        // The repository's versions, so that nothing is resolved anew.
        if !ws.join("Cargo.lock").exists() {
            std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).unwrap();
        }
        ws
    }

    /// Generates both policies' crates from `spec` into the workspace.
    fn generate(ws: &Path, spec: &Value) {
        let loaded = masstack_codegen::load::parse("spec/things.json", &spec.to_string())
            .unwrap_or_else(|d| panic!("{d:?}"));
        for (name, _, settings) in POLICIES {
            let manifest = format!(
                "command = \"cargo xtask regenerate\"\n\n[[output]]\nname = \"things\"\nspec = \"spec/things.json\"\n\
                 crate = \"things-{name}\"\nextras = [\"environments\"]\n\n[output.client]\ninterface = \"builder\"\n\
                 runtime = \"masstack_client_runtime\"\n{settings}\n"
            );
            let manifest = masstack_codegen::manifest::parse("codegen.toml", &manifest)
                .unwrap_or_else(|d| panic!("{d}"));
            let files = masstack_codegen::generate(
                "codegen.toml",
                &manifest,
                &manifest.outputs[0],
                &loaded,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            for file in files {
                write(&ws.join(&file.path), &file.contents);
            }
        }
    }

    /// Which consumers fail to compile; panics if a generated crate does.
    fn failing_consumers(root: &Path, ws: &Path) -> Vec<String> {
        let out = Command::new(env!("CARGO"))
            .args([
                "check",
                "--workspace",
                "--keep-going",
                "--offline",
                "--quiet",
                "--message-format=short",
            ])
            .env(
                "CARGO_TARGET_DIR",
                root.join("target/changes-compile/target"),
            )
            .env_remove("RUSTFLAGS")
            .current_dir(ws)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("could not compile `things-"),
            "a generated crate does not compile:\n{stderr}"
        );
        let failing: Vec<String> = POLICIES
            .iter()
            .map(|(name, _, _)| *name)
            .filter(|name| stderr.contains(&format!("could not compile `consumer-{name}`")))
            .map(str::to_owned)
            .collect();
        assert_eq!(out.status.success(), failing.is_empty(), "{stderr}");
        failing
    }

    #[test]
    fn breaking_rust_verdicts_are_compile_failures() {
        let root = root();
        let ws = workspace(&root);
        let base = base();
        generate(&ws, &base);
        assert_eq!(
            failing_consumers(&root, &ws),
            Vec::<String>::new(),
            "the consumers compile against the base"
        );
        let mut disagreements = Vec::new();
        for (what, edit, _, _) in EDITS {
            let mut edited = base.clone();
            edit(&mut edited);
            generate(&ws, &edited);
            let failing = failing_consumers(&root, &ws);
            eprintln!("{what}: {failing:?} do not compile");
            for (name, policy, _) in POLICIES {
                let breaking = changes::diff(&base, &edited, &policy)
                    .iter()
                    .any(|c| c.rust.breaking);
                let fails = failing.iter().any(|f| f == name);
                if breaking != fails {
                    disagreements.push(format!(
                        "{what} ({name}): verdict breaking={breaking}, compile failure={fails}"
                    ));
                }
            }
        }
        generate(&ws, &base);
        assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    }
}
