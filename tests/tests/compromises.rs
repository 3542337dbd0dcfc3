//! The compromises fixture (`tests/fixtures/compromises/pets.yaml`) holds
//! one of each kind of compromise: its summary names each at its operation
//! (or schema) with what would make it exact, and `strict = true` makes
//! each one a located error.

use masstack_codegen::{CompromiseKind, Error, Location, manifest};
use masstack_spec_tests::{load_spec, manifest};

const SPEC: &str = "tests/fixtures/compromises/pets.yaml";

fn output(strict: bool) -> masstack_codegen::Output {
    let mut output = masstack_spec_tests::output_for(&manifest(), SPEC);
    output.strict = strict;
    output
}

#[test]
fn the_summary_locates_each_compromise_of_the_fixture() {
    let spec = load_spec(SPEC);
    let generation = masstack_codegen::generate_summarised(
        manifest::DEFAULT_PATH,
        &manifest(),
        &output(false),
        &spec,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let [summary] = generation.summaries.as_slice() else {
        panic!("one summary per output")
    };
    let found: Vec<(CompromiseKind, String)> = summary
        .compromises
        .iter()
        .map(|c| match &c.location {
            Location::Operation { name, .. } => (c.kind, name.clone()),
            other => (c.kind, format!("{other:?}")),
        })
        .collect();
    let expected = [
        (CompromiseKind::NamedOperation, "GET /pets"),
        (CompromiseKind::MultipartBody, "uploadPhoto"),
        (CompromiseKind::RawBody, "putRecord"),
        (CompromiseKind::SuccessEnum, "registerPet"),
        (CompromiseKind::SuccessEnum, "getPet"),
        (CompromiseKind::ErrorEnum, "getPet"),
        (CompromiseKind::ErrorEnum, "deletePet"),
        (
            CompromiseKind::LoosenedSchema,
            "Pointer(\"#/components/schemas/Links\")",
        ),
    ];
    assert_eq!(found, expected.map(|(k, n)| (k, n.to_owned())), "{summary}");
    assert!(
        summary.to_string().contains(
            "error enum: tests/fixtures/compromises/pets.yaml operation getPet (#/paths/~1pets~1{petId}/get): its errors are read per status into `GetPetError` (404 NotFound, 422 UnprocessableEntity); to make it exact: one error schema for every error status (an overlay)"
        ),
        "{summary}"
    );
}

#[test]
fn strict_makes_each_compromise_a_located_error() {
    let spec = load_spec(SPEC);
    let lenient = masstack_codegen::generate_summarised(
        manifest::DEFAULT_PATH,
        &manifest(),
        &output(false),
        &spec,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let compromises = &lenient.summaries[0].compromises;
    let kinds: std::collections::BTreeSet<CompromiseKind> =
        compromises.iter().map(|c| c.kind).collect();
    assert_eq!(kinds.len(), 6, "one of each kind: {kinds:?}");
    let strict =
        masstack_codegen::generate(manifest::DEFAULT_PATH, &manifest(), &output(true), &spec);
    let Err(Error::Invalid(errors)) = strict else {
        panic!("strict generation fails with located errors");
    };
    assert_eq!(errors.len(), compromises.len(), "{errors:#?}");
    for (error, compromise) in errors.iter().zip(compromises) {
        assert_eq!(error.location, compromise.location);
        assert!(
            error
                .message
                .starts_with(&format!("{} (strict): ", compromise.kind.name())),
            "{error}"
        );
        assert!(error.message.contains("to make it exact: "), "{error}");
    }
}
