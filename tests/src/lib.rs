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
    let client = files
        .iter()
        .find(|f| f.path.ends_with("client.rs"))
        .expect("a client is generated");
    masstack_codegen::surface::render(&spec.json, &client.contents)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Rebuilds a spec from an edited JSON tree, as if the file had been edited.
pub fn with_json(spec: &LoadedSpec, json: serde_json::Value) -> LoadedSpec {
    let openapi = serde_json::from_value(json.clone()).expect("the edited spec is still OpenAPI");
    LoadedSpec {
        name: spec.name.clone(),
        json,
        openapi,
    }
}

/// The specs of the workspace.
pub const SPECS: [&str; 2] = ["spec/ticketing-v2.yaml", "spec/ticketing-ossj.yaml"];
