//! Shared helpers for the workspace's spec and generation tests.

use std::path::{Path, PathBuf};

use masstack_codegen::{GeneratedFile, LoadedSpec, Manifest, manifest};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The manifest of the workspace.
pub fn manifest() -> Manifest {
    manifest::load(&root(), manifest::DEFAULT_PATH).expect("spec/codegen.toml loads")
}

/// Loads a spec by its path relative to the root (`spec/ticketing-v2.yaml`).
pub fn load_spec(relative: &str) -> LoadedSpec {
    masstack_codegen::load::load(&root(), relative).unwrap_or_else(|e| panic!("{e}"))
}

/// The manifest entry for a spec.
pub fn output_for(manifest: &Manifest, spec: &str) -> masstack_codegen::Output {
    manifest
        .outputs
        .iter()
        .find(|o| o.spec == spec)
        .cloned()
        .expect("the spec is in the manifest")
}

/// Generates one output's files from a (possibly modified) spec, in memory.
pub fn generate(spec: &LoadedSpec) -> Result<Vec<GeneratedFile>, masstack_codegen::Error> {
    let manifest = manifest();
    let output = output_for(&manifest, &spec.name);
    masstack_codegen::generate(manifest::DEFAULT_PATH, &manifest, &output, spec)
}

/// The API surface of a spec's generated client.
pub fn surface(spec: &LoadedSpec) -> String {
    let files = generate(spec).unwrap_or_else(|e| panic!("{e}"));
    surface_of(spec, &files)
}

/// Rebuilds a spec from an edited JSON tree, as if the file had been edited.
pub fn with_json(spec: &LoadedSpec, json: serde_json::Value) -> LoadedSpec {
    let openapi = serde_json::from_value(json.clone()).expect("the edited spec is still OpenAPI");
    LoadedSpec {
        name: spec.name.clone(),
        json,
        origin: spec.origin.clone(),
        openapi,
    }
}

/// Every output of the manifest: (output, its spec loaded).
pub fn outputs() -> Vec<(masstack_codegen::Output, LoadedSpec)> {
    manifest()
        .outputs
        .into_iter()
        .map(|o| {
            let spec = load_spec(&o.spec);
            (o, spec)
        })
        .collect()
}

/// The specs this project curates by hand: those whose output checks its
/// conventions (`[output.lint] inferred = true`). Specs written by others
/// are generated too, but not held to these rules.
pub fn our_specs() -> Vec<String> {
    let specs: Vec<String> = manifest()
        .outputs
        .into_iter()
        .filter(|o| o.lint.inferred)
        .map(|o| o.spec)
        .collect();
    assert!(
        !specs.is_empty(),
        "the manifest has no output with `lint.inferred`"
    );
    specs
}

/// The API surface of an output's generated client, from its files.
pub fn surface_of(spec: &LoadedSpec, files: &[GeneratedFile]) -> String {
    let client = files
        .iter()
        .find(|f| f.path.ends_with("client.rs"))
        .expect("a client is generated");
    masstack_codegen::surface::render(&spec.json, &client.contents)
        .unwrap_or_else(|e| panic!("{e}"))
}
