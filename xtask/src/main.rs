//! `cargo xtask`: turns the specs into the committed crates.
//!
//! - `regenerate` writes every generated file whose bytes changed;
//! - `check` generates in memory and fails with a diff when a committed file is stale;
//! - `new` adds an output: its crate, the workspace member, the manifest entry;
//! - `corpus` generates and builds every spec of a directory in a scratch workspace;
//! - `prism` calls those clients against Prism serving their specs;
//! - `changes` reviews what the spec changes since a base revision mean, and
//!   `release` bumps versions and writes changelogs accordingly (`check`
//!   also fails on a version lower than the changes require);
//! - `outputs` lists the outputs (for scripts);
//! - `bench` times generation and prints medians.
//!
//! Exit codes: 0 success, 1 stale generated code (`check`) or a corpus spec
//! that fails, 2 bad input (the specs or the manifest), 3 a file could not
//! be read or written, 4 an internal error (a bug in the generator).

mod changes;
mod corpus;
mod fuzz;
mod new;
mod prism;
mod published;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use masstack_codegen::{Error, GeneratedFile, manifest, output};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Regenerate or check the code generated from spec/"
)]
struct Cli {
    /// The workspace root (defaults to this repository).
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    /// The manifest, relative to the root.
    #[arg(long, global = true, default_value = manifest::DEFAULT_PATH)]
    manifest: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the generated crates from the specs (only files that changed).
    Regenerate,
    /// Fail with a diff when committed generated code differs from the specs.
    Check,
    /// Add an output: create its crate, add it to the workspace and the
    /// manifest, and generate it.
    New(new::Args),
    /// Generate and build every spec of DIR in a scratch workspace; one line per spec.
    Corpus(corpus::Args),
    /// Call every GET operation (and each documented error status) of the
    /// corpus clients `corpus` built, against Prism serving their specs.
    Prism(prism::Args),
    /// Seeded mutations of the corpus and our specs: no panic, no internal
    /// error; a sample of those that generate must compile.
    Fuzz(fuzz::Args),
    /// Print the published outputs, one per line: name, crate directory,
    /// package (`publish = false` crates are left out).
    Outputs,
    /// What changed in each spec since a base revision, judged for existing
    /// clients (wire) and existing code (Rust), and the versions it requires.
    Changes(changes::Args),
    /// Bump each changed crate to the version its changes require, write its
    /// CHANGELOG.md entry and package it.
    Release(changes::ReleaseArgs),
    /// Time in-memory generation and `regenerate` end to end; print medians.
    Bench {
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli
        .root
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    let result = match cli.command {
        Command::Regenerate => regenerate(&root, &cli.manifest),
        Command::Check => check(&root, &cli.manifest),
        Command::New(args) => new::run(&root, &cli.manifest, args),
        Command::Corpus(args) => corpus::run(&root, args),
        Command::Prism(args) => prism::run(&root, args),
        Command::Fuzz(args) => fuzz::run(&root, args),
        Command::Outputs => outputs(&root, &cli.manifest),
        Command::Changes(args) => changes::run(&root, &cli.manifest, args),
        Command::Release(args) => changes::release(&root, &cli.manifest, args),
        Command::Bench { runs } => bench(&root, &cli.manifest, runs),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(match e {
                Error::Invalid(_) => 2,
                Error::Io { .. } => 3,
                Error::Internal(_) => 4,
            })
        }
    }
}

fn regenerate(root: &Path, manifest: &str) -> Result<ExitCode, Error> {
    let plan = masstack_codegen::plan_workspace(root, manifest)?;
    let written = output::write(root, &plan.files, &plan.orphans)?;
    if written.is_empty() {
        println!("{} generated files are up to date", plan.files.len());
    }
    for path in &written {
        println!("wrote {path}");
    }
    for summary in &plan.summaries {
        println!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}

fn check(root: &Path, manifest: &str) -> Result<ExitCode, Error> {
    let plan = masstack_codegen::plan_workspace(root, manifest)?;
    let stale = output::compare(root, &plan.files, &plan.orphans)?;
    let versions = changes::version_problems(root, manifest)?;
    if stale.is_empty() && versions.is_empty() {
        println!(
            "{} generated files match the specs; crate versions are what the changes require",
            plan.files.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    // Both kinds are printed: a stale file and a version too low are
    // separate fixes, and the second should not wait for the first.
    for file in &stale {
        print!("{}", file.diff);
    }
    if !stale.is_empty() {
        eprintln!(
            "error: {} generated file(s) differ from what the specs produce:",
            stale.len()
        );
        for file in &stale {
            eprintln!("  {}", file.path);
        }
        eprintln!("run `cargo xtask regenerate` and commit the result");
    }
    for problem in &versions {
        eprintln!("error: {problem}");
    }
    Ok(ExitCode::from(1))
}

/// The outputs whose crates are published (`publish = false` ones, such as
/// test fixtures, are left out): what CI packages and publishes.
fn outputs(root: &Path, manifest: &str) -> Result<ExitCode, Error> {
    for output in manifest::load(root, manifest)?.outputs {
        if !published::is_published(root, &output) {
            continue;
        }
        println!(
            "{} {} {}",
            output.name,
            output.crate_dir,
            output.crate_name()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Times generation; the end-to-end run writes into a scratch copy of
/// the generated files, never into the tree.
fn bench(root: &Path, manifest: &str, runs: usize) -> Result<ExitCode, Error> {
    let runs = runs.max(1);
    let mut files: Vec<GeneratedFile> = Vec::new();
    let in_memory = median(runs, || {
        files = masstack_codegen::generate_workspace(root, manifest)?;
        Ok(())
    })?;
    let scratch = std::env::temp_dir().join(format!("masstack-bench-{}", std::process::id()));
    let end_to_end = median(runs, || {
        let files = masstack_codegen::generate_workspace(root, manifest)?;
        output::write(&scratch, &files, &[])?;
        Ok(())
    });
    let _ = std::fs::remove_dir_all(&scratch);
    let end_to_end = end_to_end?;
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    println!(
        "generated {} files, {bytes} bytes, from {manifest}",
        files.len()
    );
    println!("in memory (load, lint, generate, format), median of {runs}: {in_memory:.1?}");
    println!(
        "regenerate end to end (also compare and write, into a scratch directory), median of {runs}: {end_to_end:.1?}"
    );
    if cfg!(debug_assertions) {
        println!("note: this is a debug build; run `cargo xtask-bench` for release figures");
    }
    Ok(ExitCode::SUCCESS)
}

fn median(runs: usize, mut f: impl FnMut() -> Result<(), Error>) -> Result<Duration, Error> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}
