//! Each rule of the lifecycle lint, broken once in a spec that otherwise
//! passes, gives one diagnostic at the offending key.

use serde_json::{Value, json};

use super::check;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::{LoadedSpec, parse};

/// Two states, two roles, a creation (with a body) and an acknowledgement
/// (no request).
const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Life, version: "1"}
x-lifecycle: {states: State}
x-roles:
  - {id: TU, name: Territory User, description: Raises tickets.}
  - {id: TO, name: Territory Owner}
x-transactions:
  - id: TU01
    role: TU
    name_es: Crea
    name_en: Creates
    from: []
    to: OPEN
    example: CreateExample
    operation: create
  - id: TO-ACK
    role: TO
    name_es: Recibe
    name_en: Receives
    from: [OPEN]
    to: null
    example: null
    operation: null
paths:
  /t:
    post:
      operationId: create
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/CreateExample'}}}
      responses: {"204": {description: done}}
components:
  schemas:
    State: {type: string, enum: [OPEN, CLOSED]}
    CreateExample:
      type: object
      properties: {state: {$ref: '#/components/schemas/State'}}
      example: {state: OPEN}
"##;

/// The spec with `edit` applied to its JSON.
fn spec_with(edit: impl FnOnce(&mut Value)) -> LoadedSpec {
    let mut spec = parse("spec/life.yaml", SPEC).expect("the test spec parses");
    edit(&mut spec.json);
    spec
}

/// The single problem lint finds, as (pointer, message).
fn only_problem(spec: &LoadedSpec) -> (String, String) {
    let (_, problems) = check(spec);
    let [
        Diagnostic {
            location: Location::Pointer(at),
            message,
            ..
        },
    ] = problems.as_slice()
    else {
        panic!("expected one problem at a pointer, found {problems:#?}");
    };
    (at.clone(), message.clone())
}

fn set(pointer: &str, value: Value) -> impl FnOnce(&mut Value) {
    move |json| *json.pointer_mut(pointer).expect("the test spec has it") = value
}

#[test]
fn a_sound_lifecycle_is_handed_on() {
    let (model, problems) = check(&spec_with(|_| {}));
    assert_eq!(problems, vec![]);
    let model = model.expect("the spec declares a lifecycle");
    assert_eq!(model.states, ["OPEN", "CLOSED"]);
    assert_eq!(model.roles[1].description, "");
    assert_eq!(model.list[1].pointer, "#/x-transactions/1");
    assert_eq!(model.example_schemas(), ["CreateExample"]);
}

#[test]
fn a_spec_without_a_lifecycle_has_none() {
    let spec = spec_with(|json| {
        let root = json.as_object_mut().unwrap();
        for key in ["x-lifecycle", "x-roles", "x-transactions"] {
            root.remove(key);
        }
    });
    assert_eq!(check(&spec), (None, vec![]));
}

#[test]
fn unknown_state() {
    let (at, message) = only_problem(&spec_with(set("/x-transactions/1/from/0", json!("OPNE"))));
    assert_eq!(at, "#/x-transactions/1/from/0");
    assert_eq!(
        message,
        "`OPNE` is not a state of `State` (OPEN, CLOSED): use one of its `enum` values"
    );
    let (at, _) = only_problem(&spec_with(set("/x-transactions/0/to", json!("DONE"))));
    assert_eq!(at, "#/x-transactions/0/to");
}

#[test]
fn unknown_operation() {
    let (at, message) = only_problem(&spec_with(set(
        "/x-transactions/0/operation",
        json!("open"),
    )));
    assert_eq!(at, "#/x-transactions/0/operation");
    assert!(
        message.starts_with("operation `open` does not exist"),
        "{message}"
    );
}

#[test]
fn missing_example_schema() {
    let (at, message) = only_problem(&spec_with(set("/x-transactions/0/example", json!("Nope"))));
    assert_eq!(at, "#/x-transactions/0/example");
    assert!(
        message.starts_with("example schema `Nope` does not exist"),
        "{message}"
    );
}

#[test]
fn example_schema_without_an_example() {
    let spec = spec_with(|json| {
        json.pointer_mut("/components/schemas/CreateExample")
            .and_then(Value::as_object_mut)
            .unwrap()
            .remove("example");
    });
    let (at, message) = only_problem(&spec);
    assert_eq!(at, "#/x-transactions/0/example");
    assert!(
        message.contains("#/components/schemas/CreateExample/example"),
        "{message}"
    );
}

#[test]
fn a_request_body_needs_an_example() {
    let (at, message) = only_problem(&spec_with(set("/x-transactions/0/example", Value::Null)));
    assert_eq!(at, "#/x-transactions/0/example");
    assert!(
        message.starts_with("`TU01` carries a request body (create)"),
        "{message}"
    );
}

#[test]
fn unknown_role() {
    let (at, message) = only_problem(&spec_with(set("/x-transactions/1/role", json!("TX"))));
    assert_eq!(at, "#/x-transactions/1/role");
    assert!(message.contains("(TU, TO)"), "{message}");
}

#[test]
fn codes_that_would_share_a_rust_name() {
    let (at, message) = only_problem(&spec_with(set("/x-transactions/1/id", json!("tu-01"))));
    assert_eq!(at, "#/x-transactions/1/id");
    assert!(
        message.contains("repeats `TU01` (#/x-transactions/0)"),
        "{message}"
    );
}

#[test]
fn ids_that_are_no_rust_names() {
    let (at, _) = only_problem(&spec_with(set("/x-transactions/1/id", json!("01"))));
    assert_eq!(at, "#/x-transactions/1/id");
    let spec = spec_with(|json| {
        set("/x-roles/1/id", json!("2O"))(json);
        set("/x-transactions/1/role", json!("2O"))(json);
    });
    let (at, _) = only_problem(&spec);
    assert_eq!(at, "#/x-roles/1/id");
}

#[test]
fn states_that_are_no_enum() {
    let (at, message) = only_problem(&spec_with(set("/x-lifecycle/states", json!("Nope"))));
    assert_eq!(at, "#/x-lifecycle/states");
    assert!(
        message.starts_with("`Nope` is not a string enum"),
        "{message}"
    );
}

#[test]
fn a_key_of_the_wrong_shape_or_name() {
    let (at, message) = only_problem(&spec_with(set("/x-transactions/1/from", json!("OPEN"))));
    assert_eq!(at, "#/x-transactions/1/from");
    assert!(
        message.starts_with("invalid type: string \"OPEN\", expected a sequence"),
        "{message}"
    );
    let spec = spec_with(|json| {
        let t = json
            .pointer_mut("/x-transactions/1")
            .and_then(Value::as_object_mut)
            .unwrap();
        let op = t.remove("operation").unwrap();
        t.insert("opertion".into(), op);
    });
    let (at, message) = only_problem(&spec);
    assert_eq!(at, "#/x-transactions/1/opertion");
    assert!(message.starts_with("unknown field `opertion`"), "{message}");
}

#[test]
fn a_lifecycle_declared_in_part() {
    let spec = spec_with(|json| {
        json.as_object_mut().unwrap().remove("x-roles");
    });
    let (at, message) = only_problem(&spec);
    assert_eq!(at, "#/x-roles");
    assert!(
        message.starts_with("the lifecycle needs `x-roles`"),
        "{message}"
    );
}
