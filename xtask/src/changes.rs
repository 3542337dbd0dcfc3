//! `cargo xtask changes` and `cargo xtask release`, and the version rule of
//! `cargo xtask check`: each output's spec compared with its version at a
//! base revision, the changes judged (wire and Rust), and the version Cargo's
//! semver rules then require of its crate.

mod release;
mod revision;

use std::path::Path;
use std::process::{Command, ExitCode};

use masstack_codegen::changes::report::{self, CrateReport, Version, core_version};

use crate::published;
use masstack_codegen::changes::{self, Bump, ChangeKind, Policy};
use masstack_codegen::crate_manifest::Workspace;
use masstack_codegen::manifest;
use masstack_codegen::{Diagnostic, Error, Location, fixes, load};
use toml_edit::DocumentMut;

/// `cargo xtask changes`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The revision to compare with (default: the last `release-*` tag, else
    /// `origin/main`, else the merge base with `main`).
    #[arg(long)]
    base: Option<String>,
    /// The review's format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
}

/// The format of `cargo xtask changes`' review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For a pull request.
    Markdown,
    /// For a program.
    Json,
}

pub use release::run as release;

/// `cargo xtask release`'s arguments.
#[derive(clap::Args)]
pub struct ReleaseArgs {
    /// The revision released last (default: as for `changes`).
    #[arg(long)]
    base: Option<String>,
    /// Say what would change, change nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn invalid(message: String) -> Error {
    Error::Invalid(vec![Diagnostic::new(
        "cargo xtask",
        Location::File,
        message,
    )])
}

pub fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The base revision: given, else the last release tag, else the merge base
/// with `origin/main`, else with `main`; `None` outside a git checkout.
pub fn base(root: &Path, given: Option<&str>) -> Option<String> {
    if let Some(rev) = given {
        return Some(rev.to_owned());
    }
    git(
        root,
        &["describe", "--tags", "--abbrev=0", "--match", "release-*"],
    )
    // Where the branch left main, not main's tip: changes made on main since
    // are not this branch's (they would read as reverted).
    .or_else(|| git(root, &["merge-base", "HEAD", "origin/main"]))
    .or_else(|| git(root, &["merge-base", "HEAD", "main"]))
}

/// One published crate's review (an output's, or the runtime's), with what
/// `check` and `release` read beside it.
pub struct Reviewed {
    /// The crate's directory, relative to the root.
    pub crate_dir: String,
    /// The run-time crate it depends on (an output's `client.runtime`).
    pub runtime: Option<String>,
    /// The changes since the base and the versions.
    pub report: CrateReport,
    /// The spec's `info.version`, kept as build metadata (outputs only).
    pub api_version: Option<String>,
    /// The crate's version as written, build metadata included (`None`
    /// when it is not a version).
    pub full_version: Option<Version>,
}

/// The review of every output against `base`.
pub fn reports(root: &Path, manifest_path: &str, base: &str) -> Result<Vec<Reviewed>, Error> {
    if git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{base}^{{commit}}"),
        ],
    )
    .is_none()
    {
        return Err(invalid(format!(
            "`{base}` is not a revision of this repository; give one with --base"
        )));
    }
    let manifest = manifest::load(root, manifest_path)?;
    // The manifest as it was: a policy change is a change of its own.
    let base_manifest = git(root, &["show", &format!("{base}:{manifest_path}")])
        .and_then(|text| manifest::parse(manifest_path, &text).ok());
    // The run-time crates first: a breaking change of one breaks the
    // clients that re-export its types (`ClientConfig`, `ConfigError`, …).
    let runtimes: std::collections::BTreeSet<String> = manifest
        .outputs
        .iter()
        .filter_map(manifest::Output::runtime_package)
        .collect();
    let mut runtime_reviews = Vec::new();
    for package in &runtimes {
        runtime_reviews.extend(runtime_review(root, base, package)?);
    }
    let mut out = Vec::new();
    for output in manifest
        .outputs
        .iter()
        .filter(|o| published::is_published(root, o))
    {
        // The output as the base's manifest had it: its spec and crate may
        // have moved and its fixes changed (each side is read with its own).
        let was = base_manifest
            .as_ref()
            .and_then(|m| m.outputs.iter().find(|o| o.name == output.name));
        out.push(output_review(
            root,
            manifest_path,
            base,
            output,
            was,
            &runtime_reviews,
        )?);
    }
    out.extend(runtime_reviews);
    Ok(out)
}

/// One output's review: its spec at the base and now, its crate's files,
/// the manifest's settings, the runtime it re-exports.
fn output_review(
    root: &Path,
    manifest_path: &str,
    base: &str,
    output: &manifest::Output,
    was: Option<&manifest::Output>,
    runtime_reviews: &[Reviewed],
) -> Result<Reviewed, Error> {
    let head = fixes::apply(
        root,
        manifest_path,
        &output.fixes,
        load::load(root, &output.spec)?,
    )?;
    let cargo = format!("{}/Cargo.toml", output.crate_dir.trim_end_matches('/'));
    let cargo_text =
        std::fs::read_to_string(root.join(&cargo)).map_err(|e| Error::io(root.join(&cargo), e))?;
    let full_version = package_version(&cargo_text).unwrap_or_default();
    let base_cargo = was.map_or(cargo.clone(), |w| {
        format!("{}/Cargo.toml", w.crate_dir.trim_end_matches('/'))
    });
    let base_cargo_text = git(root, &["show", &format!("{base}:{base_cargo}")]);
    let base_version =
        (base_cargo_text.as_deref()).and_then(|t| core_version(&package_version(t)?));
    let old = old_spec(root, manifest_path, base, output, was)?;
    let per_tag = was.is_some_and(|w| Policy::of(w).per_tag) && Policy::of(output).per_tag;
    let mut changes = old.as_ref().map_or_else(Vec::new, |old| {
        let mut found = changes::diff(&old.json, &head.json, &Policy::of(output));
        if per_tag {
            found.extend(changes::feature_changes(&old.json, &head.json));
        }
        for change in &mut found {
            change.pointer = written(&change.pointer, old, &head);
        }
        found
    });
    // Nothing in the spec's API, yet the shipped files differ.
    if let (true, Some(was)) = (changes.is_empty(), was) {
        changes.extend(unexplained(root, base, output, was, old.as_ref(), &head)?);
    }
    changes.extend(published::default_features_change(
        base_cargo_text.as_deref(),
        &cargo_text,
        &cargo,
    ));
    if let Some(was) = was {
        changes.extend(changes::policy_changes(
            &Policy::of(was),
            &Policy::of(output),
            manifest_path,
            &output.name,
        ));
        changes.extend(changes::settings_changes(
            &was.client,
            &output.client,
            manifest_path,
            &output.name,
        ));
    }
    let runtime = output.runtime_package();
    if let Some(broken) = runtime_reviews.iter().find(|r| {
        Some(&r.report.package) == runtime.as_ref() && r.report.bump == Some(Bump::Breaking)
    }) {
        changes.push(runtime_broke(&broken.report));
    }
    Ok(Reviewed {
        report: CrateReport::new(
            &output.name,
            output.crate_name(),
            &output.spec,
            base_version,
            core_version(&full_version),
            changes,
        ),
        api_version: Some(head.openapi.info.version.clone()),
        full_version: Version::parse(&full_version).ok(),
        crate_dir: output.crate_dir.clone(),
        runtime,
    })
}

/// Where a change's node was written, as `file#/pointer`: in the newer
/// spec, or in the older when it is gone. A spec of several files or of
/// another OpenAPI version is compared in the 3.0 shape; its reader wants
/// the file and the pointer it wrote.
fn written(
    pointer: &str,
    old: &masstack_codegen::LoadedSpec,
    head: &masstack_codegen::LoadedSpec,
) -> String {
    let Some(path) = pointer.strip_prefix('#') else {
        return pointer.to_owned();
    };
    let spec = if head.json.pointer(path).is_some() {
        head
    } else {
        old
    };
    if spec.origin.is_as_written() {
        return pointer.to_owned();
    }
    let written = spec.written(pointer);
    format!("{}{}", written.file, written.pointer)
}

/// The output's spec at the base, with the base's fixes; `None` for a new
/// output (nothing to compare with).
fn old_spec(
    root: &Path,
    manifest_path: &str,
    base: &str,
    output: &manifest::Output,
    was: Option<&manifest::Output>,
) -> Result<Option<masstack_codegen::LoadedSpec>, Error> {
    let base_spec = was.map_or(&output.spec, |w| &w.spec);
    let revision = revision::Revision { root, base };
    // A new output: nothing to compare with. (`cat-file -e` finds a folder
    // too; `load_from` reads it, once.)
    let exists = git(root, &["cat-file", "-e", &format!("{base}:{base_spec}")]).is_some();
    if !exists {
        return Ok(None);
    }
    let old = load::load_from(&revision, base_spec)?;
    Ok(Some(match was {
        Some(was) => base_fixes(root, base, manifest_path, &was.fixes, old)?,
        None => fixes::apply(root, manifest_path, &output.fixes, old)?,
    }))
}

/// The change of an output whose spec's API did not change, yet whose
/// shipped files differ: a new `info.version` (the crate embeds it), new
/// descriptions, or the generator's output changed. A registry takes no
/// version twice.
fn unexplained(
    root: &Path,
    base: &str,
    output: &manifest::Output,
    was: &manifest::Output,
    old: Option<&masstack_codegen::LoadedSpec>,
    head: &masstack_codegen::LoadedSpec,
) -> Result<Option<changes::Change>, Error> {
    let spec_text = old.map_or(published::SpecText::Same, |old| {
        published::spec_text(&old.json, &head.json)
    });
    Ok(match (spec_text, old) {
        (published::SpecText::VersionOnly, Some(old)) => Some(api_version_change(
            &old.openapi.info.version,
            &head.openapi.info.version,
        )),
        _ => {
            let files = published::changed_files(root, base, &was.crate_dir, &output.crate_dir)?;
            let docs = spec_text == published::SpecText::DocsOnly;
            let generated_docs = docs && files.iter().all(|f| f.path.starts_with("src/generated/"));
            let api = if generated_docs {
                None
            } else {
                judge_code(root, output.crate_name(), base, &files)?
            };
            published::files_change(&files, &output.crate_dir, docs, api)
        }
    })
}

/// A new `info.version` and nothing else: a patch (the crate's build
/// metadata records it, and its generated code embeds it).
fn api_version_change(old: &str, new: &str) -> changes::Change {
    changes::Change {
        kind: ChangeKind::ApiVersion,
        target: "info.version".into(),
        pointer: "#/info/version".into(),
        detail: format!(
            "The API's version is now {new} (was {old}); the client is otherwise unchanged"
        ),
        wire: changes::Verdict {
            breaking: false,
            why: "the same operations and types".into(),
        },
        rust: changes::Verdict {
            breaking: false,
            why: "the same API".into(),
        },
    }
}

/// A client's change when the runtime it re-exports has a breaking one.
fn runtime_broke(runtime: &CrateReport) -> changes::Change {
    let to = runtime
        .required
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    changes::Change {
        kind: ChangeKind::RuntimeBreaking,
        target: format!("dependency {}", runtime.package),
        pointer: "Cargo.toml".into(),
        detail: format!("requires {to}, a breaking release"),
        wire: changes::Verdict {
            breaking: false,
            why: "no spec change".into(),
        },
        rust: changes::Verdict {
            breaking: true,
            why: "the client re-exports the runtime's types, whose API broke".into(),
        },
    }
}

/// The review of a hand-written run-time crate that is published beside the
/// clients: its files since the base, judged by cargo-semver-checks when it
/// is installed (`MASSTACK_REQUIRE_SEMVER_CHECKS` makes it required), else
/// at least a patch. `None` for a runtime that is not a workspace member.
fn runtime_review(root: &Path, base: &str, package: &str) -> Result<Option<Reviewed>, Error> {
    let workspace = Workspace::read(root)?;
    let Some(dir) = workspace.member_dir(root, package) else {
        return Ok(None);
    };
    let cargo = format!("{}/Cargo.toml", dir.trim_end_matches('/'));
    let cargo_text =
        std::fs::read_to_string(root.join(&cargo)).map_err(|e| Error::io(root.join(&cargo), e))?;
    let full_version = package_version(&cargo_text).unwrap_or_default();
    // The crate's directory at the base: it may have moved since.
    let base_dir = base_member_dir(root, base, package).unwrap_or_else(|| dir.clone());
    let base_cargo = format!("{}/Cargo.toml", base_dir.trim_end_matches('/'));
    let base_text = git(root, &["show", &format!("{base}:{base_cargo}")]);
    let base_version = (base_text.as_deref()).and_then(|t| core_version(&package_version(t)?));
    let mut changes = Vec::new();
    if base_version.is_some() {
        let files = published::changed_files(root, base, &base_dir, &dir)?;
        let api = judge_code(root, package, base, &files)?;
        changes.extend(published::files_change(&files, &dir, false, api));
        changes.extend(published::default_features_change(
            base_text.as_deref(),
            &cargo_text,
            &cargo,
        ));
    }
    Ok(Some(Reviewed {
        report: CrateReport::new(
            package,
            package,
            "no spec",
            base_version,
            core_version(&full_version),
            changes,
        ),
        api_version: None,
        full_version: Version::parse(&full_version).ok(),
        crate_dir: dir,
        runtime: None,
    }))
}

/// cargo-semver-checks' verdict on a crate whose code (not only its docs)
/// changed; `None` when none did, or when the tool is not installed (then
/// a warning, or an error under `MASSTACK_REQUIRE_SEMVER_CHECKS`).
fn judge_code(
    root: &Path,
    package: &str,
    base: &str,
    files: &[published::FileChange],
) -> Result<Option<published::SemverVerdict>, Error> {
    if files.iter().all(|f| f.docs_only) {
        return Ok(None);
    }
    if published::semver_checks_installed() {
        return published::semver_checks(root, package, base).map(Some);
    }
    let what = format!(
        "{package}'s code changed since `{base}`, but cargo-semver-checks is not installed (`cargo install cargo-semver-checks --locked`): its API was not compared, only a patch is required"
    );
    if std::env::var_os("MASSTACK_REQUIRE_SEMVER_CHECKS").is_some_and(|v| !v.is_empty()) {
        return Err(invalid(format!(
            "MASSTACK_REQUIRE_SEMVER_CHECKS is set: {what}"
        )));
    }
    eprintln!("warning: {what}");
    Ok(None)
}

/// The directory of the workspace member named `package` at `base`, from
/// the base's own workspace members.
fn base_member_dir(root: &Path, base: &str, package: &str) -> Option<String> {
    let text = git(root, &["show", &format!("{base}:Cargo.toml")])?;
    let doc: DocumentMut = text.parse().ok()?;
    let members = doc.get("workspace")?.get("members")?.as_array()?;
    members
        .iter()
        .filter_map(|m| m.as_str())
        .find(|m| {
            git(root, &["show", &format!("{base}:{m}/Cargo.toml")])
                .and_then(|t| {
                    let doc: DocumentMut = t.parse().ok()?;
                    Some(doc.get("package")?.get("name")?.as_str()? == package)
                })
                .unwrap_or(false)
        })
        .map(str::to_owned)
}

/// The base's fixes applied to the base's spec, with the overlay files as
/// they were at `base` (written to a scratch directory for the loader).
fn base_fixes(
    root: &Path,
    base: &str,
    manifest_path: &str,
    fixes: &manifest::Fixes,
    spec: masstack_codegen::LoadedSpec,
) -> Result<masstack_codegen::LoadedSpec, Error> {
    if fixes.overlays.is_empty() {
        return fixes::apply(root, manifest_path, fixes, spec);
    }
    let scratch = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    for overlay in &fixes.overlays {
        let text = git(root, &["show", &format!("{base}:{overlay}")]).ok_or_else(|| {
            invalid(format!(
                "the overlay `{overlay}` of the manifest at `{base}` is not in that revision"
            ))
        })?;
        let path = scratch.path().join(overlay);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    }
    fixes::apply(scratch.path(), manifest_path, fixes, spec)
}

/// The `package.version` of a `Cargo.toml`, as written.
fn package_version(cargo_toml: &str) -> Option<String> {
    let doc: DocumentMut = cargo_toml.parse().ok()?;
    Some(doc.get("package")?.get("version")?.as_str()?.to_owned())
}

pub fn run(root: &Path, manifest_path: &str, args: Args) -> Result<ExitCode, Error> {
    let base = base(root, args.base.as_deref()).ok_or_else(|| invalid("no base revision: not a git checkout, or no release tag, origin/main or main; give one with --base".into()))?;
    let reports: Vec<CrateReport> = reports(root, manifest_path, &base)?
        .into_iter()
        .map(|r| r.report)
        .collect();
    match args.format {
        Format::Markdown => print!("{}", report::markdown(&base, &reports)),
        Format::Json => println!("{}", report::json(&base, &reports)),
    }
    Ok(ExitCode::SUCCESS)
}

/// For `check`: problems with the crates' versions: lower than the changes
/// since the base require, or build metadata that does not record the
/// spec's `info.version`. Empty outside a git checkout.
pub fn version_problems(root: &Path, manifest_path: &str) -> Result<Vec<String>, Error> {
    let manifest = manifest::load(root, manifest_path)?;
    let mut problems = Vec::new();
    for output in manifest
        .outputs
        .iter()
        .filter(|o| published::is_published(root, o))
    {
        let spec = load::load(root, &output.spec)?;
        let cargo = format!("{}/Cargo.toml", output.crate_dir.trim_end_matches('/'));
        let text = std::fs::read_to_string(root.join(&cargo))
            .map_err(|e| Error::io(root.join(&cargo), e))?;
        let full = package_version(&text).unwrap_or_default();
        let wanted = format!("api.{}", spec.openapi.info.version);
        let build = Version::parse(&full).ok().map(|v| v.build);
        if build.as_ref().map(semver::BuildMetadata::as_str) != Some(wanted.as_str()) {
            problems.push(format!(
                "{cargo}: the version `{full}` must carry the spec's info.version as build metadata: `+{wanted}` (`cargo xtask release` sets it)"
            ));
        }
    }
    let Some(base) = base(root, None) else {
        return Ok(problems);
    };
    for Reviewed { report: r, .. } in reports(root, manifest_path, &base)? {
        if !r.version_too_low() {
            continue;
        }
        let (Some(v), Some(req)) = (&r.version, &r.required) else {
            continue;
        };
        let why: Vec<String> = r
            .changes
            .iter()
            .filter(|c| Some(c.bump()) == r.bump)
            .map(|c| {
                let mut line = format!("    {} {}: {}", c.kind, c.target, c.detail);
                for (axis, verdict) in [("wire", &c.wire), ("Rust", &c.rust)] {
                    if verdict.breaking {
                        line.push_str(&format!(" ({axis}: {})", verdict.why));
                    }
                }
                line
            })
            .collect();
        problems.push(format!(
            "{}: version {v} is lower than {req}, which its changes since `{base}` require ({:?}):\n{}\n  run `cargo xtask release`",
            r.package,
            r.bump.unwrap_or(Bump::Patch),
            why.join("\n")
        ));
    }
    Ok(problems)
}
