//! `cargo xtask changes` and `cargo xtask release`, and the version rule of
//! `cargo xtask check`: each output's spec compared with its version at a
//! base revision, the changes judged (wire and Rust), and the version Cargo's
//! semver rules then require of its crate.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use masstack_codegen::changes::report::{self, CrateReport, Version};

use crate::published;
use masstack_codegen::changes::{self, Bump, Policy};
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
    /// `markdown` (for a pull request) or `json`.
    #[arg(long, default_value = "markdown")]
    format: String,
}

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
    /// The crate's version as written, build metadata included.
    pub full_version: String,
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
    for output in &manifest.outputs {
        let head = fixes::apply(
            root,
            manifest_path,
            &output.fixes,
            load::load(root, &output.spec)?,
        )?;
        let cargo = format!("{}/Cargo.toml", output.crate_dir.trim_end_matches('/'));
        let full_version = std::fs::read_to_string(root.join(&cargo))
            .map_err(|e| Error::io(root.join(&cargo), e))
            .map(|t| package_version(&t).unwrap_or_default())?;
        // The output as the base's manifest had it: its spec and crate may
        // have moved and its fixes changed (each side is read with its own).
        let was = base_manifest
            .as_ref()
            .and_then(|m| m.outputs.iter().find(|o| o.name == output.name));
        let base_cargo = was.map_or(cargo.clone(), |w| {
            format!("{}/Cargo.toml", w.crate_dir.trim_end_matches('/'))
        });
        let base_version = git(root, &["show", &format!("{base}:{base_cargo}")])
            .and_then(|t| Version::parse(&package_version(&t)?));
        let base_spec = was.map_or(&output.spec, |w| &w.spec);
        let old = match git(root, &["show", &format!("{base}:{base_spec}")]) {
            Some(text) => {
                let old = load::parse(base_spec, &text).map_err(|d| Error::Invalid(vec![d]))?;
                Some(match was {
                    Some(was) => base_fixes(root, base, manifest_path, &was.fixes, old)?,
                    None => fixes::apply(root, manifest_path, &output.fixes, old)?,
                })
            }
            // A new output: nothing to compare with.
            None => None,
        };
        let mut changes = old.as_ref().map_or_else(Vec::new, |old| {
            changes::diff(&old.json, &head.json, &Policy::of(output))
        });
        // Nothing in the spec's API, yet the shipped files differ: a new
        // `info.version` (the crate embeds it), new descriptions, or the
        // generator's output changed. A registry takes no version twice.
        if let (true, Some(was)) = (changes.is_empty(), was) {
            let spec_text = old.as_ref().map_or(published::SpecText::Same, |old| {
                published::spec_text(&old.json, &head.json)
            });
            match (spec_text, &old) {
                (published::SpecText::VersionOnly, Some(old)) => changes.push(api_version_change(
                    &old.openapi.info.version,
                    &head.openapi.info.version,
                )),
                _ => {
                    let files =
                        published::changed_files(root, base, &was.crate_dir, &output.crate_dir)?;
                    let docs = spec_text == published::SpecText::DocsOnly;
                    let generated_docs =
                        docs && files.iter().all(|f| f.path.starts_with("src/generated/"));
                    let api = if generated_docs {
                        None
                    } else {
                        judge_code(root, output.crate_name(), base, &files)?
                    };
                    changes.extend(published::files_change(
                        &files,
                        &output.crate_dir,
                        docs,
                        api,
                    ));
                }
            }
        }
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
        out.push(Reviewed {
            report: CrateReport::new(
                &output.name,
                output.crate_name(),
                &output.spec,
                base_version,
                Version::parse(&full_version),
                changes,
            ),
            api_version: Some(head.openapi.info.version.clone()),
            full_version,
            crate_dir: output.crate_dir.clone(),
            runtime,
        });
    }
    out.extend(runtime_reviews);
    Ok(out)
}

/// A new `info.version` and nothing else: a patch (the crate's build
/// metadata records it, and its generated code embeds it).
fn api_version_change(old: &str, new: &str) -> changes::Change {
    changes::Change {
        kind: "api-version",
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
    let to = runtime.required.map(|v| v.to_string()).unwrap_or_default();
    changes::Change {
        kind: "runtime-breaking",
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
    let full_version = std::fs::read_to_string(root.join(&cargo))
        .map_err(|e| Error::io(root.join(&cargo), e))
        .map(|t| package_version(&t).unwrap_or_default())?;
    // The crate's directory at the base: it may have moved since.
    let base_dir = base_member_dir(root, base, package).unwrap_or_else(|| dir.clone());
    let base_cargo = format!("{}/Cargo.toml", base_dir.trim_end_matches('/'));
    let base_version = git(root, &["show", &format!("{base}:{base_cargo}")])
        .and_then(|t| Version::parse(&package_version(&t)?));
    let mut changes = Vec::new();
    if base_version.is_some() {
        let files = published::changed_files(root, base, &base_dir, &dir)?;
        let api = judge_code(root, package, base, &files)?;
        changes.extend(published::files_change(&files, &dir, false, api));
    }
    Ok(Some(Reviewed {
        report: CrateReport::new(
            package,
            package,
            "no spec",
            base_version,
            Version::parse(&full_version),
            changes,
        ),
        api_version: None,
        full_version,
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
    match args.format.as_str() {
        "markdown" => print!("{}", report::markdown(&base, &reports)),
        "json" => println!("{}", report::json(&base, &reports)),
        other => {
            return Err(invalid(format!(
                "unknown format `{other}`; expected markdown or json"
            )));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// For `check`: problems with the crates' versions: lower than the changes
/// since the base require, or build metadata that does not record the
/// spec's `info.version`. Empty outside a git checkout.
pub fn version_problems(root: &Path, manifest_path: &str) -> Result<Vec<String>, Error> {
    let manifest = manifest::load(root, manifest_path)?;
    let mut problems = Vec::new();
    for output in &manifest.outputs {
        let spec = load::load(root, &output.spec)?;
        let cargo = format!("{}/Cargo.toml", output.crate_dir.trim_end_matches('/'));
        let text = std::fs::read_to_string(root.join(&cargo))
            .map_err(|e| Error::io(root.join(&cargo), e))?;
        let full = package_version(&text).unwrap_or_default();
        let wanted = format!("api.{}", spec.openapi.info.version);
        if full.split_once('+').map(|(_, m)| m) != Some(wanted.as_str()) {
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
        let (Some(v), Some(req)) = (r.version, r.required) else {
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

pub fn release(root: &Path, manifest_path: &str, args: ReleaseArgs) -> Result<ExitCode, Error> {
    let base = base(root, args.base.as_deref())
        .ok_or_else(|| invalid("no base revision; give one with --base".into()))?;
    let reviewed = reports(root, manifest_path, &base)?;
    let today = git(root, &["log", "-1", "--format=%cs"]).unwrap_or_default();
    // (review, full version, changelog entry) of every crate to release.
    let mut plan = Vec::new();
    for reviewed in &reviewed {
        let (r, full) = (&reviewed.report, &reviewed.full_version);
        let (Some(current), Some(required)) = (r.version, r.required) else {
            println!("{}: new since {base}; nothing to release", r.package);
            continue;
        };
        let metadata = reviewed
            .api_version
            .as_ref()
            .map(|api| format!("api.{api}"));
        let new_api = metadata
            .as_deref()
            .is_some_and(|m| full.split_once('+').map(|(_, old)| old) != Some(m));
        if r.changes.is_empty() && !new_api {
            println!("{}: no change since {base}", r.package);
            continue;
        }
        // Only `info.version` changed: a new build metadata alone is not a
        // new version to a registry, so at least the patch moves.
        let required = if r.changes.is_empty() {
            let base = r.base_version.unwrap_or(current);
            required.max(base.after(Some(Bump::Patch)))
        } else {
            required
        };
        let version = match &metadata {
            Some(metadata) => format!("{}+{metadata}", current.max(required)),
            None => current.max(required).to_string(),
        };
        println!(
            "{}: {current} -> {version} ({} change(s), {:?})",
            r.package,
            r.changes.len(),
            r.bump.unwrap_or(Bump::Patch)
        );
        let mut entry = changelog_entry(&version, &today, r);
        if let (true, Some(api)) = (r.changes.is_empty(), &reviewed.api_version) {
            entry.push_str(&format!(
                "### Changed\n\n- The API's version is now {api} (`info.version`); the client is unchanged.\n\n"
            ));
        }
        if args.dry_run {
            print!("{entry}");
        }
        plan.push((reviewed, version, entry));
    }
    if args.dry_run || plan.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }

    // Every file a release may touch, put back as it was if a step fails.
    let workspace = Workspace::read(root)?;
    let mut files: Vec<PathBuf> = vec![root.join("Cargo.toml"), root.join("Cargo.lock")];
    files.extend(
        workspace
            .members
            .iter()
            .map(|m| root.join(m).join("Cargo.toml")),
    );
    files.extend(
        plan.iter()
            .map(|(r, ..)| root.join(&r.crate_dir).join("CHANGELOG.md")),
    );
    // (Members given as globs are not in the list; the released crates are.)
    files.extend(
        plan.iter()
            .map(|(r, ..)| root.join(&r.crate_dir).join("Cargo.toml")),
    );
    files.sort();
    files.dedup();
    let before: Vec<(PathBuf, Option<String>)> = files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).ok();
            (f, text)
        })
        .collect();
    let applied = (|| {
        let mut packages = Vec::new();
        for (reviewed, version, entry) in &plan {
            let package = reviewed.report.package.as_str();
            set_version(root, &reviewed.crate_dir, version)?;
            let requirement = version.split('+').next().unwrap_or(version);
            for (path, _) in &before {
                if path.ends_with("Cargo.toml") {
                    set_requirements(path, package, requirement)?;
                }
            }
            write_changelog(root, &reviewed.crate_dir, entry)?;
            if !packages.iter().any(|p| p == package) {
                packages.push(package.to_owned());
            }
            // The run-time crate is packaged alongside: a client's
            // dependency on it resolves from the same command.
            if let Some(runtime) = reviewed.runtime.as_deref()
                && workspace.member_dir(root, runtime).is_some()
                && !packages.iter().any(|p| p == runtime)
            {
                packages.insert(0, runtime.to_owned());
            }
        }
        // Offline: the registry the clients name for the runtime need not be
        // reachable (or real) to package; every other dependency is cached.
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command.args(["package", "--allow-dirty", "--no-verify", "--offline"]);
        for package in &packages {
            command.args(["-p", package]);
        }
        let status = command
            .current_dir(root)
            .status()
            .map_err(|e| Error::io(root, e))?;
        if !status.success() {
            return Err(invalid(format!(
                "`cargo package -p {}` failed; every file is as it was",
                packages.join(" -p ")
            )));
        }
        Ok(())
    })();
    if let Err(e) = applied {
        // Every file is put back even if one cannot be (said on stderr);
        // the error is the step's.
        for (path, text) in &before {
            let restored = match text {
                Some(text) => std::fs::write(path, text),
                None => std::fs::remove_file(path).or_else(|e| {
                    if e.kind() == std::io::ErrorKind::NotFound {
                        Ok(())
                    } else {
                        Err(e)
                    }
                }),
            };
            if let Err(io) = restored {
                eprintln!("could not put back {}: {io}", path.display());
            }
        }
        return Err(e);
    }
    println!(
        "next: commit, tag the commit `release-<date>` (the next base), then `cargo publish --registry masstack -p <crate>` for each (README, Publishing)"
    );
    Ok(ExitCode::SUCCESS)
}

fn set_version(root: &Path, crate_dir: &str, version: &str) -> Result<(), Error> {
    let path = root.join(crate_dir).join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| invalid(format!("{}: {e}", path.display())))?;
    doc["package"]["version"] = toml_edit::value(version);
    std::fs::write(&path, doc.to_string()).map_err(|e| Error::io(&path, e))
}

/// In the manifest at `path`, a `version` requirement on `package` that
/// sits beside a `path` (a workspace member depended on by both) becomes
/// `requirement`: the old one would no longer match the member.
fn set_requirements(path: &Path, package: &str, requirement: &str) -> Result<(), Error> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(());
    };
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| invalid(format!("{}: {e}", path.display())))?;
    let mut changed = false;
    let tables: [&[&str]; 4] = [
        &["dependencies"],
        &["dev-dependencies"],
        &["build-dependencies"],
        &["workspace", "dependencies"],
    ];
    for keys in tables {
        let mut item = Some(doc.as_item_mut());
        for key in keys {
            // (`Item::get_mut` would insert a missing table.)
            item = item
                .and_then(|i| i.as_table_like_mut())
                .and_then(|t| t.get_mut(key));
        }
        let Some(deps) = item.and_then(|i| i.as_table_like_mut()) else {
            continue;
        };
        for (key, dep) in deps.iter_mut() {
            let Some(dep) = dep.as_table_like_mut() else {
                continue;
            };
            let name = dep
                .get("package")
                .and_then(|p| p.as_str())
                .unwrap_or(key.get())
                .to_owned();
            if name == package && dep.contains_key("path") && dep.contains_key("version") {
                dep.insert("version", toml_edit::value(requirement));
                changed = true;
            }
        }
    }
    if changed {
        std::fs::write(path, doc.to_string()).map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

/// A Keep a Changelog entry from the change list.
pub fn changelog_entry(version: &str, date: &str, r: &CrateReport) -> String {
    let mut sections: Vec<(&str, Vec<String>)> = vec![
        ("Added", Vec::new()),
        ("Changed", Vec::new()),
        ("Removed", Vec::new()),
    ];
    for c in &r.changes {
        let section = if c.kind.ends_with("-added") {
            0
        } else if c.kind.ends_with("-removed") {
            2
        } else {
            1
        };
        let mark = if c.bump() == Bump::Breaking {
            "**Breaking:** "
        } else {
            ""
        };
        let mut why = Vec::new();
        if c.wire.breaking {
            why.push(format!("wire: {}", c.wire.why));
        }
        if c.rust.breaking {
            why.push(format!("Rust: {}", c.rust.why));
        }
        let why = if why.is_empty() {
            String::new()
        } else {
            format!(" ({})", why.join("; "))
        };
        sections[section].1.push(format!(
            "- {mark}{} ({}): {}{why}",
            c.target, c.kind, c.detail
        ));
    }
    let mut out = format!("## [{version}] - {date}\n\n");
    for (title, lines) in sections {
        if !lines.is_empty() {
            out.push_str(&format!("### {title}\n\n{}\n\n", lines.join("\n")));
        }
    }
    out
}

fn write_changelog(root: &Path, crate_dir: &str, entry: &str) -> Result<(), Error> {
    let path = root.join(crate_dir).join("CHANGELOG.md");
    let header = "# Changelog\n\nAll notable changes to this crate. The format is [Keep a Changelog](https://keepachangelog.com/en/1.1.0/); versions follow [Cargo's semver rules](https://doc.rust-lang.org/cargo/reference/semver.html), with the API version as build metadata for the clients.\n\n";
    let existing = std::fs::read_to_string(&path).unwrap_or_else(|_| header.to_owned());
    std::fs::write(&path, with_entry(&existing, entry)).map_err(|e| Error::io(&path, e))
}

/// The changelog with `entry` first; an entry of the same version (a
/// release run again before publishing) is replaced, not repeated.
fn with_entry(existing: &str, entry: &str) -> String {
    let heading = entry.lines().next().unwrap_or_default();
    let version = heading.split(']').next().unwrap_or(heading);
    let mut text = existing.to_owned();
    if let Some(start) = text.find(&format!("\n{version}]")) {
        let rest = &text[start + 1..];
        let end = rest.find("\n## ").map_or(text.len(), |i| start + 1 + i + 1);
        text.replace_range(start + 1..end, "");
    }
    match text.find("\n## ") {
        Some(i) => format!("{}\n{entry}{}", &text[..i], &text[i + 1..]),
        None => format!("{}\n\n{entry}", text.trim_end_matches('\n')),
    }
}

#[cfg(test)]
mod tests {
    use super::with_entry;

    #[test]
    fn a_release_run_twice_keeps_one_entry_per_version() {
        let header = "# Changelog\n\nIntro.\n";
        let one = with_entry(header, "## [0.2.0] - d\n\n- a\n\n");
        assert_eq!(one, "# Changelog\n\nIntro.\n\n## [0.2.0] - d\n\n- a\n\n");
        let older = with_entry(&one, "## [0.3.0] - e\n\n- b\n\n");
        assert_eq!(
            older,
            "# Changelog\n\nIntro.\n\n## [0.3.0] - e\n\n- b\n\n## [0.2.0] - d\n\n- a\n\n"
        );
        let again = with_entry(&older, "## [0.3.0] - f\n\n- c\n\n");
        assert_eq!(
            again,
            "# Changelog\n\nIntro.\n\n## [0.3.0] - f\n\n- c\n\n## [0.2.0] - d\n\n- a\n\n"
        );
    }
}
