//! `cargo xtask prism`: proof that the corpus clients work, not only
//! compile. After `cargo xtask corpus DIR` built the scratch workspace,
//! every spec is served by Prism (`@stoplight/prism-cli`, mock mode), a
//! server this project did not write, and a driver generated from the spec
//! calls every GET operation through the spec's client and asks Prism for
//! each documented error status (`Prefer: code=…`). One block per spec:
//! GET operations, called, decoded, each exception and its cause; each
//! error status and whether it decoded into its documented type.
//!
//! Steps: [`plan`] (from the spec and the generated builders), [`driver`]
//! (written beside the client and built), [`server`] (Prism), [`verdict`].

mod builders;
mod driver;
mod plan;
mod server;
mod values;
mod verdict;

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use masstack_codegen::load::Version;
use masstack_codegen::manifest::{self, Fixes, Output};
use masstack_codegen::{Diagnostic, Error, Location};

/// The corpus workspace's manifest, as `cargo xtask corpus` writes it.
const CORPUS_MANIFEST: &str = "spec/codegen.toml";

/// `cargo xtask prism`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The corpus directory given to `cargo xtask corpus` (for its
    /// `corpus.toml`: the fixes each client was generated with).
    #[arg(default_value = "tests/corpus")]
    dir: PathBuf,
    /// As `cargo xtask corpus --corpus-manifest`.
    #[arg(long = "corpus-manifest")]
    corpus_manifest: Option<PathBuf>,
    /// The scratch workspace `cargo xtask corpus` built, relative to the root.
    #[arg(long, default_value = "target/corpus")]
    work: PathBuf,
    /// The `prism` program (default: `MASSTACK_PRISM`, else
    /// target/prism/node_modules/.bin/prism, else `prism` on the PATH).
    #[arg(long)]
    prism: Option<PathBuf>,
    /// Only these specs (file names, as in the corpus); default all.
    #[arg(long = "only")]
    only: Vec<String>,
}

/// One spec's way through the steps.
enum Fate {
    /// No client crate: `cargo xtask corpus` rejected the spec.
    NoClient,
    /// The driver could not be planned, built or run.
    Broken(String),
    /// Prism could not serve the spec.
    Unserved(String),
    /// A version Prism does not read (3.2): the corpus run compiled its
    /// client, and that is all.
    CompileOnly(&'static str),
    /// The driver ran.
    Judged(verdict::Verdict),
}

/// A spec ready to run: its output, the spec as the client saw it, and
/// the driver's plan.
struct Prepared {
    output: Output,
    /// The file Prism serves: the spec, or a folder spec's entry document.
    entry: String,
    spec: serde_json::Value,
    plan: plan::Plan,
}

/// Plans, writes and builds every spec's driver, runs each against Prism,
/// prints the report; failure when an exception is not explained.
pub fn run(root: &Path, args: Args) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let program = server::locate(root, args.prism.as_deref()).ok_or_else(|| {
        invalid(
            "prism",
            "Prism is not installed: run `npm install --prefix target/prism @stoplight/prism-cli`, \
             or pass --prism PATH (or set MASSTACK_PRISM)",
        )
    })?;
    let work = root.join(&args.work);
    let ws = work.join("ws");
    if !ws.join(CORPUS_MANIFEST).exists() {
        return Err(invalid(
            &ws.display().to_string(),
            "no corpus workspace: run `cargo xtask corpus DIR` first",
        ));
    }
    let manifest = manifest::load(&ws, CORPUS_MANIFEST)?;
    let fixes = corpus_fixes(root, &args)?;
    let outputs: Vec<Output> = manifest
        .outputs
        .into_iter()
        .filter(|o| args.only.is_empty() || args.only.iter().any(|f| o.spec.ends_with(f)))
        .collect();
    let mut fates: Vec<(Output, Fate)> = Vec::new();
    let mut prepared = Vec::new();
    for mut output in outputs {
        let file = output.spec.trim_start_matches("spec/");
        if let Some(fixes) = fixes.get(file) {
            output.fixes = fixes.clone();
        }
        match prepare(&ws, &output) {
            Ok(Some(p)) if p.version == Version::OpenApi32 => {
                let why = "Prism 5 does not read OpenAPI 3.2";
                fates.push((p.prepared.output, Fate::CompileOnly(why)));
            }
            Ok(Some(p)) if p.operations == 0 => {
                let why = "no operations, only webhooks: Prism serves none";
                fates.push((p.prepared.output, Fate::CompileOnly(why)));
            }
            Ok(Some(p)) => prepared.push(p.prepared),
            Ok(None) => fates.push((output, Fate::NoClient)),
            Err(e) => fates.push((output, Fate::Broken(e))),
        }
    }
    let build_started = Instant::now();
    let build_errors = build(&ws, &work.join("target"), &prepared)?;
    println!(
        "built {} driver(s) in {:.0?}",
        prepared.len(),
        build_started.elapsed()
    );
    let logs = work.join("prism");
    std::fs::create_dir_all(&logs).map_err(|e| Error::io(&logs, e))?;
    for p in prepared {
        // A client that does not compile fails its driver's build too.
        let errors = [p.output.name.clone(), driver::package(&p.output.name)]
            .into_iter()
            .find_map(|package| Some((build_errors.get(&package)?, package)));
        let fate = match errors {
            Some((errors, package)) => Fate::Broken(format!(
                "`{package}` does not compile:\n{}",
                errors.iter().take(2).cloned().collect::<String>()
            )),
            None => serve_and_call(&program, &ws, &work, &logs, &p),
        };
        fates.push((p.output, fate));
    }
    fates.sort_by(|a, b| a.0.spec.cmp(&b.0.spec));
    Ok(report(&fates, started))
}

/// What `corpus.toml` says each spec needs (its overlays where `cargo
/// xtask corpus` copied them): the client was generated from the spec with
/// these fixes, so its operations are the fixed spec's.
fn corpus_fixes(root: &Path, args: &Args) -> Result<BTreeMap<String, Fixes>, Error> {
    /// The part of a `corpus.toml` entry read here.
    #[derive(serde::Deserialize)]
    struct Entry {
        file: String,
        #[serde(default)]
        fixes: Fixes,
    }
    #[derive(serde::Deserialize)]
    struct Corpus {
        #[serde(default)]
        spec: Vec<Entry>,
    }
    let dir = root.join(&args.dir);
    let path = args
        .corpus_manifest
        .clone()
        .or_else(|| Some(dir.join("corpus.toml")).filter(|p| p.exists()))
        .unwrap_or_else(|| root.join("tests/corpus/corpus.toml"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(BTreeMap::new());
    };
    let corpus: Corpus = toml::from_str(&text).map_err(|e| {
        invalid(
            &path.display().to_string(),
            &format!("invalid corpus manifest: {e}"),
        )
    })?;
    Ok(corpus
        .spec
        .into_iter()
        .map(|mut entry| {
            for overlay in &mut entry.fixes.overlays {
                *overlay = format!("spec/{overlay}");
            }
            (entry.file, entry.fixes)
        })
        .collect())
}

fn invalid(file: &str, message: &str) -> Error {
    Error::Invalid(vec![Diagnostic::new(file, Location::File, message)])
}

/// A prepared spec and the version it is written in.
struct Versioned {
    prepared: Prepared,
    version: Version,
    /// How many operations the client has.
    operations: usize,
}

/// Plans one spec's driver and writes it; `None` when the spec has no client.
fn prepare(ws: &Path, output: &Output) -> Result<Option<Versioned>, String> {
    let crate_dir = ws.join(&output.crate_dir);
    let client_rs = crate_dir.join("src/generated/client.rs");
    if !client_rs.exists() {
        return Ok(None);
    }
    let loaded = masstack_codegen::load::load(ws, &output.spec).map_err(|e| e.to_string())?;
    let (entry, version) = (loaded.name.clone(), loaded.origin.version);
    let fixed = masstack_codegen::fixes::apply(ws, CORPUS_MANIFEST, &output.fixes, loaded)
        .map_err(|e| e.to_string())?;
    let source =
        std::fs::read_to_string(&client_rs).map_err(|e| format!("{}: {e}", client_rs.display()))?;
    let builders = builders::read(&source).map_err(|e| format!("{}: {e}", client_rs.display()))?;
    // Named as generation named them, so they are called too.
    let mut spec = fixed.json;
    masstack_codegen::fixes::name_missing(&mut spec);
    let plan = plan::plan(&spec, &builders);
    let operations = masstack_openapi::operations::operations(&spec).len();
    let cargo = crate_dir.join("Cargo.toml");
    let client_manifest =
        std::fs::read_to_string(&cargo).map_err(|e| format!("{}: {e}", cargo.display()))?;
    let dir = ws.join("crates").join(driver::package(&output.name));
    let write = |path: &Path, text: &str| {
        std::fs::create_dir_all(path.parent().unwrap_or(path))
            .and_then(|()| std::fs::write(path, text))
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    write(
        &dir.join("Cargo.toml"),
        &driver::cargo_toml(&output.name, &client_manifest)?,
    )?;
    write(
        &dir.join("src/main.rs"),
        &driver::main_rs(&output.name, &plan),
    )?;
    Ok(Some(Versioned {
        prepared: Prepared {
            output: output.clone(),
            entry,
            spec,
            plan,
        },
        version,
        operations,
    }))
}

/// Builds the drivers in one cargo run; the errors of each that failed.
fn build(
    ws: &Path,
    target: &Path,
    prepared: &[Prepared],
) -> Result<BTreeMap<String, Vec<String>>, Error> {
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if prepared.is_empty() {
        return Ok(errors);
    }
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.args(["build", "--keep-going", "--message-format=json", "--quiet"]);
    for p in prepared {
        command.args(["-p", &driver::package(&p.output.name)]);
    }
    let mut child = command
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target)
        // As `cargo xtask corpus` builds, so that its build is reused.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| Error::io(ws, e))?;
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
        let package = message["manifest_path"]
            .as_str()
            .map(Path::new)
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
        errors.entry(package).or_default().push(rendered.to_owned());
    }
    let status = child.wait().map_err(|e| Error::io(ws, e))?;
    // A failure no package's errors explain (resolution, the disk) would
    // leave old driver binaries to run.
    if !status.success() && errors.is_empty() {
        return Err(invalid(
            &ws.display().to_string(),
            &format!("building the drivers failed ({status}); cargo's messages are above"),
        ));
    }
    Ok(errors)
}

/// Serves the spec (as published: the file the corpus holds) with Prism
/// and runs the driver against it; the GETs whose answer broke the spec
/// (Prism's fixed values ignore `pattern`) are asked again of a Prism
/// generating answers from the schemas.
fn serve_and_call(program: &Path, ws: &Path, work: &Path, logs: &Path, p: &Prepared) -> Fate {
    let mut lines = match call(program, ws, work, logs, p, None) {
        Ok(lines) => lines,
        Err(fate) => return fate,
    };
    let first = verdict::judge(&p.spec, &p.plan, &lines);
    let retry: Vec<(String, verdict::Cause)> = first
        .exceptions
        .iter()
        .filter(|(_, cause)| matches!(cause, verdict::Cause::OffSpec(_)))
        .cloned()
        .collect();
    if retry.is_empty() {
        return Fate::Judged(first);
    }
    let only: Vec<String> = retry.iter().map(|(op, _)| op.clone()).collect();
    let again = match call(program, ws, work, logs, p, Some(&only)) {
        Ok(again) => again,
        Err(fate) => return fate,
    };
    lines.retain(|l| !(l.phase == "get" && only.contains(&l.operation)));
    lines.extend(again);
    let mut verdict = verdict::judge(&p.spec, &p.plan, &lines);
    verdict.retried = retry;
    Fate::Judged(verdict)
}

/// One run of the driver against a Prism serving the spec (all calls, or
/// `only` these GETs, in dynamic mode): its lines.
fn call(
    program: &Path,
    ws: &Path,
    work: &Path,
    logs: &Path,
    p: &Prepared,
    only: Option<&[String]>,
) -> Result<Vec<verdict::Line>, Fate> {
    let mode = if only.is_some() { "dynamic" } else { "static" };
    let log = logs.join(format!("{}.{mode}.log", p.output.name));
    let spec = ws.join(&p.entry);
    let prism =
        server::Prism::start(program, &spec, &log, only.is_some()).map_err(Fate::Unserved)?;
    let binary = work
        .join("target/debug")
        .join(driver::package(&p.output.name));
    let mut command = Command::new(&binary);
    command.arg(&prism.base_url).stdin(Stdio::null());
    if let Some(only) = only {
        command.arg(only.join(","));
    }
    let ran = command.output();
    drop(prism);
    let ran = ran.map_err(|e| Fate::Broken(format!("cannot run {}: {e}", binary.display())))?;
    if !ran.status.success() {
        let stderr = String::from_utf8_lossy(&ran.stderr);
        eprintln!(
            "{}: the driver failed ({}): {}",
            p.output.spec,
            ran.status,
            stderr.trim()
        );
    }
    Ok(String::from_utf8_lossy(&ran.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

/// Prints one block per spec and the totals; failure when a spec's
/// exception is not explained or its driver could not run.
fn report(fates: &[(Output, Fate)], started: Instant) -> ExitCode {
    let (mut failed, mut compile_only) = (0, 0);
    let (mut gets, mut decoded) = (0, 0);
    for (output, fate) in fates {
        let file = output.spec.trim_start_matches("spec/");
        match fate {
            Fate::NoClient => {
                failed += 1;
                println!("{file}: FAILED: no client (`cargo xtask corpus` did not generate it)");
            }
            Fate::Broken(why) => {
                failed += 1;
                println!("{file}: FAILED: {why}");
            }
            Fate::Unserved(why) => {
                failed += 1;
                println!("{file}: FAILED: Prism cannot serve it: {why}");
            }
            Fate::CompileOnly(why) => {
                compile_only += 1;
                println!("{file}: compiled only ({why})");
            }
            Fate::Judged(v) => {
                gets += v.gets;
                decoded += v.decoded;
                if !v.passes() {
                    failed += 1;
                }
                print_verdict(file, v);
            }
        }
    }
    println!(
        "{} specs: {} passed, {failed} failed, {compile_only} compiled only; {decoded} of {gets} GET operations decoded; {:.0?}",
        fates.len(),
        fates.len() - failed - compile_only,
        started.elapsed()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_verdict(file: &str, v: &verdict::Verdict) {
    let percent = (v.decoded * 100).checked_div(v.with_body()).unwrap_or(100);
    let target = if v.meets_target() { "" } else { " (below 90%)" };
    let state = if v.passes() { "ok" } else { "FAILED" };
    let bodiless = match v.bodiless {
        0 => String::new(),
        n => {
            format!(
                " ({n} without a body to decode: websocket upgrades or no response with a body)"
            )
        }
    };
    println!(
        "{file}: {state}: {} GET operations{bodiless}, {} called, {} of {} decoded ({percent}%){target}",
        v.gets,
        v.called,
        v.decoded,
        v.with_body()
    );
    for (operation, cause) in &v.retried {
        let now = v.exceptions.iter().find(|(op, _)| op == operation);
        let again = now.map_or_else(|| "decoded".to_owned(), |(_, c)| c.to_string());
        println!(
            "    GET {operation}: Prism's fixed answer broke the spec ({}); its generated answer: {again}",
            cause.detail()
        );
    }
    for (operation, cause) in &v.exceptions {
        if !v.retried.iter().any(|(op, _)| op == operation) {
            println!("    GET {operation}: {cause}");
        }
    }
    for (status, result) in &v.statuses {
        match result {
            Ok(how) => println!("    error {status}: decoded ({how})"),
            Err(cause) => println!("    error {status}: {cause}"),
        }
    }
}
