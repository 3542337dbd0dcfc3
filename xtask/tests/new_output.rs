//! Adding a third API is one command: in a copy of this workspace,
//! `cargo xtask new` adds an output from a spec nobody here wrote, and then
//! `check`, the API-surface snapshot, `cargo build` of the new crate and the
//! `ticketing` command line all work, with no other change.

mod common;

use std::path::Path;
use std::process::Command;

use common::{copy_workspace, root, run, xtask};

#[test]
fn a_third_api_is_one_command() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    copy_workspace(ws);
    add_keeper_output(ws);
    assert_keeper_is_wired_in(ws);
    assert_regenerating_changes_nothing(ws);
    assert_surface_test_picks_keeper_up(ws);
    assert_crate_and_cli_build_with_keeper(ws);
}

/// `cargo xtask new` from a spec written by others (progenitor's sample
/// "keeper" API) creates the crate's files.
fn add_keeper_output(ws: &Path) {
    std::fs::copy(
        ws.join("tests/corpus/prog-keeper.json"),
        ws.join("spec/keeper.json"),
    )
    .unwrap();

    let out = run(&mut xtask(
        ws,
        &[
            "new",
            "keeper-client",
            "--spec",
            "spec/keeper.json",
            "--extras",
            "cli,httpmock",
            "--cli-name",
            "keeper",
        ],
    ));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("created output `keeper-client`"), "{said}");
    for file in [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        "src/generated/mod.rs",
        "src/generated/client.rs",
        "src/generated/cli.rs",
        "src/generated/mock.rs",
    ] {
        assert!(
            ws.join("crates/keeper-client").join(file).exists(),
            "{file} was not created"
        );
    }
}

/// The manifest, the workspace and the CLI know the new crate.
fn assert_keeper_is_wired_in(ws: &Path) {
    let manifest = std::fs::read_to_string(ws.join("spec/codegen.toml")).unwrap();
    assert!(manifest.contains("name = \"keeper-client\""), "{manifest}");
    // Published where the runtime is, and depending on it from there.
    let keeper_cargo = std::fs::read_to_string(ws.join("crates/keeper-client/Cargo.toml")).unwrap();
    // The runtime's version as it is now (a release moves it).
    let runtime_version =
        std::fs::read_to_string(ws.join("crates/masstack-client-runtime/Cargo.toml"))
            .unwrap()
            .lines()
            .find_map(|l| {
                Some(
                    l.strip_prefix("version = \"")?
                        .trim_end_matches('"')
                        .to_owned(),
                )
            })
            .unwrap();
    assert!(
        keeper_cargo.contains("publish = [\"masstack\"]")
            && keeper_cargo.contains(&format!(
                "masstack-client-runtime = {{ version = \"{runtime_version}\", path = \"../../crates/masstack-client-runtime\", registry = \"masstack\", default-features = false }}"
            )),
        "{keeper_cargo}"
    );
    let cargo = std::fs::read_to_string(ws.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("\"crates/keeper-client\""), "{cargo}");
    let cli_deps =
        std::fs::read_to_string(ws.join("crates/masstack-ticketing-cli/Cargo.toml")).unwrap();
    assert!(
        cli_deps.contains("keeper-client"),
        "the CLI depends on the new crate: {cli_deps}"
    );
}

/// Regenerating changes nothing; check agrees.
fn assert_regenerating_changes_nothing(ws: &Path) {
    let out = run(&mut xtask(ws, &["regenerate"]));
    assert!(String::from_utf8_lossy(&out.stdout).contains("are up to date"));
    run(&mut xtask(ws, &["check"]));
}

/// The surface test picks the new output up from the manifest.
fn assert_surface_test_picks_keeper_up(ws: &Path) {
    let keeper = masstack_codegen::manifest::load(ws, "spec/codegen.toml")
        .unwrap()
        .outputs
        .into_iter()
        .find(|o| o.name == "keeper-client")
        .unwrap();
    let spec = masstack_codegen::load::load(ws, &keeper.spec).unwrap();
    let manifest = masstack_codegen::manifest::load(ws, "spec/codegen.toml").unwrap();
    let files = masstack_codegen::generate("spec/codegen.toml", &manifest, &keeper, &spec).unwrap();
    let client = files
        .iter()
        .find(|f| f.path.ends_with("client.rs"))
        .unwrap();
    let surface = masstack_codegen::surface::render(&spec.json, &client.contents).unwrap();
    assert!(surface.contains("enrol: POST /enrol"), "{surface}");
}

/// The crate and the command line build, and the CLI mounts the API.
fn assert_crate_and_cli_build_with_keeper(ws: &Path) {
    // One scratch target for every nested build of the tests (deps are
    // shared); no debug info: it is compiled to be run once, and CI's disk
    // is finite. The CLI without its `sandbox` feature: the server it adds
    // (its own crates, a third of this build) has nothing to do with a
    // mounted API, and CI builds the CLI with it.
    let target = root().join("target/nested");
    run(Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "-p",
            "keeper-client",
            "-p",
            "masstack-ticketing-cli",
            "--no-default-features",
            "--features",
            "keeper-client/default",
        ])
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_PROFILE_DEV_DEBUG", "0"));
    let help = run(Command::new(target.join("debug/ticketing")).args(["keeper", "--help"]));
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("enrol"),
        "ticketing keeper --help lists its operations:\n{help}"
    );
}
