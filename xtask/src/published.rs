//! What changed in a published crate's files since a base revision, beside
//! what its spec says: a registry cannot take the same version twice, so
//! any change to the files it ships (new doc comments included) needs at
//! least a patch release. The edits `release` itself makes (the version,
//! the requirements it moves, the changelog) are not changes.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use masstack_codegen::Error;
use masstack_codegen::changes::{Change, ChangeKind, Verdict};
use toml_edit::DocumentMut;

use crate::changes::{git, invalid};

/// One file of the crate that differs from the base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Relative to the crate's directory.
    pub path: String,
    /// Only documentation differs: doc comments of Rust code (the code
    /// is the same token for token without them), or a Markdown file.
    pub docs_only: bool,
}

/// The files of the crate at `dir` (at `base_dir` in `base`) that differ,
/// in path order.
pub fn changed_files(
    root: &Path,
    base: &str,
    base_dir: &str,
    dir: &str,
) -> Result<Vec<FileChange>, Error> {
    let base_dir = base_dir.trim_end_matches('/');
    let dir = dir.trim_end_matches('/');
    let then = listing(
        root,
        &["ls-tree", "-r", "--name-only", base, "--", base_dir],
        base_dir,
    );
    let now = listing(
        root,
        &[
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "--",
            dir,
        ],
        dir,
    );
    let mut changed = Vec::new();
    for path in then.union(&now) {
        // Written by `release`; its own edits must not call for another.
        // Tests, examples and benchmarks change nothing a consumer gets.
        if path == "CHANGELOG.md"
            || ["tests/", "examples/", "benches/"]
                .iter()
                .any(|d| path.starts_with(d))
        {
            continue;
        }
        let old = blob(root, &format!("{base}:{base_dir}/{path}"));
        let new = std::fs::read(root.join(dir).join(path)).ok();
        let (old, new) = match (old, new) {
            (Some(old), Some(new)) if old == new => continue,
            (Some(old), Some(new)) => (
                String::from_utf8_lossy(&old).into_owned(),
                String::from_utf8_lossy(&new).into_owned(),
            ),
            (None, None) => continue,
            // Added or removed: a change of code.
            _ => {
                changed.push(FileChange {
                    path: path.clone(),
                    docs_only: path.ends_with(".md"),
                });
                continue;
            }
        };
        let same = path == "Cargo.toml" && without_versions(&old) == without_versions(&new);
        if !same {
            let docs_only = path.ends_with(".md")
                || (path.ends_with(".rs") && without_docs(&old) == without_docs(&new));
            changed.push(FileChange {
                path: path.clone(),
                docs_only,
            });
        }
    }
    Ok(changed)
}

/// A file's bytes at a revision (`REV:PATH`), as stored.
fn blob(root: &Path, spec: &str) -> Option<Vec<u8>> {
    let out = Command::new("git")
        .args(["cat-file", "blob", spec])
        .current_dir(root)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

/// The paths git lists, relative to `dir`.
fn listing(root: &Path, args: &[&str], dir: &str) -> BTreeSet<String> {
    git(root, args)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix(dir)?.strip_prefix('/'))
        .map(str::to_owned)
        .collect()
}

/// A `Cargo.toml` without what `release` writes: the package's version and
/// the version requirements beside a `path`.
fn without_versions(text: &str) -> Option<String> {
    let mut doc: DocumentMut = text.parse().ok()?;
    if let Some(package) = doc.get_mut("package").and_then(|p| p.as_table_like_mut()) {
        package.remove("version");
    }
    for table in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let Some(deps) = doc.get_mut(table).and_then(|d| d.as_table_like_mut()) else {
            continue;
        };
        for (_, dep) in deps.iter_mut() {
            if let Some(dep) = dep.as_table_like_mut()
                && dep.contains_key("path")
            {
                dep.remove("version");
            }
        }
    }
    Some(doc.to_string())
}

/// Rust code without its doc comments, as tokens (comments are not
/// tokens; `///` and `//!` are `#[doc]` and `#![doc]` attributes, here
/// removed wherever they stand, macros included): `None` when it does not
/// parse.
fn without_docs(text: &str) -> Option<String> {
    use proc_macro2::{Group, TokenStream, TokenTree};
    // `#[doc = "…"]` only: `#[doc(hidden)]` and the like change the API.
    fn is_doc(group: &Group) -> bool {
        let mut inside = group.stream().into_iter();
        group.delimiter() == proc_macro2::Delimiter::Bracket
            && matches!(inside.next(), Some(TokenTree::Ident(i)) if i == "doc")
            && matches!(inside.next(), Some(TokenTree::Punct(p)) if p.as_char() == '=')
    }
    fn strip(tokens: TokenStream) -> TokenStream {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = Vec::with_capacity(tokens.len());
        let mut i = 0;
        while i < tokens.len() {
            if let TokenTree::Punct(p) = &tokens[i]
                && p.as_char() == '#'
            {
                // `#[doc …]` or `#![doc …]`
                let bang =
                    matches!(tokens.get(i + 1), Some(TokenTree::Punct(b)) if b.as_char() == '!');
                let at = i + 1 + usize::from(bang);
                if let Some(TokenTree::Group(g)) = tokens.get(at)
                    && is_doc(g)
                {
                    i = at + 1;
                    continue;
                }
            }
            out.push(match &tokens[i] {
                TokenTree::Group(g) => {
                    let mut inner = Group::new(g.delimiter(), strip(g.stream()));
                    inner.set_span(g.span());
                    TokenTree::Group(inner)
                }
                other => other.clone(),
            });
            i += 1;
        }
        out.into_iter().collect()
    }
    let tokens: TokenStream = text.parse().ok()?;
    Some(strip(tokens).to_string())
}

/// The change the files make when the spec review found none: documentation
/// (a patch) when only doc text changed in the files, or (`spec_docs_only`:
/// only descriptions and summaries changed in the spec, which also reach the
/// CLI's help strings) in the generated ones; otherwise code the spec does not explain (the
/// generator's output or hand-written code; a patch unless `api` says more).
pub fn files_change(
    files: &[FileChange],
    dir: &str,
    spec_docs_only: bool,
    api: Option<SemverVerdict>,
) -> Option<Change> {
    if files.is_empty() {
        return None;
    }
    let list = files
        .iter()
        .map(|f| f.path.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let dir = dir.trim_end_matches('/');
    let documentation = files
        .iter()
        .all(|f| f.docs_only || (spec_docs_only && f.path.starts_with("src/generated/")));
    if documentation {
        return Some(Change {
            kind: ChangeKind::Documentation,
            target: "crate files".into(),
            pointer: dir.to_owned(),
            detail: format!("only documentation changed: {list}"),
            wire: Verdict {
                breaking: false,
                why: "no spec change".into(),
            },
            rust: Verdict {
                breaking: false,
                why: "doc comments only".into(),
            },
        });
    }
    let (kind, rust) = match api {
        Some(SemverVerdict::Breaking(why)) => (
            ChangeKind::CodeChanged,
            Verdict {
                breaking: true,
                why: format!("cargo-semver-checks: {why}"),
            },
        ),
        Some(SemverVerdict::Addition(why)) => (
            ChangeKind::ApiAdded,
            Verdict {
                breaking: false,
                why: format!("cargo-semver-checks: {why}"),
            },
        ),
        Some(SemverVerdict::Compatible) => (
            ChangeKind::CodeChanged,
            Verdict {
                breaking: false,
                why: "cargo-semver-checks found no API change".into(),
            },
        ),
        None => (
            ChangeKind::CodeChanged,
            Verdict {
                breaking: false,
                why: "not judged: the spec did not change (cargo-semver-checks judges the runtime)"
                    .into(),
            },
        ),
    };
    Some(Change {
        kind,
        target: "crate files".into(),
        pointer: dir.to_owned(),
        detail: format!("code changed: {list}"),
        wire: Verdict {
            breaking: false,
            why: "no spec change".into(),
        },
        rust,
    })
}

/// The change of a crate's default cargo features between the base's
/// `Cargo.toml` (`None`: the crate is new) and today's: a feature a
/// consumer had without asking and no longer has breaks its build or its
/// behaviour (Cargo's semver rules: a major change), one it gains is an
/// addition. Features are compared as the consumer gets them: the crate's
/// own features `default` turns on, through any chain of them.
pub fn default_features_change(old: Option<&str>, new: &str, cargo_path: &str) -> Option<Change> {
    let old = default_features(old?)?;
    let new = default_features(new)?;
    let lost: Vec<&str> = old.difference(&new).map(String::as_str).collect();
    let gained: Vec<&str> = new.difference(&old).map(String::as_str).collect();
    if lost.is_empty() && gained.is_empty() {
        return None;
    }
    let list = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut detail = Vec::new();
    if !lost.is_empty() {
        detail.push(format!("no longer on by default: {}", list(&lost)));
    }
    if !gained.is_empty() {
        detail.push(format!("now on by default: {}", list(&gained)));
    }
    let rust = if lost.is_empty() {
        Verdict {
            breaking: false,
            why: "consumers with default features get more".into(),
        }
    } else {
        let quoted: Vec<String> = lost.iter().map(|n| format!("\"{n}\"")).collect();
        Verdict {
            breaking: true,
            why: format!(
                "a consumer with default features loses {}: it adds `features = [{}]` to keep them",
                list(&lost),
                quoted.join(", ")
            ),
        }
    };
    Some(Change {
        kind: ChangeKind::DefaultFeatures,
        target: "default features".into(),
        pointer: format!("{cargo_path}#features.default"),
        detail: detail.join("; "),
        wire: Verdict {
            breaking: false,
            why: "no spec change".into(),
        },
        rust,
    })
}

/// The crate's own features its `default` turns on, directly or through
/// others (`dep:` and `other/feature` entries are not its features).
/// `None` when the text is not TOML.
fn default_features(cargo_toml: &str) -> Option<BTreeSet<String>> {
    let doc: DocumentMut = cargo_toml.parse().ok()?;
    let Some(features) = doc.get("features").and_then(|f| f.as_table_like()) else {
        return Some(BTreeSet::new());
    };
    let listed = |name: &str| masstack_codegen::crate_manifest::strings(features.get(name));
    let mut on = BTreeSet::new();
    let mut todo = listed("default");
    while let Some(name) = todo.pop() {
        if name.starts_with("dep:") || name.contains('/') || !features.contains_key(&name) {
            continue;
        }
        if on.insert(name.clone()) {
            todo.extend(listed(&name));
        }
    }
    Some(on)
}

/// What cargo-semver-checks says of a crate's public API since the base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SemverVerdict {
    /// Nothing a caller could notice.
    Compatible,
    /// Something new (a minor release after 1.0), with its summary.
    Addition(String),
    /// Something breaks, with its summary.
    Breaking(String),
}

/// Whether `cargo semver-checks` is installed.
pub fn semver_checks_installed() -> bool {
    cargo()
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// cargo-semver-checks on `package` against its source at `base`, with
/// cargo-semver-checks' own feature choice (every feature not named
/// unstable, nightly, bench or `_…`). Its "major" and "minor" are in its
/// 0.x terms already (0.y -> 0.y+1 is its major): they map to
/// [`SemverVerdict::Breaking`] and [`SemverVerdict::Addition`], which
/// `Version::after` turns into the next version.
pub fn semver_checks(root: &Path, package: &str, base: &str) -> Result<SemverVerdict, Error> {
    let out = cargo()
        .args([
            "semver-checks",
            "check-release",
            "--color",
            "never",
            "-p",
            package,
        ])
        .args(["--baseline-rev", base, "--release-type", "patch"])
        .current_dir(root)
        .output()
        .map_err(|e| Error::io(root, e))?;
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        return Ok(SemverVerdict::Compatible);
    }
    verdict_of(&text).ok_or_else(|| {
        invalid(format!(
            "`cargo semver-checks check-release -p {package} --baseline-rev {base}` failed without a verdict:\n{text}"
        ))
    })
}

/// The verdict in cargo-semver-checks' output (its `Summary` line).
fn verdict_of(text: &str) -> Option<SemverVerdict> {
    let summary = text
        .lines()
        .find(|l| l.trim_start().starts_with("Summary semver requires new"))
        .map(|l| l.trim().trim_start_matches("Summary ").to_owned())?;
    Some(if summary.contains("new major version") {
        SemverVerdict::Breaking(summary)
    } else {
        SemverVerdict::Addition(summary)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feature_leaving_the_defaults_breaks_one_joining_is_an_addition() {
        let before = "[features]\ndefault = [\"rustls\", \"web\"]\nweb = [\"http2\", \"gzip\"]\nrustls = [\"dep:rustls\"]\nhttp2 = [\"reqwest/http2\"]\ngzip = []\nnative-tls = []\n";
        let lean = "[features]\ndefault = [\"rustls\"]\nrustls = [\"dep:rustls\"]\nhttp2 = [\"reqwest/http2\"]\ngzip = []\nnative-tls = []\n";
        let change = default_features_change(Some(before), lean, "c/Cargo.toml").unwrap();
        assert_eq!(change.kind, ChangeKind::DefaultFeatures);
        assert!(change.rust.breaking);
        // Reached through `web`, not listed in `default` itself.
        assert_eq!(
            change.detail,
            "no longer on by default: `gzip`, `http2`, `web`"
        );
        assert!(
            change
                .rust
                .why
                .contains(r#"features = ["gzip", "http2", "web"]"#)
        );
        let back = default_features_change(Some(lean), before, "c/Cargo.toml").unwrap();
        assert!(!back.rust.breaking);
        assert_eq!(back.bump(), masstack_codegen::changes::Bump::Addition);
        // The same features, said another way; and a new crate.
        let flat = before.replace("\"rustls\", \"web\"", "\"web\", \"rustls\", \"gzip\"");
        assert_eq!(
            default_features_change(Some(before), &flat, "c/Cargo.toml"),
            None
        );
        assert_eq!(default_features_change(None, lean, "c/Cargo.toml"), None);
    }

    #[test]
    fn semver_checks_summaries_map_to_verdicts() {
        let major =
            "     Summary semver requires new major version: 1 major and 0 minor checks failed";
        assert!(matches!(
            verdict_of(major),
            Some(SemverVerdict::Breaking(_))
        ));
        // On a 0.x crate too: its "minor" is our addition (a patch in 0.x).
        let minor =
            "     Summary semver requires new minor version: 0 major and 1 minor checks failed";
        assert!(matches!(
            verdict_of(minor),
            Some(SemverVerdict::Addition(_))
        ));
        assert_eq!(verdict_of("error: could not build"), None);
    }

    #[test]
    fn only_doc_comments_are_documentation() {
        let base = "/// One.\npub fn f() {}\n";
        assert_eq!(
            without_docs(base),
            without_docs("/// Two.\n//! Inner.\npub fn f() {}\n")
        );
        // `#[doc(hidden)]` hides an item from its users: code, not text.
        assert_ne!(
            without_docs(base),
            without_docs("#[doc(hidden)]\npub fn f() {}\n")
        );
        assert_ne!(without_docs(base), without_docs("pub fn g() {}\n"));
    }

    #[test]
    fn spec_text_tells_version_and_descriptions_from_the_rest() {
        let base = serde_json::json!({"info": {"version": "1"}, "paths": {"/a": {"get": {"summary": "A", "description": "x"}}}, "components": {"schemas": {"T": {"properties": {"description": {"type": "string"}}}}}});
        let mut version = base.clone();
        version["info"]["version"] = "2".into();
        assert_eq!(spec_text(&base, &version), SpecText::VersionOnly);
        let mut docs = version.clone();
        docs["paths"]["/a"]["get"]["summary"] = "B".into();
        assert_eq!(spec_text(&base, &docs), SpecText::DocsOnly);
        // A property named `description` is a schema, not text.
        let mut other = base.clone();
        other["components"]["schemas"]["T"]["properties"]["description"]["type"] = "integer".into();
        assert_eq!(spec_text(&base, &other), SpecText::Other);
        assert_eq!(spec_text(&base, &base), SpecText::Same);
    }
}

/// What a spec change is made of, when the change review found nothing in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecText {
    /// The same document.
    Same,
    /// Only `info.version` (a release of its own: `release` handles it).
    VersionOnly,
    /// Only descriptions and summaries (and perhaps `info.version`).
    DocsOnly,
    /// Something else.
    Other,
}

/// Compares two specs (JSON) for [`SpecText`].
pub fn spec_text(old: &serde_json::Value, new: &serde_json::Value) -> SpecText {
    if old == new {
        return SpecText::Same;
    }
    let (mut old_v, mut new_v) = (old.clone(), new.clone());
    for v in [&mut old_v, &mut new_v] {
        if let Some(info) = v.get_mut("info").and_then(|i| i.as_object_mut()) {
            info.remove("version");
        }
    }
    if old_v == new_v {
        return SpecText::VersionOnly;
    }
    strip_text(&mut old_v);
    strip_text(&mut new_v);
    if old_v == new_v {
        SpecText::DocsOnly
    } else {
        SpecText::Other
    }
}

/// Removes every `description` and `summary` whose value is text (a
/// property named `description` is an object, and stays).
fn strip_text(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|k, v| !(matches!(k.as_str(), "description" | "summary") && v.is_string()));
            map.values_mut().for_each(strip_text);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_text),
        _ => {}
    }
}

/// Whether an output's crate is published: `publish = false` (a test
/// fixture's crate) is left out of the change review, releases, packaging
/// and the version rule.
pub fn is_published(root: &Path, output: &masstack_codegen::Output) -> bool {
    let cargo_toml = root.join(&output.crate_dir).join("Cargo.toml");
    let unpublished = std::fs::read_to_string(cargo_toml)
        .ok()
        .and_then(|text| text.parse::<DocumentMut>().ok())
        .and_then(|doc| doc.get("package")?.get("publish")?.as_bool())
        == Some(false);
    !unpublished
}
