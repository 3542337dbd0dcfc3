//! `cargo xtask new NAME --spec PATH [--extras …]`: a new output, ready to
//! build. All or nothing: when generation fails, every file is as before.

use std::path::Path;
use std::process::ExitCode;

use masstack_codegen::crate_manifest::Workspace;
use masstack_codegen::manifest::{self, ClientSettings, Extra, FeatureStyle, Output};
use masstack_codegen::{Error, output, scaffold};
use toml_edit::DocumentMut;

/// The run time new crates are wired to when the workspace has it.
const RUNTIME: &str = "masstack_client_runtime";

/// `cargo xtask new`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The crate's package name (also the output's name).
    name: String,
    /// The spec, relative to the workspace root: an OpenAPI document (Swagger
    /// 2.0, OpenAPI 3.0, 3.1 or 3.2), or a folder whose one document with an
    /// `openapi` or `swagger` key refers to the others.
    #[arg(long)]
    spec: String,
    /// Extras: environments, httpmock, cli, examples, lifecycle (comma-separated).
    #[arg(long, value_delimiter = ',')]
    extras: Vec<String>,
    /// The crate directory (default: `crates/NAME`).
    #[arg(long = "crate")]
    crate_dir: Option<String>,
    /// The `ticketing` subcommand for the `cli` extra (default: NAME).
    #[arg(long)]
    cli_name: Option<String>,
    /// Generate a plain progenitor client, not wired to the run-time crate.
    #[arg(long)]
    no_runtime: bool,
    /// One cargo feature per tag (`features = "per-tag"`): consumers of a
    /// big API compile only the tags they call.
    #[arg(long)]
    per_tag: bool,
}

/// From this many operations in several tags, `new` suggests `--per-tag`.
const BIG_API: usize = 50;

fn invalid(message: String) -> Error {
    Error::Invalid(vec![masstack_codegen::Diagnostic::new(
        "cargo xtask new",
        masstack_codegen::Location::File,
        message,
    )])
}

pub fn run(root: &Path, manifest_path: &str, args: Args) -> Result<ExitCode, Error> {
    let manifest = manifest::load(root, manifest_path)?;
    let crate_dir = args
        .crate_dir
        .clone()
        .unwrap_or_else(|| format!("crates/{}", args.name));
    if manifest.outputs.iter().any(|o| o.name == args.name) {
        return Err(invalid(format!(
            "{manifest_path} already has an output named `{}`",
            args.name
        )));
    }
    if root.join(&crate_dir).exists() {
        return Err(invalid(format!(
            "`{crate_dir}` already exists; choose another name or --crate"
        )));
    }
    let extras = parse_extras(&args.extras)?;
    let workspace = Workspace::read(root)?;
    let runtime = (!args.no_runtime
        && workspace
            .member_dir(root, &RUNTIME.replace('_', "-"))
            .is_some())
    .then(|| RUNTIME.to_owned());
    let output = new_output(&args, crate_dir.clone(), extras, runtime.clone());
    let spec = masstack_codegen::load::load(root, &args.spec)?;
    let about = scaffold::About {
        title: &spec.openapi.info.title,
        api_version: &spec.openapi.info.version,
    };

    // Everything this command changes, kept to put back on failure.
    let cargo_path = root.join("Cargo.toml");
    let manifest_file = root.join(manifest_path);
    let cargo_before = read(&cargo_path)?;
    let manifest_before = read(&manifest_file)?;
    let result = (|| {
        let package = runtime.as_deref().map(|r| r.replace('_', "-"));
        let publish = package
            .as_deref()
            .and_then(|p| workspace.member_dir(root, p))
            .map(|dir| publish_registries(&root.join(dir).join("Cargo.toml")))
            .unwrap_or_default();
        let inherits = inherits(&cargo_before, publish);
        write(
            &root.join(&crate_dir).join("Cargo.toml"),
            &scaffold::cargo_toml(&output, &about, &inherits, package.as_deref()),
        )?;
        write(
            &root.join(&crate_dir).join("README.md"),
            &scaffold::readme(&output, &about, &manifest.command),
        )?;
        write(
            &root.join(&crate_dir).join("src/lib.rs"),
            scaffold::lib_rs(),
        )?;
        write(&cargo_path, &add_member(&cargo_before, &crate_dir)?)?;
        write(
            &manifest_file,
            &format!(
                "{}{}",
                manifest_before.trim_end_matches('\n').to_owned() + "\n",
                scaffold::manifest_entry(&output)
            ),
        )?;
        let files = masstack_codegen::generate_workspace(root, manifest_path)?;
        output::write(root, &files, &[])
    })();
    match result {
        Ok(written) => {
            println!(
                "created output `{}`: {crate_dir} from {}",
                args.name, args.spec
            );
            for path in written {
                println!("wrote {path}");
            }
            println!(
                "next: `cargo build -p {}`; `cargo test --workspace` records its API surface snapshot for review",
                output.crate_name()
            );
            let plan = masstack_codegen::tag_features::plan(&spec.json);
            if !args.per_tag && plan.operations.len() >= BIG_API && plan.features.len() > 1 {
                println!(
                    "hint: {} operations in {} tags; with `--per-tag` (`features = \"per-tag\"`) a consumer compiles only the tags it calls",
                    plan.operations.len(),
                    plan.features.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let _ = std::fs::write(&cargo_path, &cargo_before);
            let _ = std::fs::write(&manifest_file, &manifest_before);
            let _ = std::fs::remove_dir_all(root.join(&crate_dir));
            eprintln!("nothing was changed: the new output does not generate");
            Err(e)
        }
    }
}

fn parse_extras(names: &[String]) -> Result<Vec<Extra>, Error> {
    let mut extras: Vec<Extra> = names
        .iter()
        .filter(|n| !n.is_empty())
        .map(|n| {
            toml::Value::String(n.clone())
                .try_into::<Extra>()
                .map_err(|_| invalid(format!("unknown extra `{n}`; expected environments, httpmock, cli, examples or lifecycle")))
        })
        .collect::<Result<_, _>>()?;
    // The command line picks servers with --env, and a lifecycle carries examples.
    if extras.contains(&Extra::Cli) && !extras.contains(&Extra::Environments) {
        extras.push(Extra::Environments);
    }
    if extras.contains(&Extra::Lifecycle) && !extras.contains(&Extra::Examples) {
        extras.push(Extra::Examples);
    }
    extras.sort();
    extras.dedup();
    Ok(extras)
}

fn new_output(
    args: &Args,
    crate_dir: String,
    extras: Vec<Extra>,
    runtime: Option<String>,
) -> Output {
    // New outputs get the forward-compatibility policy ours use.
    let mut client = ClientSettings {
        runtime,
        non_exhaustive: true,
        open_enums: true,
        ..ClientSettings::default()
    };
    if extras.contains(&Extra::Cli) {
        client.derives.push("schemars::JsonSchema".into());
        client
            .feature_derives
            .insert("schemars::JsonSchema".into(), "cli".into());
    }
    Output {
        name: args.name.clone(),
        spec: args.spec.clone(),
        crate_dir,
        client,
        extras,
        lint: Default::default(),
        fixes: Default::default(),
        cli_name: args.cli_name.clone(),
        strict: false,
        features: if args.per_tag {
            FeatureStyle::PerTag
        } else {
            FeatureStyle::None
        },
    }
}

/// The `package.publish` registries of the crate at `cargo_toml`.
fn publish_registries(cargo_toml: &Path) -> Vec<String> {
    std::fs::read_to_string(cargo_toml)
        .ok()
        .and_then(|t| t.parse::<DocumentMut>().ok())
        .and_then(|d| {
            let list = d.get("package")?.get("publish")?.as_array()?;
            Some(
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            )
        })
        .unwrap_or_default()
}

fn inherits(cargo: &str, publish: Vec<String>) -> scaffold::Inherits {
    let doc: Option<DocumentMut> = cargo.parse().ok();
    let workspace = doc.as_ref().and_then(|d| d.get("workspace"));
    let package_keys = workspace
        .and_then(|w| w.get("package"))
        .and_then(|p| p.as_table_like())
        .map(|t| t.iter().map(|(k, _)| k.to_owned()).collect())
        .unwrap_or_default();
    let lints = workspace.and_then(|w| w.get("lints")).is_some();
    scaffold::Inherits {
        package_keys,
        lints,
        publish,
    }
}

fn add_member(cargo: &str, crate_dir: &str) -> Result<String, Error> {
    let mut doc: DocumentMut = cargo
        .parse()
        .map_err(|e| invalid(format!("Cargo.toml does not parse: {e}")))?;
    let members = doc
        .get_mut("workspace")
        .and_then(|w| w.get_mut("members"))
        .and_then(|m| m.as_array_mut())
        .ok_or_else(|| invalid("Cargo.toml has no `[workspace] members` list".into()))?;
    members.push(crate_dir);
    Ok(doc.to_string())
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}
