//! `cargo xtask release`, in named steps: read the state (the review since
//! the base), plan each crate's new version and changelog entry, edit the
//! files in memory, write them all or none through the writer `regenerate`
//! uses, and package the crates (putting every file back if that fails).

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::Path;
use std::process::{Command, ExitCode};

use masstack_codegen::changes::report::{CrateReport, Version, bumped};
use masstack_codegen::changes::{Bump, Section};
use masstack_codegen::crate_manifest::Workspace;
use masstack_codegen::{Error, GeneratedFile, output};
use toml_edit::DocumentMut;

use super::{ReleaseArgs, Reviewed, base, git, invalid, reports};

/// What a release starts from: the base, the review since, and the date the
/// changelog entries carry (the last commit's).
struct State {
    base: String,
    reviewed: Vec<Reviewed>,
    today: String,
}

/// One crate to release.
struct Planned<'a> {
    reviewed: &'a Reviewed,
    /// The new version, with the API's version as build metadata (clients).
    version: Version,
    /// Its changelog entry.
    entry: String,
}

/// Bumps every changed crate to the version its changes require, writes its
/// changelog entry and packages it.
pub fn run(root: &Path, manifest_path: &str, args: ReleaseArgs) -> Result<ExitCode, Error> {
    let state = read_state(root, manifest_path, args.base.as_deref())?;
    let plan = plan(&state)?;
    if args.dry_run {
        for planned in &plan {
            print!("{}", planned.entry);
        }
    }
    if args.dry_run || plan.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let workspace = Workspace::read(root)?;
    let edits = edit_files(root, &workspace, &plan)?;
    let lock = read_optional(&root.join("Cargo.lock"))?;
    output::write(root, &edits.written(), &[])?;
    if let Err(e) = package(root, &packages(root, &workspace, &plan)) {
        // Every file is put back even if one cannot be (said on stderr);
        // the error is the packaging's.
        if let Err(io) = edits.restore(root, lock) {
            eprintln!("could not put the files back: {io}");
        }
        return Err(e);
    }
    println!(
        "next: commit, tag the commit `release-<date>` (the next base), then `cargo publish --registry masstack -p <crate>` for each (README, Publishing)"
    );
    Ok(ExitCode::SUCCESS)
}

/// Step 1: the base revision and the review since.
fn read_state(root: &Path, manifest_path: &str, base_arg: Option<&str>) -> Result<State, Error> {
    let base = base(root, base_arg)
        .ok_or_else(|| invalid("no base revision; give one with --base".into()))?;
    let reviewed = reports(root, manifest_path, &base)?;
    let today = git(root, &["log", "-1", "--format=%cs"]).unwrap_or_default();
    Ok(State {
        base,
        reviewed,
        today,
    })
}

/// Step 2: the crates to release, each with its version and changelog
/// entry; one line per crate says what happens to it.
fn plan(state: &State) -> Result<Vec<Planned<'_>>, Error> {
    let mut plan = Vec::new();
    for reviewed in &state.reviewed {
        let r = &reviewed.report;
        let Some(version) = next_version(reviewed, &state.base)? else {
            continue;
        };
        println!(
            "{}: {} -> {version} ({} change(s), {:?})",
            r.package,
            r.version
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            r.changes.len(),
            r.bump.unwrap_or(Bump::Patch)
        );
        let mut entry = changelog_entry(&version.to_string(), &state.today, r);
        if let (true, Some(api)) = (r.changes.is_empty(), &reviewed.api_version) {
            entry.push_str(&format!(
                "### Changed\n\n- The API's version is now {api} (`info.version`); the client is unchanged.\n\n"
            ));
        }
        plan.push(Planned {
            reviewed,
            version,
            entry,
        });
    }
    Ok(plan)
}

/// The version a crate is released as, build metadata included; `None`
/// (said on stdout) for a new crate or one without change.
fn next_version(reviewed: &Reviewed, base: &str) -> Result<Option<Version>, Error> {
    let r = &reviewed.report;
    let (Some(current), Some(required)) = (&r.version, &r.required) else {
        println!("{}: new since {base}; nothing to release", r.package);
        return Ok(None);
    };
    let metadata = reviewed
        .api_version
        .as_ref()
        .map(|api| format!("api.{api}"));
    let written = reviewed.full_version.as_ref().map(|v| v.build.as_str());
    let new_api = metadata.as_deref().is_some_and(|m| written != Some(m));
    if r.changes.is_empty() && !new_api {
        println!("{}: no change since {base}", r.package);
        return Ok(None);
    }
    // Only `info.version` changed: a new build metadata alone is not a new
    // version to a registry, so at least the patch moves.
    let required = if r.changes.is_empty() {
        let base = r.base_version.as_ref().unwrap_or(current);
        required.clone().max(bumped(base, Some(Bump::Patch)))
    } else {
        required.clone()
    };
    let mut version = current.clone().max(required);
    if let Some(metadata) = metadata {
        version.build = semver::BuildMetadata::new(&metadata).map_err(|e| {
            invalid(format!(
                "{}: `{metadata}` is not valid build metadata ({e}); the spec's info.version must be made of letters, digits, `-` and `.`",
                r.package
            ))
        })?;
    }
    Ok(Some(version))
}

/// A file a release rewrites: its text before (`None`: it did not exist)
/// and after.
struct Edit {
    before: Option<String>,
    after: String,
}

/// Step 3: every file the release rewrites, edited in memory, by path
/// relative to the root.
struct Edits(BTreeMap<String, Edit>);

impl Edits {
    /// The text of `path` as edited so far; `None` when it does not exist.
    fn text(&mut self, root: &Path, path: &str) -> Result<Option<&mut String>, Error> {
        if !self.0.contains_key(path) {
            let Some(before) = read_optional(&root.join(path))? else {
                return Ok(None);
            };
            let edit = Edit {
                after: before.clone(),
                before: Some(before),
            };
            self.0.insert(path.to_owned(), edit);
        }
        Ok(self.0.get_mut(path).map(|e| &mut e.after))
    }

    /// The text of `path` as edited so far, `empty` when it does not exist
    /// yet (it will be created).
    fn text_or(&mut self, root: &Path, path: &str, empty: &str) -> Result<&mut String, Error> {
        Ok(match self.0.entry(path.to_owned()) {
            Entry::Occupied(e) => &mut e.into_mut().after,
            Entry::Vacant(v) => {
                let before = read_optional(&root.join(path))?;
                let after = before.clone().unwrap_or_else(|| empty.to_owned());
                &mut v.insert(Edit { before, after }).after
            }
        })
    }

    /// The files to write.
    fn written(&self) -> Vec<GeneratedFile> {
        self.0
            .iter()
            .map(|(path, e)| GeneratedFile {
                path: path.clone(),
                contents: e.after.clone(),
            })
            .collect()
    }

    /// Puts back every file as it was before (and `Cargo.lock`, which
    /// packaging may have touched), all or nothing: the files that did not
    /// exist are deleted.
    fn restore(&self, root: &Path, lock: Option<String>) -> Result<(), Error> {
        let mut files = Vec::new();
        let mut created = Vec::new();
        for (path, edit) in &self.0 {
            match &edit.before {
                Some(text) => files.push(GeneratedFile {
                    path: path.clone(),
                    contents: text.clone(),
                }),
                None => created.push(path.clone()),
            }
        }
        files.extend(lock.map(|contents| GeneratedFile {
            path: "Cargo.lock".into(),
            contents,
        }));
        output::write(root, &files, &created).map(drop)
    }
}

/// A file's text; `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Step 3: each released crate's version and changelog, and the workspace's
/// requirements on it, edited in memory.
fn edit_files(root: &Path, workspace: &Workspace, plan: &[Planned<'_>]) -> Result<Edits, Error> {
    let manifest = |dir: &str| format!("{}/Cargo.toml", dir.trim_end_matches('/'));
    // (Members given as globs are not in the list; the released crates are.)
    let mut manifests: Vec<String> = vec!["Cargo.toml".into()];
    manifests.extend(workspace.members.iter().map(|m| manifest(m)));
    manifests.extend(plan.iter().map(|p| manifest(&p.reviewed.crate_dir)));
    manifests.sort();
    manifests.dedup();
    let mut edits = Edits(BTreeMap::new());
    for planned in plan {
        let crate_dir = &planned.reviewed.crate_dir;
        let path = manifest(crate_dir);
        let text = edits
            .text(root, &path)?
            .ok_or_else(|| invalid(format!("{path}: not found")))?;
        *text = with_version(&path, text, &planned.version)?;
        let mut requirement = planned.version.clone();
        requirement.build = semver::BuildMetadata::EMPTY;
        let package = planned.reviewed.report.package.as_str();
        for path in &manifests {
            if let Some(text) = edits.text(root, path)? {
                *text = with_requirement(path, text, package, &requirement.to_string())?;
            }
        }
        let changelog = format!("{}/CHANGELOG.md", crate_dir.trim_end_matches('/'));
        let text = edits.text_or(root, &changelog, CHANGELOG_HEADER)?;
        *text = with_entry(text, &planned.entry);
    }
    Ok(edits)
}

/// The crates to package: the released ones, with the run-time crate they
/// depend on first (a client's dependency on it resolves from the same
/// command).
fn packages(root: &Path, workspace: &Workspace, plan: &[Planned<'_>]) -> Vec<String> {
    let mut packages: Vec<String> = Vec::new();
    for planned in plan {
        let package = &planned.reviewed.report.package;
        if !packages.contains(package) {
            packages.push(package.clone());
        }
        if let Some(runtime) = planned.reviewed.runtime.as_deref()
            && workspace.member_dir(root, runtime).is_some()
            && !packages.iter().any(|p| p == runtime)
        {
            packages.insert(0, runtime.to_owned());
        }
    }
    packages
}

/// Step 5: `cargo package` of the crates, offline: the registry the
/// clients name for the runtime need not be reachable (or real) to package;
/// every other dependency is cached.
fn package(root: &Path, packages: &[String]) -> Result<(), Error> {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.args(["package", "--allow-dirty", "--no-verify", "--offline"]);
    for package in packages {
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
}

/// A `Cargo.toml` (at `path`, for errors) with `package.version` set.
fn with_version(path: &str, text: &str, version: &Version) -> Result<String, Error> {
    let mut doc: DocumentMut = text.parse().map_err(|e| invalid(format!("{path}: {e}")))?;
    doc["package"]["version"] = toml_edit::value(version.to_string());
    Ok(doc.to_string())
}

/// A `Cargo.toml` whose `version` requirements on `package` that sit beside
/// a `path` (a workspace member depended on by both) become `requirement`:
/// the old one would no longer match the member. Unchanged text otherwise.
fn with_requirement(
    path: &str,
    text: &str,
    package: &str,
    requirement: &str,
) -> Result<String, Error> {
    let mut doc: DocumentMut = text.parse().map_err(|e| invalid(format!("{path}: {e}")))?;
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
    Ok(if changed {
        doc.to_string()
    } else {
        text.to_owned()
    })
}

/// A Keep a Changelog entry from the change list: each change in its
/// kind's section.
pub fn changelog_entry(version: &str, date: &str, r: &CrateReport) -> String {
    let mut sections: BTreeMap<Section, Vec<String>> = BTreeMap::new();
    for c in &r.changes {
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
        sections.entry(c.kind.section()).or_default().push(format!(
            "- {mark}{} ({}): {}{why}",
            c.target, c.kind, c.detail
        ));
    }
    let mut out = format!("## [{version}] - {date}\n\n");
    for section in Section::ALL {
        if let Some(lines) = sections.get(&section) {
            out.push_str(&format!(
                "### {}\n\n{}\n\n",
                section.title(),
                lines.join("\n")
            ));
        }
    }
    out
}

/// A new crate's changelog before its first entry.
const CHANGELOG_HEADER: &str = "# Changelog\n\nAll notable changes to this crate. The format is [Keep a Changelog](https://keepachangelog.com/en/1.1.0/); versions follow [Cargo's semver rules](https://doc.rust-lang.org/cargo/reference/semver.html), with the API version as build metadata for the clients.\n\n";

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
