//! `cargo xtask fuzz`: seeded, bounded mutations of the corpus documents
//! (tests/corpus) and of our specs (spec/), each run through load, fixes and
//! generation in memory. No panic may escape and no internal error occur;
//! a refusal is fine. Then a sample of the mutants that generated is built
//! in a scratch workspace, where every one must compile.

pub mod mutate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use masstack_codegen::crate_manifest::{self, Workspace};
use masstack_codegen::manifest::{ClientSettings, Fixes, Manifest, Output};
use masstack_codegen::{Error, GeneratedFile, output, scaffold};
use serde::Deserialize;
use serde_json::Value;

use mutate::{Rng, Verdict, judge, mutant};

/// `cargo xtask fuzz`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The seed: the same seed makes the same mutants.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many mutants.
    #[arg(long, default_value_t = 1000)]
    mutations: usize,
    /// How many of the mutants that generated to build (0: none).
    #[arg(long, default_value_t = 20)]
    compile: usize,
    /// Documents larger than this many bytes are left out (prog-nexus.json
    /// alone would take most of the run).
    #[arg(long, default_value_t = 100_000)]
    max_bytes: u64,
    /// The scratch workspace, relative to the root (its build is reused).
    #[arg(long, default_value = "target/fuzz")]
    work: PathBuf,
}

/// A document mutants are made of, and where its fixes' files are.
struct Base {
    file: String,
    json: Value,
    fixes: Fixes,
    fixes_root: PathBuf,
}

/// The `fixes` of `corpus.toml` (its other keys are for `cargo xtask corpus`).
#[derive(Default, Deserialize)]
struct Corpus {
    #[serde(default, rename = "spec")]
    specs: Vec<CorpusEntry>,
}

#[derive(Deserialize)]
struct CorpusEntry {
    file: String,
    #[serde(default)]
    fixes: Fixes,
}

/// Runs the mutants, builds a sample, prints the figures and every bug.
pub fn run(root: &Path, args: Args) -> Result<ExitCode, Error> {
    let start = Instant::now();
    let bases = bases(root, args.max_bytes)?;
    let manifest = Manifest {
        command: "cargo xtask fuzz".into(),
        outputs: Vec::new(),
        cli: None,
    };
    let mut rng = Rng::new(args.seed);
    let (mut rejected, mut unlocated) = (0, Vec::new());
    let mut bugs = Vec::new();
    let mut generated: Vec<(Output, Vec<GeneratedFile>)> = Vec::new();
    for i in 0..args.mutations {
        let base = rng.pick(&bases);
        let (doc, mutations) = mutant(&base.json, &mut rng);
        let output = fuzz_output(i, &base.fixes);
        let name = format!("{}.json", output.name);
        match judge(&base.fixes_root, &name, &doc, &manifest, &output) {
            Verdict::Generated(generation) => generated.push((output, generation.files)),
            Verdict::Rejected { unlocated: first } => {
                rejected += 1;
                unlocated.extend(first.map(|problem| {
                    format!(
                        "mutant {i} of {} ({}): {}",
                        base.file,
                        mutations.join("; "),
                        first_line(&problem)
                    )
                }));
            }
            Verdict::Internal(why) | Verdict::Panicked(why) => bugs.push(format!(
                "seed {} mutant {i} of {}: {}: {why}",
                args.seed,
                base.file,
                mutations.join("; ")
            )),
        }
    }
    let generation_time = start.elapsed();
    let sample = sample(&generated, args.compile);
    let failures = if sample.is_empty() {
        BTreeMap::new()
    } else {
        compile(root, &args.work, &sample)?
    };
    println!(
        "{} mutants of {} documents (seed {}): {} generated, {rejected} rejected ({} with a problem located at the file only), {} generator bugs; {} of the generated built, {} do not compile; {:.1?} generating, {:.1?} in all",
        args.mutations,
        bases.len(),
        args.seed,
        generated.len(),
        unlocated.len(),
        bugs.len(),
        sample.len(),
        failures.len(),
        generation_time,
        start.elapsed()
    );
    for bug in &bugs {
        println!("bug: {bug}");
    }
    for (package, errors) in &failures {
        println!("does not compile: {package} (spec/{package}.json in the scratch workspace):");
        for line in errors.iter().take(2).flat_map(|e| e.lines().take(8)) {
            println!("    {line}");
        }
    }
    for problem in unlocated.iter().take(5) {
        println!("located at the file only: {problem}");
    }
    Ok(if bugs.is_empty() && failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// The corpus's documents (with `corpus.toml`'s fixes) and our specs.
fn bases(root: &Path, max_bytes: u64) -> Result<Vec<Base>, Error> {
    let corpus_dir = root.join("tests/corpus");
    let corpus: Corpus = match std::fs::read_to_string(corpus_dir.join("corpus.toml")) {
        Ok(text) => toml::from_str(&text).map_err(|e| {
            Error::Invalid(vec![masstack_codegen::Diagnostic::new(
                "tests/corpus/corpus.toml",
                masstack_codegen::Location::File,
                format!("invalid corpus manifest: {e}"),
            )])
        })?,
        Err(_) => Corpus::default(),
    };
    let overlays: Vec<&String> = corpus
        .specs
        .iter()
        .flat_map(|e| &e.fixes.overlays)
        .collect();
    let mut found = Vec::new();
    for (dir, root_of_fixes) in [
        (corpus_dir.clone(), corpus_dir.clone()),
        (root.join("spec"), root.to_owned()),
    ] {
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            let file = entry.file_name().to_string_lossy().into_owned();
            let is_doc = masstack_openapi::load::is_document_name(&file);
            let big = entry.metadata().map_or(true, |m| m.len() > max_bytes);
            if is_doc && !big && !overlays.contains(&&file) {
                found.push((dir.clone(), root_of_fixes.clone(), file));
            }
        }
    }
    found.sort();
    found
        .into_iter()
        .map(|(dir, fixes_root, file)| {
            let relative = dir.strip_prefix(root).unwrap_or(&dir).join(&file);
            let spec = masstack_codegen::load::load(root, &relative.to_string_lossy())?;
            let fixes = corpus
                .specs
                .iter()
                .find(|e| e.file == file && fixes_root == corpus_dir)
                .map(|e| e.fixes.clone())
                .unwrap_or_default();
            Ok(Base {
                file: relative.to_string_lossy().into_owned(),
                json: spec.json,
                fixes,
                fixes_root,
            })
        })
        .collect()
}

/// Mutant `i`'s output, as `cargo xtask new` would make it.
fn fuzz_output(i: usize, fixes: &Fixes) -> Output {
    let name = format!("fuzz-{i}");
    Output {
        spec: format!("spec/{name}.json"),
        crate_dir: format!("crates/{name}"),
        name,
        client: ClientSettings {
            runtime: Some("masstack_client_runtime".into()),
            ..ClientSettings::default()
        },
        extras: Vec::new(),
        lint: Default::default(),
        fixes: fixes.clone(),
        cli_name: None,
        strict: false,
        features: Default::default(),
    }
}

/// Up to `k` of the generated mutants, spread evenly over the run.
fn sample(
    generated: &[(Output, Vec<GeneratedFile>)],
    k: usize,
) -> Vec<&(Output, Vec<GeneratedFile>)> {
    if k == 0 || generated.is_empty() {
        return Vec::new();
    }
    let k = k.min(generated.len());
    (0..k)
        .map(|j| &generated[j * generated.len() / k])
        .collect()
}

/// Writes the sample into a fresh scratch workspace and builds it once;
/// the errors of each package that does not compile.
fn compile(
    root: &Path,
    work: &Path,
    sample: &[&(Output, Vec<GeneratedFile>)],
) -> Result<BTreeMap<String, Vec<String>>, Error> {
    let work = root.join(work);
    let ws = work.join("ws");
    let _ = std::fs::remove_dir_all(ws.join("crates"));
    let runtime = root.join("crates/masstack-client-runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime);
    write(
        &ws.join("Cargo.toml"),
        &format!(
            "# Scratch workspace of `cargo xtask fuzz`; rewritten on every run.\n[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n\n[workspace.package]\nedition = \"2024\"\n\n[workspace.dependencies]\nmasstack-client-runtime = {{ path = \"{}\", default-features = false }}\n",
            runtime.display()
        ),
    )?;
    for (output, _) in sample {
        let about = scaffold::About {
            title: &output.name,
            api_version: "0",
        };
        let inherits = scaffold::Inherits {
            package_keys: vec!["edition".into()],
            lints: false,
            publish: Vec::new(),
        };
        let dir = ws.join(&output.crate_dir);
        let runtime = output.runtime_package();
        write(
            &dir.join("Cargo.toml"),
            &scaffold::cargo_toml(output, &about, &inherits, runtime.as_deref()),
        )?;
        write(
            &dir.join("README.md"),
            &scaffold::readme(output, &about, "cargo xtask fuzz"),
        )?;
        write(&dir.join("src/lib.rs"), scaffold::lib_rs())?;
    }
    let workspace = Workspace::read(&ws)?;
    for (output, files) in sample {
        let runtime = output.runtime_package();
        let needed = crate_manifest::needed(output, files, runtime.as_deref());
        let mut files = files.clone();
        files.extend(crate_manifest::sync(
            &ws, &workspace, output, &needed, None,
        )?);
        output::write(&ws, &files, &[])?;
    }
    crate::corpus::build(&ws, &work.join("target"), None)
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}
