//! The messages the generator gives for each kind of bad input, kept as
//! snapshots so that their quality cannot regress unnoticed.

use std::path::Path;

use masstack_codegen::{LoadedSpec, error::render, lint, load};

/// The fixtures are linted as this project's own specs are: conventions on.
const OURS: lint::LintSettings = lint::LintSettings {
    examples: true,
    inferred: true,
};

fn messages(fixture: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/bad")
        .join(fixture);
    let text = std::fs::read_to_string(path).unwrap();
    // Named as a user's spec would be, so the snapshot reads like real output.
    let name = format!("spec/{fixture}");
    let problems = match load::parse(&name, &text) {
        Err(d) => d,
        Ok(spec) => lint::lint(&spec, &OURS),
    };
    assert!(!problems.is_empty(), "{fixture} must be rejected");
    render(&problems)
}

macro_rules! bad_input {
    ($test:ident, $fixture:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(stringify!($test), messages($fixture));
        }
    };
}

bad_input!(yaml_syntax_error, "yaml-syntax.yaml");
bad_input!(missing_ref, "missing-ref.yaml");
bad_input!(duplicate_operation_id, "duplicate-operation-id.yaml");
bad_input!(openapi_version_unknown, "openapi-4-0.yaml");
bad_input!(type_array_in_3_0, "type-array-in-3-0.yaml");
bad_input!(two_success_types, "two-success-types.yaml");
bad_input!(invalid_example, "invalid-example.yaml");
bad_input!(undeclared_placeholder, "undeclared-placeholder.yaml");
bad_input!(bad_transaction, "bad-transaction.yaml");

/// Problems are all reported at once, not one per run.
#[test]
fn several_problems_in_one_report() {
    let text = r#"
openapi: 3.0.3
info: {title: Many, version: "1"}
paths:
  /a/{x}:
    get:
      responses: {"204": {description: none}}
  /b:
    get:
      operationId: b
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}
"#;
    let spec: LoadedSpec = load::parse("spec/many.yaml", text).unwrap();
    insta::assert_snapshot!("several_problems", render(&lint::lint(&spec, &OURS)));
}

/// A panic inside progenitor (an input the lint does not rule out) comes
/// back as an error naming the spec, not as a crash.
#[test]
fn progenitor_panic_becomes_an_error() {
    // progenitor asserts that a media type has no `encoding` on responses.
    let text = r#"
openapi: 3.0.3
info: {title: Panics, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object}
              encoding: {x: {contentType: text/plain}}
"#;
    let spec = load::parse("spec/panics.yaml", text).unwrap();
    let flagged = render(&lint::lint(&spec, &OURS));
    assert!(
        flagged.contains("uses `encoding`"),
        "the lint must catch it first: {flagged}"
    );
    // Bypass the lint, as a rule the lint does not know yet would.
    let settings = progenitor_settings();
    let mut generator = masstack_codegen::generate::client::Generator::new(&settings);
    let err =
        masstack_codegen::generate::client::generate(&mut generator, &settings, &spec).unwrap_err();
    let text = err.to_string();
    // The panic is traced to the operation whose body has the encoding.
    assert!(
        text.contains("spec/panics.yaml operation")
            && text.contains("progenitor cannot generate code for this operation"),
        "{text}"
    );
}

fn progenitor_settings() -> masstack_codegen::generate::client::GenerationSettings {
    masstack_codegen::generate::client::GenerationSettings::new()
}
