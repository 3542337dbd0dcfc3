//! Guards the generated code against spec drift: the committed files must be
//! what the specs produce, and the API surface reviewers read must change
//! whenever the client does.

use masstack_codegen::{LoadedSpec, output};
use masstack_spec_tests::{SPECS, generate, load_spec, root, surface, with_json};
use serde_json::{Value, json};

/// A plain `cargo test` fails when a spec changed and nobody regenerated.
#[test]
fn committed_generated_code_matches_the_specs() {
    let files =
        masstack_codegen::generate_workspace(&root(), masstack_codegen::manifest::DEFAULT_PATH)
            .unwrap_or_else(|e| panic!("{e}"));
    let stale = output::compare(&root(), &files).unwrap();
    if !stale.is_empty() {
        let diffs: String = stale.iter().map(|s| s.diff.clone()).collect();
        let names: Vec<&str> = stale.iter().map(|s| s.path.as_str()).collect();
        panic!(
            "{diffs}\n{} generated file(s) are stale: {}\nrun `cargo xtask regenerate` and commit the result",
            stale.len(),
            names.join(", ")
        );
    }
}

#[test]
fn api_surface_ticketing_v2() {
    insta::assert_snapshot!("api_surface_ticketing_v2", surface(&load_spec(SPECS[0])));
}

#[test]
fn api_surface_ticketing_ossj() {
    insta::assert_snapshot!("api_surface_ticketing_ossj", surface(&load_spec(SPECS[1])));
}

/// Generating twice from the same spec gives the same bytes.
#[test]
fn generation_is_deterministic() {
    for spec in SPECS {
        let spec = load_spec(spec);
        let first = generate(&spec).unwrap();
        let second = generate(&spec).unwrap();
        assert_eq!(first, second, "{}", spec.name);
        for file in &first {
            assert!(
                file.contents.starts_with("// @generated"),
                "{} lacks the @generated header",
                file.path
            );
            assert!(
                file.contents.contains(&spec.name),
                "{} does not name its spec",
                file.path
            );
        }
    }
}

fn edit(spec: &LoadedSpec, f: impl FnOnce(&mut Value)) -> LoadedSpec {
    let mut json = spec.json.clone();
    f(&mut json);
    with_json(spec, json)
}

fn schema<'a>(json: &'a mut Value, name: &str) -> &'a mut Value {
    json.pointer_mut(&format!("/components/schemas/{name}"))
        .unwrap_or_else(|| panic!("schema {name}"))
}

/// Each kind of spec change shows in both guards: the generated files
/// differ (so the staleness test fails) and the API surface differs (so the
/// snapshot diff shows it in review).
#[test]
fn every_kind_of_spec_change_shows_in_both_guards() {
    let base = load_spec(SPECS[0]);
    let base_files = generate(&base).unwrap();
    let base_surface = surface(&base);

    let changes: Vec<(&str, LoadedSpec)> = vec![
        (
            "add an optional field",
            edit(&base, |j| {
                schema(j, "Ticket")["properties"]["priority"] =
                    json!({ "type": "string", "description": "Priority." });
            }),
        ),
        (
            "make a field required",
            edit(&base, |j| {
                let t = schema(j, "Ticket");
                let mut required = t.get("required").cloned().unwrap_or(json!([]));
                required.as_array_mut().unwrap().push(json!("key"));
                t["required"] = required;
            }),
        ),
        (
            "remove an operation",
            edit(&base, |j| {
                j["paths"]["/v2/issueLink/{issueLinkId}"]
                    .as_object_mut()
                    .unwrap()
                    .remove("delete");
            }),
        ),
        (
            "change a type",
            edit(&base, |j| {
                let id = &mut schema(j, "TicketCreated")["properties"]["id"];
                *id = json!({ "type": "string" });
                // Keep the documented example valid under the new type.
                {
                    let op = "post";
                    let ex = j.pointer_mut(&format!(
                        "/paths/~1v2~1orgs~1{{org}}~1ticket/{op}/responses/201/content/application~1json/example/id"
                    ));
                    if let Some(ex) = ex {
                        *ex = json!("3645");
                    }
                }
            }),
        ),
        (
            "add an enum value",
            edit(&base, |j| {
                schema(j, "TicketingProvider")["enum"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("JNEW"));
            }),
        ),
    ];

    for (what, changed) in changes {
        let lint = masstack_codegen::lint::lint(&changed);
        assert!(
            lint.is_empty(),
            "{what}: the changed spec must stay valid: {lint:?}"
        );
        let files = generate(&changed).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_ne!(
            files, base_files,
            "{what}: the generated files did not change"
        );
        let changed_surface = surface(&changed);
        assert_ne!(
            changed_surface, base_surface,
            "{what}: the API surface did not change"
        );
        let diff = similar::TextDiff::from_lines(&base_surface, &changed_surface);
        let changed_lines = diff
            .iter_all_changes()
            .filter(|c| c.tag() != similar::ChangeTag::Equal)
            .count();
        assert!(
            changed_lines <= 12,
            "{what}: a small spec change should be a small surface diff, got {changed_lines} lines"
        );
    }
}
