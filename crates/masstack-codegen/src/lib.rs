#![doc = include_str!("../README.md")]

pub mod adapt;
pub mod changes;
pub mod compromise;
pub mod crate_manifest;
pub mod error;
pub mod fixes;
pub mod format;
pub mod generate;
pub mod lint;
pub mod load;
pub mod manifest;
pub mod naming;
pub mod output;
pub mod scaffold;
pub mod surface;
pub mod tag_features;
pub mod timings;
pub mod transactions;

/// Problems in the inputs and where they sit; shared with the sandbox and
/// the tests through `masstack-openapi`.
pub use masstack_openapi::diagnostic;

use std::path::Path;

use generate::client::Companion;
use tag_features::TagFeatures;

pub use compromise::{Compromise, CompromiseKind, Summary};
pub use diagnostic::{Diagnostic, Location};
pub use error::Error;
pub use load::LoadedSpec;
pub use manifest::{Extra, Manifest, Output};
pub use output::{GeneratedFile, StaleFile};

/// Every file generation produces, and the generated files it no longer does.
pub struct Generated {
    /// The files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Files with the `@generated` header in a generated directory that no
    /// output produces any more.
    pub orphans: Vec<String>,
    /// One per output, in manifest order.
    pub summaries: Vec<Summary>,
}

/// The files of one output (or of all), and what each output made of its spec.
pub struct Generation {
    /// The files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// One per output, in manifest order.
    pub summaries: Vec<Summary>,
}

/// [`generate_workspace`], and the orphans left in the generated
/// directories of the manifest's crates and of every workspace member.
pub fn plan_workspace(root: &Path, manifest_path: &str) -> Result<Generated, Error> {
    let Generation { files, summaries } = generate_workspace_summarised(root, manifest_path)?;
    let manifest = manifest::load(root, manifest_path)?;
    let workspace = crate_manifest::Workspace::read(root)?;
    let mut dirs: Vec<String> = manifest
        .outputs
        .iter()
        .map(|o| format!("{}/src/generated", o.crate_dir.trim_end_matches('/')))
        .chain(
            manifest
                .cli
                .iter()
                .map(|c| format!("{}/src/generated", c.crate_dir.trim_end_matches('/'))),
        )
        .chain(
            workspace
                .members
                .iter()
                .map(|m| format!("{}/src/generated", m.trim_end_matches('/'))),
        )
        .collect();
    dirs.sort();
    dirs.dedup();
    let orphans = output::orphans(root, &dirs, &files)?;
    Ok(Generated {
        files,
        orphans,
        summaries,
    })
}

/// Loads the manifest and every spec under `root` and generates all files.
/// Either every output succeeds or nothing is returned.
pub fn generate_workspace(root: &Path, manifest_path: &str) -> Result<Vec<GeneratedFile>, Error> {
    generate_workspace_summarised(root, manifest_path).map(|g| g.files)
}

/// [`generate_workspace`], with each output's [`Summary`].
pub fn generate_workspace_summarised(
    root: &Path,
    manifest_path: &str,
) -> Result<Generation, Error> {
    let manifest = manifest::load(root, manifest_path)?;
    let workspace = &crate_manifest::Workspace::read(root)?;
    let problems = manifest::validate(manifest_path, &manifest, &workspace.members);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    // Outputs are independent: one thread each. Results are taken in
    // manifest order, so reports and files stay deterministic.
    let results: Vec<Result<Generation, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = manifest
            .outputs
            .iter()
            .map(|output| {
                let manifest = &manifest;
                scope.spawn(move || {
                    generate_output(root, manifest_path, manifest, output, workspace)
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(&manifest.outputs)
            .map(|(handle, output)| {
                handle.join().unwrap_or_else(|_| {
                    Err(Error::Internal(format!(
                        "generating output `{}` panicked outside progenitor",
                        output.name
                    )))
                })
            })
            .collect()
    });
    let mut files = Vec::new();
    let mut summaries = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(g) => {
                files.extend(g.files);
                summaries.extend(g.summaries);
            }
            Err(Error::Invalid(d)) => problems.extend(d),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    if let Some(cli) = &manifest.cli {
        files.extend(cli_mount(root, manifest_path, workspace, &manifest, cli)?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Generation { files, summaries })
}

/// Loads one output's spec, applies its fixes, generates its files and the
/// dependencies its crate's `Cargo.toml` lacks.
pub fn generate_output(
    root: &Path,
    manifest_path: &str,
    manifest: &Manifest,
    output: &Output,
    workspace: &crate_manifest::Workspace,
) -> Result<Generation, Error> {
    let spec = timings::phase("load", || load::load(root, &output.spec))?;
    // The fixes read the spec in the 3.0 shape: their problems are traced
    // back to where the user wrote each node, like the later stages'.
    let written = spec.clone();
    let spec = fixes::apply(root, manifest_path, &output.fixes, spec).map_err(|e| match e {
        Error::Invalid(problems) => {
            Error::Invalid(problems.into_iter().map(|d| written.relocate(d)).collect())
        }
        e => e,
    })?;
    let Generation {
        mut files,
        summaries,
    } = generate_summarised(manifest_path, manifest, output, &spec)?;
    let runtime = output
        .client
        .runtime
        .as_deref()
        .map(|r| r.replace('_', "-"));
    let needed = crate_manifest::needed(output, &files, runtime.as_deref());
    let tags: Option<Vec<String>> = summaries
        .first()
        .and_then(|s| s.tag_features.as_ref())
        .map(|features| features.keys().cloned().collect());
    if let Some(cargo) = crate_manifest::sync(root, workspace, output, &needed, tags.as_deref())? {
        files.push(cargo);
    }
    Ok(Generation { files, summaries })
}

/// The command-line crate's list of mounted APIs, and the dependencies on
/// their crates (with their `cli` feature) in its `Cargo.toml`.
fn cli_mount(
    root: &Path,
    manifest_path: &str,
    workspace: &crate_manifest::Workspace,
    manifest: &Manifest,
    cli: &manifest::CliCrate,
) -> Result<Vec<GeneratedFile>, Error> {
    let header = format::header(manifest_path, &manifest.command);
    let crate_dir = cli.crate_dir.trim_end_matches('/');
    let tokens = generate::cli_mount::generate(manifest);
    let file = format::parse(tokens).and_then(|f| format::format_syntax(&header, &f));
    let contents = file.map_err(|m| {
        Error::Invalid(vec![Diagnostic::new(
            manifest_path,
            Location::File,
            m.to_string(),
        )])
    })?;
    let mut files = vec![GeneratedFile {
        path: format!("{crate_dir}/src/generated/apis.rs"),
        contents,
    }];
    let needed = generate::cli_mount::mounted(manifest)
        .map(|(_, package)| crate_manifest::Needed {
            package: package.to_owned(),
            feature: None,
            features: vec!["cli".to_owned()],
        })
        .collect();
    let missing = || format!("`[cli] crate = \"{crate_dir}\"` has no Cargo.toml");
    if let Some(cargo) =
        crate_manifest::sync_crate(root, workspace, crate_dir, &needed, missing, None)?
    {
        files.push(cargo);
    }
    Ok(files)
}

/// Generates the files of one output from an already loaded spec.
pub fn generate(
    manifest_path: &str,
    manifest: &Manifest,
    output: &Output,
    spec: &LoadedSpec,
) -> Result<Vec<GeneratedFile>, Error> {
    generate_summarised(manifest_path, manifest, output, spec).map(|g| g.files)
}

/// [`generate()`], with the output's [`Summary`]. Every diagnostic and
/// compromise is located where the user wrote its subject, in whichever
/// file of the spec and whatever OpenAPI version.
pub fn generate_summarised(
    manifest_path: &str,
    manifest: &Manifest,
    output: &Output,
    spec: &LoadedSpec,
) -> Result<Generation, Error> {
    match generate_unlocated(manifest_path, manifest, output, spec) {
        Ok(mut generation) => {
            for summary in &mut generation.summaries {
                for compromise in &mut summary.compromises {
                    let located = spec.relocate(Diagnostic::new(
                        &compromise.file,
                        compromise.location.clone(),
                        String::new(),
                    ));
                    compromise.file = located.file;
                    compromise.location = located.location;
                }
            }
            Ok(generation)
        }
        Err(Error::Invalid(problems)) => Err(Error::Invalid(
            problems.into_iter().map(|d| spec.relocate(d)).collect(),
        )),
        Err(e) => Err(e),
    }
}

/// [`generate_summarised`], with pointers into the normalised tree.
fn generate_unlocated(
    manifest_path: &str,
    manifest: &Manifest,
    output: &Output,
    spec: &LoadedSpec,
) -> Result<Generation, Error> {
    let adapt::Adapted {
        spec,
        mut compromises,
        status_enums,
    } = timings::phase("adapt", || adapt::adapt(output, spec.clone()))?;
    let spec = &spec;
    let linted =
        timings::phase("lint", || lint::check(spec, &output.lint)).map_err(Error::Invalid)?;
    let generate::client::Unrefined {
        mut generator,
        mut client,
        expected,
        loosened,
        loosened_spec,
    } = timings::phase("progenitor client + parse", || {
        generate::client::unrefined(manifest_path, output, spec, &status_enums)
    })?;
    compromises.extend(loosened);
    let spec = loosened_spec.as_ref().unwrap_or(spec);
    let mut refinements = generate::client::refinements(manifest_path, output, &status_enums)?;
    refinements.tag_features =
        (output.features == manifest::FeatureStyle::PerTag).then(|| tag_features::plan(&spec.json));
    timings::phase("refine client", || {
        generate::refine::apply(&mut client, &expected, &refinements)
    })?;
    let enums = status_enums
        .values()
        .map(|p| usize::from(p.success.is_some()) + usize::from(p.error.is_some()))
        .sum::<usize>();
    let mut summary = Summary {
        output: output.name.clone(),
        operations: expected.operation_ids.len(),
        types: expected.data_types.len() + enums,
        compromises,
        tag_features: (refinements.tag_features.as_ref()).map(TagFeatures::operation_counts),
    };

    let header = format::header(&spec.name, &manifest.command);
    let formatted = |name: &str, tokens| {
        format::format_file(&header, tokens)
            .map(|contents| GeneratedFile {
                path: output.file(name),
                contents,
            })
            .map_err(|e| progenitor_output(spec, e))
    };
    let client = timings::phase("format client", || format::format_syntax(&header, &client))
        .map_err(|e| progenitor_output(spec, e))?;
    let mut files = vec![GeneratedFile {
        path: output.file("client.rs"),
        contents: client,
    }];
    for extra in &output.extras {
        match extra {
            Extra::Examples => {
                let tokens = generate::example_values::generate(
                    spec,
                    linted.transactions.as_ref(),
                    generator.get_type_space(),
                )?;
                files.push(formatted("examples.rs", tokens)?);
            }
            Extra::Lifecycle => {
                let tokens = generate::lifecycle::generate(
                    spec,
                    linted.transactions.as_ref(),
                    generator.get_type_space(),
                )?;
                files.push(formatted("lifecycle.rs", tokens)?);
            }
            Extra::Environments => {
                let tokens = generate::environments::generate(spec, output.client.non_exhaustive)?;
                files.push(formatted("environments.rs", tokens)?);
            }
            Extra::Httpmock | Extra::Cli => {
                let (file, loosened) = refined_companion(
                    &mut generator,
                    spec,
                    *extra,
                    (&expected, &refinements),
                    (output, &header),
                )?;
                summary
                    .compromises
                    .extend(loose_compromises(spec, &loosened));
                files.push(file);
            }
        }
    }
    strict(output, &summary)?;
    let runtime = runtime_path(manifest_path, output)?;
    let module = generate::module::generate(output, spec, runtime.as_ref());
    files.push(formatted("mod.rs", module)?);
    Ok(Generation {
        files,
        summaries: vec![summary],
    })
}

/// Under `strict`, a compromise is an error.
fn strict(output: &Output, summary: &Summary) -> Result<(), Error> {
    if output.strict && !summary.compromises.is_empty() {
        return Err(Error::Invalid(
            summary
                .compromises
                .iter()
                .map(Compromise::to_error)
                .collect(),
        ));
    }
    Ok(())
}

/// progenitor's httpmock helpers (`mock.rs`) or CLI (`cli.rs`), refined
/// and formatted; the parameters given a looser form.
fn refined_companion(
    generator: &mut progenitor_impl::Generator,
    spec: &LoadedSpec,
    extra: Extra,
    (expected, refinements): (&generate::refine::Expected, &generate::refine::Refinements),
    (output, header): (&Output, &str),
) -> Result<(GeneratedFile, Vec<generate::refine::loose_args::Loosened>), Error> {
    let which = match extra {
        Extra::Cli => Companion::Cli,
        _ => Companion::Httpmock,
    };
    let (name, file, loosened) = timings::phase("companion + refine", || {
        let tokens = generate::client::companion(generator, spec, which, "crate")?;
        let mut file = format::parse(tokens).map_err(|e| progenitor_output(spec, e))?;
        let (name, (_, loosened)) = match which {
            Companion::Cli => (
                "cli.rs",
                generate::refine::apply_cli(&mut file, expected, refinements)?,
            ),
            Companion::Httpmock => (
                "mock.rs",
                generate::refine::apply_mock(&mut file, expected)?,
            ),
        };
        Ok::<_, Error>((name, file, loosened))
    })?;
    let contents = timings::phase("format companion", || format::format_syntax(header, &file))
        .map_err(|e| progenitor_output(spec, e))?;
    let file = GeneratedFile {
        path: output.file(name),
        contents,
    };
    Ok((file, loosened))
}

/// The compromises of the CLI options and mock matchers given a looser
/// form than their parameter's type, located at their operation.
fn loose_compromises(
    spec: &LoadedSpec,
    loosened: &[generate::refine::loose_args::Loosened],
) -> Vec<Compromise> {
    use generate::refine::loose_args::Site;
    let operations = masstack_openapi::operations::operations(&spec.json);
    loosened
        .iter()
        .map(|l| {
            let location = operations
                .iter()
                .find(|o| o.id() == Some(l.operation.as_str()))
                .map_or(Location::File, |o| o.location());
            let what = match l.site {
                Site::Cli => format!(
                    "the command line's `{}` reads JSON of `{}` (a bare word as a JSON string): the type has no `FromStr` for clap",
                    l.parameter, l.ty
                ),
                Site::Mock => format!(
                    "the httpmock helper `{}` matches the JSON text of its `{}` (a string as itself): the type has no `Display`",
                    l.parameter, l.ty
                ),
            };
            Compromise {
                kind: CompromiseKind::LoosenedSchema,
                file: spec.name.clone(),
                location,
                what,
                exact: "a parameter schema of one string, number or string enum type (an overlay)"
                    .to_owned(),
            }
        })
        .collect()
}

fn runtime_path(manifest_path: &str, output: &Output) -> Result<Option<syn::Path>, Error> {
    let Some(runtime) = &output.client.runtime else {
        return Ok(None);
    };
    syn::parse_str::<syn::Path>(runtime).map(Some).map_err(|e| {
        Error::Invalid(vec![Diagnostic::new(
            manifest_path,
            Location::File,
            format!(
                "output `{}`: `runtime` `{runtime}` is not a Rust path: {e}",
                output.name
            ),
        )])
    })
}

/// Generated code that does not parse or format, named after its spec.
pub(crate) fn progenitor_output(spec: &LoadedSpec, error: format::FormatError) -> Error {
    Error::Invalid(vec![Diagnostic::new(
        &spec.name,
        Location::File,
        error.to_string(),
    )])
}
