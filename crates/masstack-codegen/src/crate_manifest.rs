//! The dependencies a crate's generated code needs, found in that code, and
//! kept in its `Cargo.toml`: `regenerate` adds what is missing (a spec that
//! starts using `format: uuid` needs `uuid`), `check` reports it. Nothing a
//! person added is ever removed or changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::{TokenStream, TokenTree};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value as Toml};

use crate::diagnostic::{Diagnostic, Location};
use crate::error::Error;
use crate::manifest::Output;
use crate::output::GeneratedFile;

/// A crate generated code may name, and how to depend on it.
struct Known {
    /// As written in code (`progenitor_client`).
    path_root: &'static str,
    /// The package (`progenitor-client`).
    package: &'static str,
    /// The dependency when the workspace does not declare it: TOML.
    spec: &'static str,
}

const KNOWN: &[Known] = &[
    Known {
        path_root: "serde",
        package: "serde",
        spec: r#"{ version = "1", features = ["derive"] }"#,
    },
    Known {
        path_root: "serde_json",
        package: "serde_json",
        spec: r#""1""#,
    },
    Known {
        path_root: "reqwest",
        package: "reqwest",
        spec: r#"{ version = "0.13", default-features = false, features = ["json", "query"] }"#,
    },
    Known {
        path_root: "progenitor_client",
        package: "progenitor-client",
        spec: r#""0.15.1""#,
    },
    Known {
        path_root: "chrono",
        package: "chrono",
        spec: r#"{ version = "0.4", default-features = false, features = ["serde", "std"] }"#,
    },
    Known {
        path_root: "uuid",
        package: "uuid",
        spec: r#"{ version = "1", features = ["serde"] }"#,
    },
    Known {
        path_root: "regress",
        package: "regress",
        spec: r#""0.10""#,
    },
    Known {
        path_root: "futures",
        package: "futures",
        spec: r#""0.3""#,
    },
    Known {
        path_root: "rand",
        package: "rand",
        spec: r#""0.9""#,
    },
    Known {
        path_root: "base64",
        package: "base64",
        spec: r#""0.22""#,
    },
    Known {
        path_root: "bytes",
        package: "bytes",
        spec: r#""1""#,
    },
    Known {
        path_root: "schemars",
        package: "schemars",
        spec: r#"{ version = "0.8", default-features = false, features = ["derive", "chrono", "uuid1"] }"#,
    },
    Known {
        path_root: "httpmock",
        package: "httpmock",
        spec: r#"{ version = "0.9", default-features = false }"#,
    },
    Known {
        path_root: "regex",
        package: "regex",
        spec: r#"{ version = "1", default-features = false, features = ["std"] }"#,
    },
    Known {
        path_root: "clap",
        package: "clap",
        spec: r#"{ version = "4", features = ["string"] }"#,
    },
    Known {
        path_root: "anyhow",
        package: "anyhow",
        spec: r#""1""#,
    },
];

/// One dependency the generated code needs: its package, and the crate
/// feature that enables it (`None`: always).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Needed {
    /// The package name.
    pub package: String,
    /// The feature whose code uses it, if only feature-gated code does.
    pub feature: Option<String>,
    /// Features of the dependency to enable.
    pub features: Vec<String>,
}

/// The crate feature under which a generated file is compiled.
fn file_feature(path: &str) -> Option<&'static str> {
    if path.ends_with("/mock.rs") {
        Some("mock")
    } else if path.ends_with("/cli.rs") {
        Some("cli")
    } else {
        None
    }
}

/// What the generated files of `output` need. `runtime` is the run-time
/// crate's package, when the client is wired to one.
pub fn needed(output: &Output, files: &[GeneratedFile], runtime: Option<&str>) -> BTreeSet<Needed> {
    let mut always: BTreeSet<&'static str> = BTreeSet::new();
    let mut gated: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let roots = path_roots(&file.contents);
        let feature = file_feature(&file.path);
        for known in KNOWN {
            if !roots.contains(known.path_root) {
                continue;
            }
            // Derives moved under a feature are needed only with it.
            let derive_feature = output
                .client
                .feature_derives
                .iter()
                .find(|(d, _)| d.split("::").next() == Some(known.path_root))
                .map(|(_, f)| f.as_str());
            match feature.or(derive_feature) {
                Some(f) => {
                    gated.entry(known.package).or_default().insert(f.to_owned());
                }
                None => {
                    always.insert(known.package);
                }
            }
        }
    }
    let mut out: BTreeSet<Needed> = always
        .iter()
        .map(|p| Needed {
            package: (*p).to_owned(),
            feature: None,
            features: package_features(p, files),
        })
        .collect();
    for (package, features) in gated {
        if always.contains(package) {
            continue;
        }
        for f in features {
            out.insert(Needed {
                package: package.to_owned(),
                feature: Some(f),
                features: Vec::new(),
            });
        }
    }
    if let Some(runtime) = runtime {
        out.insert(Needed {
            package: runtime.to_owned(),
            feature: None,
            features: Vec::new(),
        });
    }
    out
}

/// Features of `package` that only some specs' code needs: reqwest's
/// `multipart` for a `multipart/form-data` body (a crate without one does
/// not compile it).
fn package_features(package: &str, files: &[GeneratedFile]) -> Vec<String> {
    let uses = |needle: &str| {
        files
            .iter()
            .any(|f| file_feature(&f.path).is_none() && f.contents.contains(needle))
    };
    match package {
        "reqwest" if uses("reqwest::multipart::") => vec!["multipart".to_owned()],
        _ => Vec::new(),
    }
}

/// Every identifier used as the first segment of a path (`chrono::…`,
/// `::uuid::…`), in code and in attribute strings (`deserialize_with`).
pub fn path_roots(source: &str) -> BTreeSet<String> {
    let mut roots = BTreeSet::new();
    match source.parse::<TokenStream>() {
        Ok(tokens) => scan(tokens, &mut roots),
        Err(_) => return roots,
    }
    roots
}

fn scan(tokens: TokenStream, roots: &mut BTreeSet<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(g) => scan(g.stream(), roots),
            TokenTree::Ident(ident) => {
                let colons = matches!(
                    (tokens.get(i + 1), tokens.get(i + 2)),
                    (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                        if a.as_char() == ':' && a.spacing() == proc_macro2::Spacing::Joint && b.as_char() == ':'
                );
                if colons {
                    roots.insert(ident.to_string());
                }
            }
            TokenTree::Literal(lit) => {
                // Paths in attribute strings: `deserialize_with = "a::b::c"`.
                let text = lit.to_string();
                let inner = text.trim_matches('"').trim_start_matches("::");
                let segments: Vec<&str> = inner.split("::").collect();
                let is_path = text.starts_with('"')
                    && segments.len() > 1
                    && segments.iter().all(|s| {
                        s.chars()
                            .next()
                            .is_some_and(|c| c.is_alphabetic() || c == '_')
                            && s.chars().all(|c| c.is_alphanumeric() || c == '_')
                    });
                if is_path {
                    roots.insert(segments[0].to_owned());
                }
            }
            TokenTree::Punct(_) => {}
        }
    }
}

/// The workspace's `[workspace.dependencies]` names and its members.
pub struct Workspace {
    /// Packages declared in `[workspace.dependencies]`.
    pub dependencies: BTreeSet<String>,
    /// Member directories, relative to the root.
    pub members: Vec<String>,
}

impl Workspace {
    /// Reads the root `Cargo.toml`.
    pub fn read(root: &Path) -> Result<Self, Error> {
        let path = root.join("Cargo.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let doc: DocumentMut = text.parse().map_err(|e| {
            Error::Invalid(vec![Diagnostic::new(
                "Cargo.toml",
                Location::File,
                format!("does not parse: {e}"),
            )])
        })?;
        let dependencies = doc
            .get("workspace")
            .and_then(|w| w.get("dependencies"))
            .and_then(Item::as_table_like)
            .map(|t| t.iter().map(|(k, _)| k.to_owned()).collect())
            .unwrap_or_default();
        let members = strings(doc.get("workspace").and_then(|w| w.get("members")));
        Ok(Self {
            dependencies,
            members,
        })
    }

    /// The member directory of package `name`, if it is one.
    pub fn member_dir(&self, root: &Path, name: &str) -> Option<String> {
        self.members.iter().find_map(|member| {
            let text = std::fs::read_to_string(root.join(member).join("Cargo.toml")).ok()?;
            let doc: DocumentMut = text.parse().ok()?;
            let package = doc.get("package")?.get("name")?.as_str()?;
            (package == name).then(|| member.clone())
        })
    }
}

/// The crate's `Cargo.toml` with every needed dependency present, or the
/// problem that prevents it. Returns `None` when nothing is missing.
pub fn sync(
    root: &Path,
    workspace: &Workspace,
    output: &Output,
    needed: &BTreeSet<Needed>,
    tag_features: Option<&[String]>,
) -> Result<Option<GeneratedFile>, Error> {
    let missing = || {
        format!(
            "output `{}` has no crate here: create it with `cargo xtask new {} --spec {}`",
            output.name,
            output.crate_name(),
            output.spec
        )
    };
    sync_crate(
        root,
        workspace,
        &output.crate_dir,
        needed,
        missing,
        tag_features,
    )
}

/// [`sync`] for any crate of the workspace; `missing` says what to do when
/// the crate has no `Cargo.toml`.
pub fn sync_crate(
    root: &Path,
    workspace: &Workspace,
    crate_dir: &str,
    needed: &BTreeSet<Needed>,
    missing: impl Fn() -> String,
    tag_features: Option<&[String]>,
) -> Result<Option<GeneratedFile>, Error> {
    let relative = format!("{}/Cargo.toml", crate_dir.trim_end_matches('/'));
    let path = root.join(&relative);
    let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::Invalid(vec![Diagnostic::new(&relative, Location::File, missing())])
        }
        _ => Error::io(&path, e),
    })?;
    let mut doc: DocumentMut = text.parse().map_err(|e| {
        Error::Invalid(vec![Diagnostic::new(
            &relative,
            Location::File,
            format!("does not parse: {e}"),
        )])
    })?;
    let crate_dir = crate_dir.trim_end_matches('/');
    let mut changed = add_missing(&mut doc, root, workspace, crate_dir, needed);
    if let Some(tags) = tag_features {
        changed |= sync_tag_features(&mut doc, tags);
    }
    if !changed {
        return Ok(None);
    }
    Ok(Some(GeneratedFile {
        path: relative,
        contents: doc.to_string(),
    }))
}

/// Adds what is missing to `doc`; true when anything was added.
pub fn add_missing(
    doc: &mut DocumentMut,
    root: &Path,
    workspace: &Workspace,
    crate_dir: &str,
    needed: &BTreeSet<Needed>,
) -> bool {
    let mut changed = false;
    let present: BTreeSet<String> = dependency_names(doc);
    let mut added_optional: BTreeSet<String> = BTreeSet::new();
    let always: BTreeSet<&str> = needed
        .iter()
        .filter(|n| n.feature.is_none())
        .map(|n| n.package.as_str())
        .collect();
    for need in needed {
        if present.contains(&need.package) && need.feature.is_none() {
            changed |= add_features(doc, &need.package, &need.features);
        }
        if present.contains(&need.package)
            || (need.feature.is_some() && always.contains(need.package.as_str()))
        {
            continue;
        }
        if added_optional.contains(&need.package) {
            continue;
        }
        let optional = need.feature.is_some();
        let mut item = dependency(root, workspace, crate_dir, &need.package, optional);
        if !need.features.is_empty()
            && let Some(table) = item.as_inline_table_mut()
        {
            // Added to what the dependency enables already (reqwest's `json`).
            let mut features = table
                .get("features")
                .and_then(Toml::as_array)
                .cloned()
                .unwrap_or_default();
            for feature in &need.features {
                if !features.iter().any(|v| v.as_str() == Some(feature)) {
                    features.push(feature.as_str());
                }
            }
            table.insert("features", Toml::Array(features));
        }
        let deps = doc
            .entry("dependencies")
            .or_insert_with(|| Item::Table(Table::new()))
            .as_table_like_mut();
        if let Some(deps) = deps {
            deps.insert(&need.package, item);
            changed = true;
            if optional {
                added_optional.insert(need.package.clone());
            }
        }
    }
    // Features of optional dependencies: `<feature> = [..., "dep:<package>"]`.
    for need in needed {
        let Some(feature) = &need.feature else {
            continue;
        };
        let optional_dep =
            added_optional.contains(&need.package) || is_optional(doc, &need.package);
        if !optional_dep {
            continue;
        }
        let features = doc
            .entry("features")
            .or_insert_with(|| Item::Table(Table::new()));
        let Some(features) = features.as_table_like_mut() else {
            continue;
        };
        let entry = features
            .entry(feature)
            .or_insert(Item::Value(Toml::Array(Array::new())));
        if let Some(list) = entry.as_array_mut() {
            let wanted = format!("dep:{}", need.package);
            let has = list
                .iter()
                .any(|v| v.as_str() == Some(&wanted) || v.as_str() == Some(&need.package));
            if !has {
                list.push(wanted);
                changed = true;
            }
        }
    }
    changed
}

/// The strings of a TOML array (none when `item` is not one).
pub fn strings(item: Option<&Item>) -> Vec<String> {
    item.and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Keeps the per-tag features of [`crate::tag_features`] in `[features]`:
/// one per tag (`= []` when new), `full` holding exactly them, `full` in
/// `default` when `full` is new, and in `cli` and `mock` (their modules
/// name every operation). `full` is the generator's: a feature that was in
/// it and is no tag's any more is removed, unless someone gave it a value.
/// True when anything changed.
pub fn sync_tag_features(doc: &mut DocumentMut, tags: &[String]) -> bool {
    use crate::tag_features::FULL;
    let features = doc
        .entry("features")
        .or_insert_with(|| Item::Table(Table::new()));
    let Some(features) = features.as_table_like_mut() else {
        return false;
    };
    let mut changed = false;
    let old_full = strings(features.get(FULL));
    let full_is_new = features.get(FULL).is_none();
    for gone in old_full.iter().filter(|f| !tags.contains(f)) {
        let empty = features
            .get(gone)
            .and_then(Item::as_array)
            .is_some_and(Array::is_empty);
        if empty {
            features.remove(gone);
            changed = true;
        }
    }
    if full_is_new || old_full != tags {
        let mut full: Array = tags.iter().map(String::as_str).collect();
        if tags.len() > 3 {
            // One per line: a diff then shows which tag came or went.
            for value in full.iter_mut() {
                value.decor_mut().set_prefix("\n    ");
            }
            full.set_trailing(",\n");
        }
        features.insert(FULL, Item::Value(Toml::Array(full)));
        if full_is_new && let Some((mut key, _)) = features.get_key_value_mut(FULL) {
            key.leaf_decor_mut().set_prefix(
                "# Every tag's operations (`features = \"per-tag\"`): a consumer that\n# calls a few turns off default features and enables their tags' only.\n# Kept by `cargo xtask regenerate`.\n",
            );
        }
        changed = true;
    }
    for tag in tags {
        if features.get(tag).is_none() {
            features.insert(tag, Item::Value(Toml::Array(Array::new())));
            changed = true;
        }
    }
    let mut needs_full = vec!["cli", "mock"];
    if full_is_new {
        needs_full.push("default");
    }
    for name in needs_full {
        let entry = match name {
            "default" => features
                .entry(name)
                .or_insert(Item::Value(Toml::Array(Array::new()))),
            _ => match features.get_mut(name) {
                Some(entry) => entry,
                None => continue,
            },
        };
        if let Some(list) = entry.as_array_mut()
            && !list.iter().any(|v| v.as_str() == Some(FULL))
        {
            list.push(FULL);
            changed = true;
        }
    }
    changed
}

/// Adds `features` the present dependency `package` lacks; true when
/// any was added. A dependency written as a bare version becomes a table.
fn add_features(doc: &mut DocumentMut, package: &str, features: &[String]) -> bool {
    if features.is_empty() {
        return false;
    }
    let Some(deps) = doc
        .get_mut("dependencies")
        .and_then(Item::as_table_like_mut)
    else {
        return false;
    };
    let Some(item) = deps.get_mut(package) else {
        return false;
    };
    if let Some(version) = item.as_str().map(str::to_owned) {
        let mut table = InlineTable::new();
        table.insert("version", version.into());
        *item = Item::Value(Toml::InlineTable(table));
    }
    let Some(table) = item.as_table_like_mut() else {
        return false;
    };
    let list = table
        .entry("features")
        .or_insert(Item::Value(Toml::Array(Array::new())));
    let Some(list) = list.as_array_mut() else {
        return false;
    };
    let mut changed = false;
    for feature in features {
        if !list.iter().any(|v| v.as_str() == Some(feature)) {
            list.push(feature.as_str());
            changed = true;
        }
    }
    changed
}

fn dependency_names(doc: &DocumentMut) -> BTreeSet<String> {
    let Some(deps) = doc.get("dependencies").and_then(Item::as_table_like) else {
        return BTreeSet::new();
    };
    deps.iter()
        .map(|(key, item)| {
            item.get("package")
                .and_then(|p| p.as_str())
                .map_or_else(|| key.to_owned(), str::to_owned)
        })
        .collect()
}

fn is_optional(doc: &DocumentMut, package: &str) -> bool {
    doc.get("dependencies")
        .and_then(|d| d.get(package))
        .and_then(|d| d.get("optional"))
        .and_then(|o| o.as_bool())
        .unwrap_or(false)
}

/// How to depend on `package` from the crate at `crate_dir`: the
/// workspace's declaration, a path to a workspace member, or the table.
fn dependency(
    root: &Path,
    workspace: &Workspace,
    crate_dir: &str,
    package: &str,
    optional: bool,
) -> Item {
    let mut table = InlineTable::new();
    if workspace.dependencies.contains(package) {
        table.insert("workspace", true.into());
    } else if let Some(member) = workspace.member_dir(root, package) {
        let depth = crate_dir.split('/').filter(|s| !s.is_empty()).count();
        let path = format!("{}{member}", "../".repeat(depth));
        let member_doc = std::fs::read_to_string(root.join(&member).join("Cargo.toml"))
            .ok()
            .and_then(|t| t.parse::<DocumentMut>().ok());
        let member_package = member_doc.as_ref().and_then(|d| d.get("package"));
        let version = member_package
            .and_then(|p| p.get("version")?.as_str())
            .map(|v| v.split('+').next().unwrap_or(v).to_owned());
        if let Some(version) = version {
            table.insert("version", version.into());
        }
        table.insert("path", path.into());
        // Published to one registry only: the published crate must find it
        // there, not on crates.io.
        if let Some([registry]) = member_package
            .and_then(|p| p.get("publish")?.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>())
            .as_deref()
        {
            table.insert("registry", (*registry).into());
        }
        table.insert("default-features", false.into());
    } else if let Some(known) = KNOWN.iter().find(|k| k.package == package) {
        let value: Toml = known.spec.parse().unwrap_or_else(|_| Toml::from("*"));
        match value {
            Toml::InlineTable(t) => table = t,
            other => {
                table.insert("version", other);
            }
        }
    } else {
        table.insert("version", "*".into());
    }
    if optional {
        table.insert("optional", true.into());
    }
    if table.len() == 1
        && let Some(version) = table.get("version")
    {
        return Item::Value(version.clone());
    }
    Item::Value(Toml::InlineTable(table))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn reqwest_gets_multipart_only_where_a_client_sends_one() {
        let multipart = "fn f() -> ::reqwest::multipart::Form { todo!() }";
        let client = file("c/src/generated/client.rs", multipart);
        assert_eq!(package_features("reqwest", &[client]), ["multipart"]);
        let plain = file("c/src/generated/client.rs", "fn f(b: reqwest::Body) {}");
        assert!(package_features("reqwest", &[plain]).is_empty());
        // The mock module is compiled under its own feature only.
        let mock = file("c/src/generated/mock.rs", multipart);
        assert!(package_features("reqwest", &[mock]).is_empty());
    }

    #[test]
    fn tag_features_are_kept_in_full_and_a_gone_tag_goes_unless_given_a_value() {
        let mut doc: DocumentMut =
            "[features]\ndefault = [\"rustls\"]\nrustls = []\nmock = [\"dep:httpmock\"]\n"
                .parse()
                .unwrap();
        let tags = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(sync_tag_features(&mut doc, &tags(&["pets", "store"])));
        let text = doc.to_string();
        for line in [
            "default = [\"rustls\", \"full\"]",
            "mock = [\"dep:httpmock\", \"full\"]",
            "full = [\"pets\", \"store\"]\npets = []\nstore = []",
        ] {
            assert!(text.contains(line), "missing `{line}` in\n{text}");
        }
        assert!(
            !sync_tag_features(&mut doc, &tags(&["pets", "store"])),
            "{doc}"
        );
        // `store` goes; `pets` was given a value by hand and stays.
        let mut doc: DocumentMut = doc
            .to_string()
            .replace("pets = []", "pets = [\"rustls\"]")
            .parse()
            .unwrap();
        assert!(sync_tag_features(&mut doc, &tags(&["users"])));
        let text = doc.to_string();
        assert!(
            text.contains("full = [\"users\"]") && text.contains("pets = [\"rustls\"]"),
            "{text}"
        );
        assert!(!text.contains("store"), "{text}");
        // A user who took `full` out of `default` keeps it out.
        let mut doc: DocumentMut = text
            .replace("default = [\"rustls\", \"full\"]", "default = []")
            .parse()
            .unwrap();
        assert!(!sync_tag_features(&mut doc, &tags(&["users"])));
    }

    #[test]
    fn features_are_added_to_a_present_dependency_and_nothing_else_changes() {
        let mut doc: DocumentMut =
            "[dependencies]\nreqwest = { workspace = true }\nserde = \"1\"\n"
                .parse()
                .unwrap();
        let multipart = ["multipart".to_owned()];
        assert!(add_features(&mut doc, "reqwest", &multipart));
        assert!(!add_features(&mut doc, "reqwest", &multipart));
        assert!(add_features(&mut doc, "serde", &["derive".to_owned()]));
        assert!(!add_features(&mut doc, "uuid", &multipart));
        assert_eq!(
            doc.to_string(),
            "[dependencies]\nreqwest = { workspace = true , features = [\"multipart\"] }\nserde = { version = \"1\", features = [\"derive\"] }\n"
        );
    }
}
