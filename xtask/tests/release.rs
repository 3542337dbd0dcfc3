//! The version rule and the release, in a git copy of this workspace: a
//! breaking spec change since the last `release-*` tag makes `check` fail
//! until `release` bumps the crate, which also moves the workspace's
//! requirements on it and writes its changelog entry (once, however often it
//! runs).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{copy_workspace, run, xtask};

fn output(command: &mut Command) -> Output {
    command.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(command: &mut Command) -> String {
    text(&run(command))
}

fn git(ws: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(ws)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(args);
    command
}

/// A copy of the workspace in a git repository whose one commit is tagged
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

#[test]
fn a_breaking_change_needs_a_release_and_release_makes_it() {
    let dir = released_copy();
    let ws = dir.path();
    let cargo_toml = ws.join("crates/masstack-ticketing/Cargo.toml");
    let version = |text: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("version = "))
            .unwrap()
            .trim_matches('"')
            .to_owned()
    };
    let before = version(&read(cargo_toml.clone()));
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
        version(&read(cargo_toml)),
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
    let said = ok(&mut xtask(ws, &["check"]));
    assert!(
        said.contains("crate versions are what the changes require"),
        "{said}"
    );
}

#[test]
fn a_new_api_version_alone_is_a_patch_release() {
    let dir = released_copy();
    let ws = dir.path();
    let spec = ws.join("spec/ticketing-ossj.yaml");
    let edited = read(spec.clone()).replacen("\n  version: 1.0.0\n", "\n  version: 1.1.0\n", 1);
    std::fs::write(&spec, edited).unwrap();
    ok(&mut xtask(ws, &["regenerate"]));

    let check = output(&mut xtask(ws, &["check"]));
    let said = text(&check);
    assert!(
        !check.status.success() && said.contains("`+api.1.1.0`"),
        "{said}"
    );
    let cargo_toml = ws.join("crates/masstack-ticketing-ossj/Cargo.toml");
    let before = read(cargo_toml.clone());
    let before = before
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .unwrap();
    let core = before.split('+').next().unwrap();
    let (minor, patch) = core.rsplit_once('.').unwrap();
    let next = format!("{minor}.{}", patch.parse::<u64>().unwrap() + 1);
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
    let said = ok(&mut xtask(ws, &["check"]));
    assert!(
        said.contains("crate versions are what the changes require"),
        "{said}"
    );
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
