//! The version rule and the release, in a git copy of this workspace: a
//! breaking spec change since the last `release-*` tag makes `check` fail
//! until `release` bumps the crate, which also moves the workspace's
//! requirements on it and writes its changelog entry (once, however often it
//! runs).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{copy_workspace, git, run, text, xtask};

fn output(command: &mut Command) -> Output {
    command.output().unwrap()
}

fn ok(command: &mut Command) -> String {
    text(&run(command))
}

/// A copy of the workspace in a git repository whose one commit is tagged
/// The OSSJ spec's `info.version` 1.0.0 -> 1.1.0, regenerated.
fn new_ossj_api_version(ws: &Path) {
    let spec = ws.join("spec/ticketing-ossj.yaml");
    let edited = read(spec.clone()).replacen("\n  version: 1.0.0\n", "\n  version: 1.1.0\n", 1);
    std::fs::write(&spec, edited).unwrap();
    ok(&mut xtask(ws, &["regenerate"]));
}

/// as the last release.
fn released_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    copy_workspace(ws);
    ok(&mut git(ws, &["init", "-q", "-b", "main"]));
    ok(&mut git(ws, &["add", "-A"]));
    ok(&mut git(ws, &["commit", "-q", "-m", "base"]));
    ok(&mut git(ws, &["tag", "release-test"]));
    dir
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The `package.version` of the crate in `crate_dir` (as written, build
/// metadata included).
fn version_in(ws: &Path, crate_dir: &str) -> String {
    read(ws.join(crate_dir).join("Cargo.toml"))
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .unwrap()
        .trim_matches('"')
        .to_owned()
}

/// The next patch of `version` (build metadata dropped).
fn next_patch(version: &str) -> String {
    let core = version.split('+').next().unwrap();
    let (minor, patch) = core.rsplit_once('.').unwrap();
    format!("{minor}.{}", patch.parse::<u64>().unwrap() + 1)
}

/// `check` passes: nothing stale, every version high enough.
fn assert_check_passes(ws: &Path) {
    let said = ok(&mut xtask(ws, &["check"]));
    assert!(
        said.contains("crate versions are what the changes require"),
        "{said}"
    );
}

#[test]
fn a_breaking_change_needs_a_release_and_release_makes_it() {
    let dir = released_copy();
    let ws = dir.path();
    let before = version_in(ws, "crates/masstack-ticketing");
    let (major, rest) = before.split_once('.').unwrap();
    let minor: u64 = rest.split('.').next().unwrap().parse().unwrap();
    assert_eq!(major, "0", "{before}");
    let next = format!("0.{}.0", minor + 1);

    // A renamed operation: existing callers of `get_ia_duration` break.
    let spec = ws.join("spec/ticketing-v2.yaml");
    let edited = read(spec.clone()).replace(
        "operationId: getIaDuration",
        "operationId: getIaProcessingTime",
    );
    std::fs::write(&spec, edited).unwrap();
    // Before regenerating, both problems at once: the stale files and the
    // version (one is not hidden behind the other).
    let check = output(&mut xtask(ws, &["check"]));
    let said = text(&check);
    assert!(
        !check.status.success()
            && said.contains("generated file(s) differ from what the specs produce")
            && said.contains("masstack-ticketing: version"),
        "{said}"
    );
    ok(&mut xtask(ws, &["regenerate"]));

    let check = output(&mut xtask(ws, &["check"]));
    let said = text(&check);
    assert!(!check.status.success(), "check passed:\n{said}");
    assert!(
        said.contains(&format!(
            "masstack-ticketing: version {} is lower than {next}",
            before.split('+').next().unwrap()
        )) && said.contains("getIaProcessingTime")
            && said.contains("run `cargo xtask release`"),
        "{said}"
    );

    let report = ok(&mut xtask(ws, &["changes"]));
    assert!(
        report.contains("`masstack-ticketing` (spec/ticketing-v2.yaml): **breaking**"),
        "{report}"
    );

    // Twice: the second run finds the version already right and rewrites
    // the same changelog entry instead of adding another.
    for _ in 0..2 {
        ok(&mut xtask(ws, &["release"]));
    }
    assert_eq!(
        version_in(ws, "crates/masstack-ticketing"),
        format!("{next}+api.2.0.0"),
        "the build metadata keeps the spec's info.version"
    );
    let changelog = read(ws.join("crates/masstack-ticketing/CHANGELOG.md"));
    let heading = format!("## [{next}+api.2.0.0]");
    assert_eq!(changelog.matches(&heading).count(), 1, "{changelog}");
    let entry = &changelog[changelog.find(&heading).unwrap()..];
    let entry = &entry[..entry[1..].find("\n## ").map_or(entry.len(), |i| i + 1)];
    assert!(
        entry.contains("**Breaking:**") && entry.contains("getIaProcessingTime"),
        "{entry}"
    );
    // The CLI depends on the crate by path and version: the requirement moved.
    let cli = read(ws.join("crates/masstack-ticketing-cli/Cargo.toml"));
    assert!(
        cli.contains(&format!(
            "masstack-ticketing = {{ version = \"{next}\", path = \"../masstack-ticketing\""
        )),
        "{cli}"
    );
    // The other crate did not change.
    let ossj = read(ws.join("crates/masstack-ticketing-ossj/Cargo.toml"));
    assert!(
        !ws.join("crates/masstack-ticketing-ossj/CHANGELOG.md")
            .exists()
            || !read(ws.join("crates/masstack-ticketing-ossj/CHANGELOG.md")).contains(&heading),
        "{ossj}"
    );
    assert_check_passes(ws);
}

#[test]
fn a_new_api_version_alone_is_a_patch_release() {
    let dir = released_copy();
    let ws = dir.path();
    new_ossj_api_version(ws);

    let check = output(&mut xtask(ws, &["check"]));
    let said = text(&check);
    assert!(
        !check.status.success() && said.contains("`+api.1.1.0`"),
        "{said}"
    );
    let cargo_toml = ws.join("crates/masstack-ticketing-ossj/Cargo.toml");
    let released = version_in(ws, "crates/masstack-ticketing-ossj");
    let next = next_patch(&released);
    // New build metadata by hand is not a new version to a registry: the
    // crate (which embeds the API version) changed, so check still fails.
    let core = released.split('+').next().unwrap();
    let by_hand = read(cargo_toml.clone()).replace(
        &format!("version = \"{released}\""),
        &format!("version = \"{core}+api.1.1.0\""),
    );
    std::fs::write(&cargo_toml, by_hand).unwrap();
    let check = output(&mut xtask(ws, &["check"]));
    let said = text(&check);
    assert!(
        !check.status.success()
            && said.contains(&format!("version {core} is lower than {next}"))
            && said
                .contains("api-version info.version: The API's version is now 1.1.0 (was 1.0.0)"),
        "{said}"
    );
    ok(&mut xtask(ws, &["release"]));
    let cargo = read(cargo_toml);
    assert!(
        cargo.contains(&format!("\nversion = \"{next}+api.1.1.0\"\n")),
        "{cargo}"
    );
    let changelog = read(ws.join("crates/masstack-ticketing-ossj/CHANGELOG.md"));
    assert!(
        changelog.contains(&format!("## [{next}+api.1.1.0]"))
            && changelog.contains("The API's version is now 1.1.0"),
        "{changelog}"
    );
    assert_check_passes(ws);
}

/// A change made through the manifest's fixes (here an operation skipped)
/// changes the crate as much as a spec edit: the base is read with the
/// base's own fixes.
#[test]
fn a_change_through_the_manifest_fixes_is_a_change() {
    let dir = released_copy();
    let ws = dir.path();
    let manifest = ws.join("spec/codegen.toml");
    let was = read(manifest.clone());
    let (head, tail) = was.split_at(was.find("\n[[output]]\nname = \"ticketing-ossj\"").unwrap());
    std::fs::write(
        &manifest,
        format!("{head}\n[output.fixes]\nskip_operations = [\"getIaDuration\"]\n{tail}"),
    )
    .unwrap();
    ok(&mut xtask(ws, &["regenerate"]));
    let check = output(&mut xtask(ws, &["check"]));
    let said = text(&check);
    assert!(
        !check.status.success() && said.contains("operation-removed operation getIaDuration"),
        "{said}"
    );
}

/// New doc comments change the published files: a registry cannot take the
/// same version twice, so it is a patch release, reported as documentation;
/// the release's own edits (version, changelog) do not call for another.
#[test]
fn a_description_alone_is_a_patch_release_reported_as_documentation() {
    let dir = released_copy();
    let ws = dir.path();
    let released = version_in(ws, "crates/masstack-ticketing");
    let released = released.split('+').next().unwrap().to_owned();
    let next = next_patch(&released);
    let spec = ws.join("spec/ticketing-v2.yaml");
    let edited = read(spec.clone()).replace(
        "summary: Get the AI-predicted resolution date of a ticket",
        "summary: Get the resolution date the AI service predicts for a ticket",
    );
    std::fs::write(&spec, edited).unwrap();
    ok(&mut xtask(ws, &["regenerate"]));

    let check = output(&mut xtask(ws, &["check"]));
    let said = text(&check);
    assert!(
        !check.status.success()
            && said.contains(&format!("masstack-ticketing: version {released} is lower than {next}"))
            && said.contains("documentation crate files: only documentation changed: src/generated/cli.rs, src/generated/client.rs"),
        "{said}"
    );
    let report = ok(&mut xtask(ws, &["changes"]));
    assert!(
        report.contains("| `documentation` |")
            && report.contains("`masstack-ticketing-ossj` (spec/ticketing-ossj.yaml): no change"),
        "{report}"
    );
    for _ in 0..2 {
        ok(&mut xtask(ws, &["release"]));
    }
    let cargo_toml = read(ws.join("crates/masstack-ticketing/Cargo.toml"));
    assert!(
        cargo_toml.contains(&format!("version = \"{next}+api.2.0.0\"")),
        "{cargo_toml}"
    );
    let changelog = read(ws.join("crates/masstack-ticketing/CHANGELOG.md"));
    assert_eq!(
        changelog.matches(&format!("## [{next}+api.2.0.0]")).count(),
        1,
        "{changelog}"
    );
    assert_check_passes(ws);
}

/// The runtime is published beside the clients: a change to its code needs
/// a release of its own. cargo-semver-checks judges how much (here: a
/// public function renamed, which breaks callers); without it, `check`
/// requires a patch and says the API was not compared.
#[test]
fn a_runtime_change_needs_its_own_release() {
    let dir = released_copy();
    let ws = dir.path();
    let cargo_toml = ws.join("crates/masstack-client-runtime/Cargo.toml");
    let before = version_in(ws, "crates/masstack-client-runtime");
    let client_before = version_in(ws, "crates/masstack-ticketing");
    let (major, rest) = before.split_once('.').unwrap();
    assert_eq!(major, "0", "{before}");
    let (minor, patch) = rest.split_once('.').unwrap();
    let (minor, patch): (u64, u64) = (minor.parse().unwrap(), patch.parse().unwrap());
    for (file, from, to) in [
        (
            "src/tls.rs",
            "pub fn trust_store()",
            "pub fn trust_store_kind()",
        ),
        (
            "src/lib.rs",
            "pub use tls::{TrustStore, trust_store};",
            "pub use tls::{TrustStore, trust_store_kind};",
        ),
    ] {
        let path = ws.join("crates/masstack-client-runtime").join(file);
        let text = read(path.clone());
        assert!(text.contains(from), "{file} no longer has {from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }
    let semver_checks = Command::new(env!("CARGO"))
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    let required = if semver_checks {
        format!("0.{}.0", minor + 1)
    } else {
        masstack_testkit::skipped(
            "the cargo-semver-checks half of the runtime's version rule",
            "cargo-semver-checks is not installed (cargo install cargo-semver-checks --locked)",
            "MASSTACK_REQUIRE_SEMVER_CHECKS",
        );
        format!("0.{minor}.{}", patch + 1)
    };
    let check = output(&mut xtask(ws, &["check"]));
    let said = text(&check);
    assert!(
        !check.status.success()
            && said.contains(&format!(
                "masstack-client-runtime: version {before} is lower than {required}"
            ))
            && said.contains("code-changed crate files: code changed: src/lib.rs, src/tls.rs"),
        "{said}"
    );
    if semver_checks {
        assert!(
            said.contains("cargo-semver-checks: semver requires new"),
            "{said}"
        );
    } else {
        assert!(
            said.contains("cargo-semver-checks is not installed"),
            "{said}"
        );
    }
    ok(&mut xtask(ws, &["release"]));
    assert!(
        read(cargo_toml).contains(&format!("version = \"{required}\"")),
        "the runtime is bumped to {required}"
    );
    let changelog = read(ws.join("crates/masstack-client-runtime/CHANGELOG.md"));
    assert!(
        changelog.contains(&format!("## [{required}]")),
        "{changelog}"
    );
    let client = read(ws.join("crates/masstack-ticketing/Cargo.toml"));
    assert!(
        client.contains(&format!(
            "masstack-client-runtime = {{ version = \"{required}\""
        )),
        "the clients' requirement moved: {client}"
    );
    // A breaking runtime breaks the clients, which re-export its types: they
    // are released too (not when only a patch of the runtime was asked).
    let client_after = version_in(ws, "crates/masstack-ticketing");
    assert_eq!(
        semver_checks,
        client_after != client_before,
        "{client_after}"
    );
    if semver_checks {
        let changelog = read(ws.join("crates/masstack-ticketing/CHANGELOG.md"));
        let entry = &changelog[changelog.find(&format!("## [{client_after}]")).unwrap()..];
        let entry = &entry[..entry[1..].find("\n## ").map_or(entry.len(), |i| i + 1)];
        assert!(entry.contains("(runtime-breaking): requires"), "{entry}");
    }
    assert_check_passes(ws);
}

/// A feature that leaves a crate's default features breaks the consumers
/// that relied on it: `check` requires a breaking release and says which
/// feature, whether cargo-semver-checks is installed or not.
#[test]
fn a_feature_leaving_the_defaults_needs_a_breaking_release() {
    let dir = released_copy();
    let ws = dir.path();
    let before = version_in(ws, "crates/masstack-client-runtime");
    let minor: u64 = before.split('.').nth(1).unwrap().parse().unwrap();
    let cargo_toml = ws.join("crates/masstack-client-runtime/Cargo.toml");
    let manifest = read(cargo_toml.clone());
    assert!(manifest.contains("default = [\"rustls\"]"), "{manifest}");
    std::fs::write(
        &cargo_toml,
        manifest.replace("default = [\"rustls\"]", "default = []"),
    )
    .unwrap();
    let check = output(&mut xtask(ws, &["check"]));
    let said = text(&check);
    assert!(
        !check.status.success()
            && said.contains(&format!(
                "masstack-client-runtime: version {before} is lower than 0.{}.0",
                minor + 1
            ))
            && said
                .contains("default-features default features: no longer on by default: `rustls`")
            && said.contains(r#"it adds `features = ["rustls"]` to keep them"#),
        "{said}"
    );
}

/// A release whose packaging fails leaves every file as it was: the
/// versions, the requirements and the changelogs are written all or none,
/// and put back when `cargo package` fails.
#[test]
fn a_failed_release_puts_every_file_back() {
    let dir = released_copy();
    let ws = dir.path();
    new_ossj_api_version(ws);
    ok(&mut git(ws, &["add", "-A"]));
    ok(&mut git(ws, &["commit", "-q", "-m", "a new API version"]));
    // `release` runs `$CARGO package`: here a command that fails.
    let failed = output(xtask(ws, &["release"]).env("CARGO", "false"));
    let said = text(&failed);
    assert!(
        !failed.status.success() && said.contains("failed; every file is as it was"),
        "{said}"
    );
    let status = ok(&mut git(
        ws,
        &["status", "--porcelain", "--untracked-files=all"],
    ));
    assert_eq!(status.trim(), "", "the release left files changed");
}
