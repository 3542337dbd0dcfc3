//! Per-tag features through the workflow, in a git copy of this workspace:
//! `new --per-tag` on a spec written by others (Redocly's museum, three
//! tags) gates each tag's operations and the types only they use, keeps
//! the features in the crate's `Cargo.toml`, shows them in the API
//! surface, and the change review judges an operation moved to another
//! tag. (CI compiles each tag's feature alone for every multi-tag corpus
//! spec: `cargo xtask corpus … --per-tag`.)

mod common;

use common::{copy_workspace, git, root, run, text, xtask};

/// The `#[cfg(…)]` line of the item that starts with `item`, if any.
fn gate_of<'a>(client: &'a str, item: &str) -> Option<&'a str> {
    let at = client.find(item).unwrap_or_else(|| panic!("no `{item}`"));
    let before = &client[..at];
    let cfg = before.rfind("#[cfg(")?;
    let between = &before[cfg..];
    // Nothing but attributes and doc comments between the gate and the item.
    let other_item = [
        "\n}",
        "\n    }",
        "\n        }",
        "pub fn ",
        "pub struct ",
        "impl ",
    ]
    .iter()
    .any(|end| between.contains(end));
    (!other_item).then(|| &between[..between.find('\n').unwrap_or(between.len())])
}

#[test]
fn each_tag_is_a_feature_from_new_to_the_change_review() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    copy_workspace(ws);
    let spec = ws.join("spec/museum.yaml");
    std::fs::copy(
        root().join("tests/corpus-versions/redocly-museum.yaml"),
        &spec,
    )
    .unwrap();
    let said = text(&run(&mut xtask(
        ws,
        &["new", "museum", "--spec", "spec/museum.yaml", "--per-tag"],
    )));
    assert!(said.contains("created output `museum`"), "{said}");
    let manifest = std::fs::read_to_string(ws.join("spec/codegen.toml")).unwrap();
    assert!(manifest.contains("features = \"per-tag\""), "{manifest}");

    let cargo = std::fs::read_to_string(ws.join("crates/museum/Cargo.toml")).unwrap();
    for line in [
        "full = [\"events\", \"operations\", \"tickets\"]",
        "events = []",
        "operations = []",
        "tickets = []",
    ] {
        assert!(cargo.contains(line), "missing `{line}` in\n{cargo}");
    }
    let default = cargo.lines().find(|l| l.starts_with("default = ")).unwrap();
    assert!(default.contains("\"full\""), "{default}");

    let client_path = ws.join("crates/museum/src/generated/client.rs");
    let client = std::fs::read_to_string(&client_path).unwrap();
    for (gate, item) in [
        // An operation, and its builder.
        (
            "#[cfg(feature = \"events\")]",
            "pub fn list_special_events(&self)",
        ),
        (
            "#[cfg(feature = \"events\")]",
            "pub struct ListSpecialEvents<'a>",
        ),
        (
            "#[cfg(feature = \"tickets\")]",
            "pub fn buy_museum_tickets(&self)",
        ),
        // A type only the tickets' operations use.
        (
            "#[cfg(feature = \"tickets\")]",
            "pub struct BuyMuseumTickets {",
        ),
        (
            "#[cfg(feature = \"operations\")]",
            "pub struct MuseumHours(",
        ),
    ] {
        assert_eq!(gate_of(&client, item), Some(gate), "`{item}`");
    }
    // The webhook's payload is compiled whatever the features, as is what it
    // uses, although the events' operations use it too.
    assert_eq!(gate_of(&client, "pub struct SpecialEvent {"), None);

    let spec_json = masstack_codegen::load::load(ws, "spec/museum.yaml").unwrap();
    let surface = masstack_codegen::surface::render(&spec_json.json, &client).unwrap();
    assert!(
        surface
            .lines()
            .any(|l| l.starts_with("getMuseumHours: GET /museum-hours")
                && l.ends_with("[feature: operations]")),
        "{surface}"
    );
    assert!(
        surface.contains("struct BuyMuseumTickets [feature: tickets]"),
        "{surface}"
    );

    run(&mut git(ws, &["init", "-q", "-b", "main"]));
    run(&mut git(ws, &["add", "-A"]));
    run(&mut git(ws, &["commit", "-q", "-m", "base"]));
    run(&mut git(ws, &["tag", "release-test"]));

    // The museum's hours move from `Operations` (its only operation) to `Tickets`.
    let edited = std::fs::read_to_string(&spec).unwrap().replace(
        "      tags:\n        - Operations\n",
        "      tags:\n        - Tickets\n",
    );
    std::fs::write(&spec, edited).unwrap();
    run(&mut xtask(ws, &["regenerate"]));
    let cargo = std::fs::read_to_string(ws.join("crates/museum/Cargo.toml")).unwrap();
    assert!(
        cargo.contains("full = [\"events\", \"tickets\"]") && !cargo.contains("operations = []"),
        "the gone tag's feature stays:\n{cargo}"
    );
    let changes = xtask(ws, &["changes", "--base", "release-test"])
        .output()
        .unwrap();
    let said = text(&changes);
    assert!(changes.status.success(), "{said}");
    for expected in [
        "`museum` (spec/museum.yaml): **breaking**",
        "| `feature-removed` | [feature operations](spec/museum.yaml#/tags): removed |",
        "`features-moved` | [operation getMuseumHours](spec/museum.yaml#/paths/~1museum-hours/get): features operations -> tickets |",
        "code built with only `operations` no longer has it",
    ] {
        assert!(said.contains(expected), "missing `{expected}` in\n{said}");
    }
}
