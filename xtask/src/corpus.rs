//! `cargo xtask corpus DIR`: every spec of DIR generated as a crate of a
//! scratch workspace and built, as a new user adding it would; one line per
//! spec and a total. Specs are never edited: what a spec needs comes from
//! the corpus manifest (`corpus.toml`), as `[output.fixes]` would. Every
//! spec gets every extra that applies to any spec ([`EXTRAS`]), and the
//! build enables their features, so their code is compiled too.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use masstack_codegen::crate_manifest::Workspace;
use masstack_codegen::manifest::{
    ClientSettings, Extra, FeatureStyle, Fixes, LintSettings, Manifest, Output,
};
use masstack_codegen::{Error, output, scaffold};
use serde::Deserialize;

/// The extras every spec gets: those that apply to any spec (`examples`
/// and `lifecycle` need the spec's example schemas and `x-transactions`).
/// `environments` gives a spec without servers an `Environment` with no
/// variants; the `cli` extra needs it.
const EXTRAS: [Extra; 3] = [Extra::Environments, Extra::Httpmock, Extra::Cli];

/// The derive the `cli` extra needs, compiled only with the `cli` feature
/// (as `cargo xtask new` sets it up).
const SCHEMA_DERIVE: &str = "schemars::JsonSchema";

/// `cargo xtask corpus`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The directory of OpenAPI documents.
    dir: PathBuf,
    /// What the specs need (default: DIR/corpus.toml, else the repository's
    /// tests/corpus/corpus.toml, whose entries name specs by file name).
    #[arg(long = "corpus-manifest")]
    corpus_manifest: Option<PathBuf>,
    /// The scratch workspace, relative to the root (its build is reused).
    #[arg(long, default_value = "target/corpus")]
    work: PathBuf,
    /// Only generate; do not build.
    #[arg(long)]
    no_build: bool,
    /// Every spec with `features = "per-tag"`; each feature of a spec with
    /// several is then also compiled alone (`--no-default-features`), so a
    /// type gated under the wrong tag does not compile.
    #[arg(long)]
    per_tag: bool,
}

/// `corpus.toml`: per spec file, what it needs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusManifest {
    #[serde(default, rename = "spec")]
    specs: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    /// The spec's file name in the corpus directory.
    file: String,
    /// Why it needs what it needs (for the reader of corpus.toml).
    #[allow(dead_code)]
    why: Option<String>,
    #[serde(default)]
    fixes: Fixes,
    #[serde(default)]
    extras: Vec<Extra>,
    client: Option<ClientSettings>,
}

/// How one spec fared.
enum Fate {
    Rejected(Vec<String>),
    Failed(String),
    Generated(Vec<masstack_codegen::Summary>),
}

/// Generates every spec of the corpus into a scratch workspace, builds it,
/// and prints one line per spec and a total.
pub fn run(root: &Path, args: Args) -> Result<ExitCode, Error> {
    let dir = absolute(&args.dir)?;
    let manifest_path = args
        .corpus_manifest
        .clone()
        .or_else(|| Some(dir.join("corpus.toml")).filter(|p| p.exists()))
        .unwrap_or_else(|| root.join("tests/corpus/corpus.toml"));
    let corpus = read_corpus(&manifest_path)?;
    let specs = spec_files(&dir, &corpus)?;
    let work = root.join(&args.work);
    let ws = work.join("ws");
    prepare_workspace(root, &ws)?;
    let fixes_dir = manifest_path.parent().unwrap_or(&dir).to_owned();
    let features = if args.per_tag {
        FeatureStyle::PerTag
    } else {
        FeatureStyle::None
    };
    let manifest = plan(&corpus, &specs, &dir, &fixes_dir, &ws, features)?;
    let fates = specs
        .iter()
        .zip(&manifest.outputs)
        .map(|(file, output)| Ok((file.clone(), generate_one(&ws, &manifest, file, output)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    let build_errors = if args.no_build {
        None
    } else {
        let features = extra_features(&fates, &manifest);
        let target = work.join("target");
        let mut errors = build(&ws, &target, Some(&features))?;
        if args.per_tag {
            check_each_feature(&ws, &target, &fates, &manifest, &mut errors)?;
        }
        Some(errors)
    };
    Ok(report(&fates, &manifest, build_errors.as_ref()))
}

fn absolute(dir: &Path) -> Result<PathBuf, Error> {
    if dir.is_absolute() {
        return Ok(dir.to_owned());
    }
    Ok(std::env::current_dir()
        .map_err(|e| Error::io(".", e))?
        .join(dir))
}

/// `corpus.toml`, or an empty one when there is none.
fn read_corpus(path: &Path) -> Result<CorpusManifest, Error> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(CorpusManifest::default());
    };
    toml::from_str(&text).map_err(|e| {
        Error::Invalid(vec![masstack_codegen::Diagnostic::new(
            &path.display().to_string(),
            masstack_codegen::Location::File,
            format!("invalid corpus manifest: {e}"),
        )])
    })
}

/// The corpus's spec files, sorted, leaving out the overlays it names.
fn spec_files(dir: &Path, corpus: &CorpusManifest) -> Result<Vec<String>, Error> {
    let overlays: Vec<&String> = corpus
        .specs
        .iter()
        .flat_map(|e| &e.fixes.overlays)
        .collect();
    // A folder is one spec of several files (its entry document refers to
    // the others).
    let mut specs: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            e.path().is_dir() || masstack_openapi::load::is_document_name(&name)
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !overlays.contains(&n))
        .collect();
    specs.sort();
    Ok(specs)
}

/// A fresh scratch workspace (its `target` kept, so builds are reused)
/// whose crates use this repository's runtime.
fn prepare_workspace(root: &Path, ws: &Path) -> Result<(), Error> {
    for sub in ["crates", "spec"] {
        let _ = std::fs::remove_dir_all(ws.join(sub));
    }
    std::fs::create_dir_all(ws.join("spec")).map_err(|e| Error::io(ws, e))?;
    let runtime = root.join("crates/masstack-client-runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime);
    write(
        &ws.join("Cargo.toml"),
        &format!(
            "# Scratch workspace of `cargo xtask corpus`; rewritten on every run.\n[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n\n[workspace.package]\nedition = \"2024\"\n\n[workspace.dependencies]\nmasstack-client-runtime = {{ path = \"{}\", default-features = false }}\n",
            runtime.display()
        ),
    )
}

/// One output per spec, as `cargo xtask new` would write it, with what
/// `corpus.toml` says the spec needs; specs and overlays copied into the
/// workspace and the manifest written there.
fn plan(
    corpus: &CorpusManifest,
    specs: &[String],
    dir: &Path,
    fixes_dir: &Path,
    ws: &Path,
    features: FeatureStyle,
) -> Result<Manifest, Error> {
    let by_file: BTreeMap<&str, &Entry> =
        corpus.specs.iter().map(|e| (e.file.as_str(), e)).collect();
    let mut outputs = Vec::new();
    for file in specs {
        copy(&dir.join(file), &ws.join("spec").join(file))?;
        let entry = by_file.get(file.as_str());
        let mut fixes = entry.map(|e| e.fixes.clone()).unwrap_or_default();
        for overlay in &mut fixes.overlays {
            copy(&fixes_dir.join(&*overlay), &ws.join("spec").join(&*overlay))?;
            *overlay = format!("spec/{overlay}");
        }
        let name = package_name(file);
        let mut client = entry
            .and_then(|e| e.client.clone())
            .unwrap_or_else(|| ClientSettings {
                runtime: Some("masstack_client_runtime".into()),
                ..ClientSettings::default()
            });
        if !client.derives.iter().any(|d| d == SCHEMA_DERIVE) {
            client.derives.push(SCHEMA_DERIVE.into());
            client
                .feature_derives
                .insert(SCHEMA_DERIVE.into(), "cli".into());
        }
        let mut extras = entry.map(|e| e.extras.clone()).unwrap_or_default();
        extras.extend(EXTRAS);
        extras.sort();
        extras.dedup();
        outputs.push(Output {
            name: name.clone(),
            spec: format!("spec/{file}"),
            crate_dir: format!("crates/{name}"),
            client,
            extras,
            lint: LintSettings::default(),
            fixes,
            cli_name: None,
            strict: false,
            features,
        });
    }
    let manifest = Manifest {
        command: "cargo xtask corpus".into(),
        outputs,
        cli: None,
    };
    let manifest_text: String = manifest
        .outputs
        .iter()
        .map(scaffold::manifest_entry)
        .collect();
    write(&ws.join("spec/codegen.toml"), &manifest_text)?;
    Ok(manifest)
}

/// Scaffolds one spec's crate and generates it; a rejected or failed spec
/// leaves no crate behind.
fn generate_one(
    ws: &Path,
    manifest: &Manifest,
    file: &str,
    output: &Output,
) -> Result<Fate, Error> {
    scaffold_crate(ws, file, output)?;
    let workspace = Workspace::read(ws)?;
    let generated =
        masstack_codegen::generate_output(ws, "spec/codegen.toml", manifest, output, &workspace);
    let fate = match generated {
        Ok(generation) => {
            output::write(ws, &generation.files, &[])?;
            return Ok(Fate::Generated(generation.summaries));
        }
        Err(Error::Invalid(problems)) => {
            Fate::Rejected(problems.iter().map(|d| d.to_string()).collect())
        }
        Err(e) => Fate::Failed(e.to_string()),
    };
    let _ = std::fs::remove_dir_all(ws.join(&output.crate_dir));
    Ok(fate)
}

/// The crate's `Cargo.toml`, README and `lib.rs`, as `cargo xtask new`
/// writes them (title and version from the spec when it reads).
fn scaffold_crate(ws: &Path, file: &str, output: &Output) -> Result<(), Error> {
    let spec = masstack_codegen::load::load(ws, &output.spec);
    let (title, api_version) = match &spec {
        Ok(s) => (s.openapi.info.title.clone(), s.openapi.info.version.clone()),
        Err(_) => (file.to_owned(), "0".into()),
    };
    let about = scaffold::About {
        title: &title,
        api_version: &api_version,
    };
    let inherits = scaffold::Inherits {
        package_keys: vec!["edition".into()],
        lints: false,
        publish: Vec::new(),
    };
    let crate_dir = ws.join(&output.crate_dir);
    let runtime = output.runtime_package();
    write(
        &crate_dir.join("Cargo.toml"),
        &scaffold::cargo_toml(output, &about, &inherits, runtime.as_deref()),
    )?;
    write(
        &crate_dir.join("README.md"),
        &scaffold::readme(output, &about, "cargo xtask corpus"),
    )?;
    write(&crate_dir.join("src/lib.rs"), scaffold::lib_rs())
}

/// Prints one line per spec (with its problems or first build errors) and
/// the total; failure when any spec was rejected, failed or does not
/// compile. `build_errors` is `None` when nothing was built.
fn report(
    fates: &[(String, Fate)],
    manifest: &Manifest,
    build_errors: Option<&BTreeMap<String, Vec<String>>>,
) -> ExitCode {
    let (mut compiles, mut rejected, mut failed) = (0, 0, 0);
    for ((file, fate), output) in fates.iter().zip(&manifest.outputs) {
        match (fate, build_errors) {
            (Fate::Rejected(problems), _) => {
                rejected += 1;
                println!(
                    "{file}: rejected with {} located problem(s)",
                    problems.len()
                );
                for p in problems {
                    println!("    {p}");
                }
            }
            (Fate::Failed(e), _) => {
                failed += 1;
                println!("{file}: failed: {e}");
            }
            (Fate::Generated(summaries), None) => {
                compiles += 1;
                println!("{file}: generated (not built)");
                print_summaries(summaries);
            }
            // A build that failed before any crate compiled fails every spec.
            (Fate::Generated(summaries), Some(errors)) => match errors
                .get(output.crate_name())
                .or_else(|| errors.get("(the workspace)"))
            {
                None => {
                    compiles += 1;
                    println!("{file}: generated and compiles");
                    print_summaries(summaries);
                }
                Some(errors) => {
                    failed += 1;
                    println!("{file}: generated but does not compile:");
                    for line in errors.iter().take(3).flat_map(|e| e.lines().take(6)) {
                        println!("    {line}");
                    }
                }
            },
        }
    }
    let verb = match build_errors {
        None => "generated",
        Some(_) => "generated and compiling",
    };
    println!(
        "{} specs: {compiles} {verb}, {rejected} rejected, {failed} failed",
        fates.len()
    );
    if rejected + failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_summaries(summaries: &[masstack_codegen::Summary]) {
    for summary in summaries {
        for line in summary.to_string().lines() {
            println!("    {line}");
        }
    }
}

/// The package name for a spec file: `oai-petstore.yaml` -> `oai-petstore`.
fn package_name(file: &str) -> String {
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        _ => format!("spec-{name}"),
    }
}

/// `package/feature` for the feature of each extra of each generated crate
/// (`cli`, `mock`): `--all-features` would also turn on the runtime's
/// alternatives (`native-tls` beside `rustls`).
fn extra_features(fates: &[(String, Fate)], manifest: &Manifest) -> String {
    let mut features = Vec::new();
    for ((_, fate), output) in fates.iter().zip(&manifest.outputs) {
        if !matches!(fate, Fate::Generated(_)) {
            continue;
        }
        for extra in &output.extras {
            let feature = match extra {
                Extra::Cli => "cli",
                Extra::Httpmock => "mock",
                _ => continue,
            };
            features.push(format!("{}/{feature}", output.crate_name()));
        }
    }
    features.join(",")
}

/// Checks each per-tag feature of every crate that built, alone (no
/// default features, so no `full`): its errors and warnings (an unused
/// item is a gate too narrow somewhere else) go to `errors` under the
/// crate, each saying which feature.
fn check_each_feature(
    ws: &Path,
    target: &Path,
    fates: &[(String, Fate)],
    manifest: &Manifest,
    errors: &mut BTreeMap<String, Vec<String>>,
) -> Result<(), Error> {
    for ((_, fate), output) in fates.iter().zip(&manifest.outputs) {
        let Fate::Generated(summaries) = fate else {
            continue;
        };
        let package = output.crate_name();
        if errors.contains_key(package) || errors.contains_key("(the workspace)") {
            continue;
        }
        let Some(features) = summaries.first().and_then(|s| s.tag_features.as_ref()) else {
            continue;
        };
        if features.len() < 2 {
            continue;
        }
        for feature in features.keys() {
            let args = [
                "check",
                "-p",
                package,
                "--no-default-features",
                "--features",
                feature,
            ];
            let mut found = cargo_messages(ws, target, &args, &["error", "warning"])?;
            // The crate's own messages (the run-time crate is checked without
            // its TLS features here, which no consumer does).
            let own = found.remove(package).into_iter().flatten();
            let failed = found.remove("(the workspace)").into_iter().flatten();
            for message in own.chain(failed) {
                errors
                    .entry(package.to_owned())
                    .or_default()
                    .push(format!("with only feature `{feature}`: {message}"));
            }
        }
    }
    Ok(())
}

/// Builds a scratch workspace (this one, or `cargo xtask fuzz`'s), with
/// `features` when given; the errors of each package that failed, and a
/// build that failed without a compiler error under `(the workspace)`.
pub fn build(
    ws: &Path,
    target: &Path,
    features: Option<&str>,
) -> Result<BTreeMap<String, Vec<String>>, Error> {
    let mut args = vec!["build", "--keep-going"];
    if let Some(features) = features {
        args.extend(["--workspace", "--features", features]);
    }
    cargo_messages(ws, target, &args, &["error"])
}

/// Runs cargo with `args` in `ws`: the compiler messages of `levels`, by
/// package, and a run that failed without one under `(the workspace)`.
fn cargo_messages(
    ws: &Path,
    target: &Path,
    args: &[&str],
    levels: &[&str],
) -> Result<BTreeMap<String, Vec<String>>, Error> {
    let mut child = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .args(["--message-format=json", "--quiet"])
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target)
        // Compiled to prove it compiles: debug info only costs disk.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| Error::io(ws, e))?;
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let stdout = child.stdout.take().expect("piped");
    for line in std::io::BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
    {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let level = message["message"]["level"].as_str().unwrap_or_default();
        if message["reason"] != "compiler-message" || !levels.contains(&level) {
            continue;
        }
        let manifest = message["manifest_path"].as_str().unwrap_or_default();
        let package = Path::new(manifest)
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rendered = message["message"]["rendered"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        errors.entry(package).or_default().push(rendered);
    }
    let status = child.wait().map_err(|e| Error::io(ws, e))?;
    if !status.success() && errors.is_empty() {
        errors.insert(
            "(the workspace)".into(),
            vec![format!("cargo {} failed: {status}", args.join(" "))],
        );
    }
    Ok(errors)
}

/// Copies a file, or a folder with everything in it.
fn copy(from: &Path, to: &Path) -> Result<(), Error> {
    if from.is_dir() {
        for entry in std::fs::read_dir(from).map_err(|e| Error::io(from, e))? {
            let entry = entry.map_err(|e| Error::io(from, e))?;
            copy(&entry.path(), &to.join(entry.file_name()))?;
        }
        return Ok(());
    }
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::io(from, e))
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}
