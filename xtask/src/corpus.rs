//! `cargo xtask corpus DIR`: every spec of DIR generated as a crate of a
//! scratch workspace and built, as a new user adding it would; one line per
//! spec and a total. Specs are never edited: what a spec needs comes from
//! the corpus manifest (`corpus.toml`), as `[output.fixes]` would.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use masstack_codegen::crate_manifest::Workspace;
use masstack_codegen::manifest::{ClientSettings, Extra, Fixes, LintSettings, Manifest, Output};
use masstack_codegen::{Error, output, scaffold};
use serde::Deserialize;

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
    Generated,
}

pub fn run(root: &Path, args: Args) -> Result<ExitCode, Error> {
    let dir = if args.dir.is_absolute() {
        args.dir.clone()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(".", e))?
            .join(&args.dir)
    };
    let manifest_path = args
        .corpus_manifest
        .clone()
        .or_else(|| Some(dir.join("corpus.toml")).filter(|p| p.exists()))
        .unwrap_or_else(|| root.join("tests/corpus/corpus.toml"));
    let corpus: CorpusManifest = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => toml::from_str(&text).map_err(|e| {
            Error::Invalid(vec![masstack_codegen::Diagnostic::new(
                &manifest_path.display().to_string(),
                masstack_codegen::Location::File,
                format!("invalid corpus manifest: {e}"),
            )])
        })?,
        Err(_) => CorpusManifest::default(),
    };
    let fixes_dir = manifest_path.parent().unwrap_or(&dir).to_owned();
    let overlays: Vec<String> = corpus
        .specs
        .iter()
        .flat_map(|e| e.fixes.overlays.clone())
        .collect();
    let mut specs: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| Error::io(&dir, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| [".yaml", ".yml", ".json"].iter().any(|x| n.ends_with(x)))
        .filter(|n| !overlays.contains(n))
        .collect();
    specs.sort();

    let work = root.join(&args.work);
    let ws = work.join("ws");
    for sub in ["crates", "spec"] {
        let _ = std::fs::remove_dir_all(ws.join(sub));
    }
    std::fs::create_dir_all(ws.join("spec")).map_err(|e| Error::io(&ws, e))?;
    let runtime = root.join("crates/masstack-client-runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime);
    write(
        &ws.join("Cargo.toml"),
        &format!(
            "# Scratch workspace of `cargo xtask corpus`; rewritten on every run.\n[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n\n[workspace.package]\nedition = \"2024\"\n\n[workspace.dependencies]\nmasstack-client-runtime = {{ path = \"{}\", default-features = false }}\n",
            runtime.display()
        ),
    )?;

    let by_file: BTreeMap<&str, &Entry> =
        corpus.specs.iter().map(|e| (e.file.as_str(), e)).collect();
    let mut outputs = Vec::new();
    for file in &specs {
        copy(&dir.join(file), &ws.join("spec").join(file))?;
        let entry = by_file.get(file.as_str());
        let mut fixes = entry.map(|e| e.fixes.clone()).unwrap_or_default();
        for overlay in &mut fixes.overlays {
            copy(&fixes_dir.join(&*overlay), &ws.join("spec").join(&*overlay))?;
            *overlay = format!("spec/{overlay}");
        }
        let name = package_name(file);
        let client = entry
            .and_then(|e| e.client.clone())
            .unwrap_or_else(|| ClientSettings {
                runtime: Some("masstack_client_runtime".into()),
                ..ClientSettings::default()
            });
        outputs.push(Output {
            name: name.clone(),
            spec: format!("spec/{file}"),
            crate_dir: format!("crates/{name}"),
            client,
            extras: entry.map(|e| e.extras.clone()).unwrap_or_default(),
            lint: LintSettings::default(),
            fixes,
            cli_name: None,
        });
    }
    let manifest = Manifest {
        command: "cargo xtask corpus".into(),
        outputs,
        cli: None,
    };
    let manifest_text = manifest
        .outputs
        .iter()
        .map(scaffold::manifest_entry)
        .collect::<String>();
    write(&ws.join("spec/codegen.toml"), &manifest_text)?;

    let mut fates: Vec<(String, Fate)> = Vec::new();
    for (file, output) in specs.iter().zip(&manifest.outputs) {
        let spec = masstack_codegen::load::load(&ws, &output.spec);
        let about = match &spec {
            Ok(s) => (s.openapi.info.title.clone(), s.openapi.info.version.clone()),
            Err(_) => (file.clone(), "0".into()),
        };
        let about = scaffold::About {
            title: &about.0,
            api_version: &about.1,
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
        write(&crate_dir.join("src/lib.rs"), scaffold::lib_rs())?;
        let workspace = Workspace::read(&ws)?;
        let fate = match masstack_codegen::generate_output(
            &ws,
            "spec/codegen.toml",
            &manifest,
            output,
            &workspace,
        ) {
            Ok(files) => {
                output::write(&ws, &files, &[])?;
                Fate::Generated
            }
            Err(Error::Invalid(problems)) => {
                let _ = std::fs::remove_dir_all(&crate_dir);
                Fate::Rejected(problems.iter().map(|d| d.to_string()).collect())
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&crate_dir);
                Fate::Failed(e.to_string())
            }
        };
        fates.push((file.clone(), fate));
    }

    let build_errors = if args.no_build {
        BTreeMap::new()
    } else {
        build(&ws, &work.join("target"))?
    };
    let (mut compiles, mut rejected, mut failed) = (0, 0, 0);
    for ((file, fate), output) in fates.iter().zip(&manifest.outputs) {
        match fate {
            Fate::Rejected(problems) => {
                rejected += 1;
                println!(
                    "{file}: rejected with {} located problem(s)",
                    problems.len()
                );
                for p in problems {
                    println!("    {p}");
                }
            }
            Fate::Failed(e) => {
                failed += 1;
                println!("{file}: failed: {e}");
            }
            Fate::Generated if args.no_build => {
                compiles += 1;
                println!("{file}: generated (not built)");
            }
            Fate::Generated => match build_errors.get(output.crate_name()) {
                None => {
                    compiles += 1;
                    println!("{file}: generated and compiles");
                }
                Some(errors) => {
                    failed += 1;
                    println!("{file}: generated but does not compile:");
                    for e in errors.iter().take(3) {
                        for line in e.lines().take(6) {
                            println!("    {line}");
                        }
                    }
                }
            },
        }
    }
    let verb = if args.no_build {
        "generated"
    } else {
        "generated and compiling"
    };
    println!(
        "{} specs: {compiles} {verb}, {rejected} rejected, {failed} failed",
        fates.len()
    );
    Ok(if rejected + failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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

/// Builds the scratch workspace; the errors of each package that failed.
fn build(ws: &Path, target: &Path) -> Result<BTreeMap<String, Vec<String>>, Error> {
    let mut child = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["build", "--keep-going", "--message-format=json", "--quiet"])
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
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
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
    child.wait().map_err(|e| Error::io(ws, e))?;
    Ok(errors)
}

fn copy(from: &Path, to: &Path) -> Result<(), Error> {
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
