//! Schemas typify cannot type as written generate with a looser type, each
//! reported as a `loosened schema` compromise at its pointer; under
//! `strict = true` each is a located error.

use std::path::Path;

use masstack_codegen::manifest::{ClientSettings, Manifest, Output};
use masstack_codegen::{CompromiseKind, Error, Location, load};

const SPEC: &str = "tests/fixtures/loosen/untypable.yaml";

fn output(strict: bool) -> Output {
    Output {
        name: "untypable".into(),
        spec: SPEC.into(),
        crate_dir: "crates/untypable".into(),
        client: ClientSettings {
            runtime: Some("masstack_client_runtime".into()),
            ..ClientSettings::default()
        },
        extras: Vec::new(),
        lint: Default::default(),
        fixes: Default::default(),
        cli_name: None,
        strict,
        features: Default::default(),
    }
}

fn generate(strict: bool) -> Result<masstack_codegen::Generation, Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let spec = load::load(&root, SPEC).unwrap_or_else(|e| panic!("{e}"));
    let manifest = Manifest {
        command: "test".into(),
        outputs: Vec::new(),
        cli: None,
    };
    masstack_codegen::generate_summarised("codegen.toml", &manifest, &output(strict), &spec)
}

fn pointer(name: &str) -> Location {
    Location::Pointer(format!("#/components/schemas/{name}"))
}

#[test]
fn untypable_schemas_are_loosened_and_reported_at_their_pointer() {
    let generation = generate(false).unwrap_or_else(|e| panic!("{e}"));
    let summary = &generation.summaries[0];
    let loosened: Vec<_> = summary
        .compromises
        .iter()
        .filter(|c| c.kind == CompromiseKind::LoosenedSchema)
        .collect();
    let at = |name: &str| {
        loosened
            .iter()
            .find(|c| c.location == pointer(name))
            .unwrap_or_else(|| panic!("no loosened schema at {name}: {summary}"))
    };
    assert_eq!(loosened.len(), 3, "{summary}");
    assert!(
        at("UriMap").what.contains("without its `format: uri-map`"),
        "{summary}"
    );
    assert!(
        at("Mixed").what.contains("it is `serde_json::Value`")
            && at("Mixed").what.contains("multiple implied types"),
        "{summary}"
    );
    assert!(
        at("UriMap").what.contains("invalid (or unexpected) schema"),
        "{summary}"
    );
    assert!(
        at("Size").what.contains("without its `default: large`"),
        "{summary}"
    );
    assert!(
        loosened
            .iter()
            .all(|c| c.file == SPEC && c.exact.contains("[output.client.replace]")),
        "{summary}"
    );
    // The schemas typify could type keep their types.
    let client = &generation.files[0].contents;
    assert!(client.contains("pub struct Links"), "{client}");
    assert!(client.contains("pub struct UriMap"), "{client}");
}

#[test]
fn under_strict_a_loosened_schema_is_a_located_error() {
    let Err(Error::Invalid(problems)) = generate(true) else {
        panic!("strict must refuse loosened schemas");
    };
    assert_eq!(problems.len(), 3, "{problems:?}");
    for name in ["UriMap", "Mixed", "Size"] {
        assert!(
            problems.iter().any(|p| p.location == pointer(name)
                && p.to_string().contains("loosened schema (strict)")),
            "{name}: {problems:?}"
        );
    }
}
