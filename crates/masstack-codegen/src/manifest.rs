//! The declarative manifest (`spec/codegen.toml`): which spec becomes which
//! crate, with which progenitor settings and extras. Adding an API means
//! adding an `[[output]]` entry, not Rust code.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Location};
use crate::error::Error;

/// Where the manifest lives, relative to the workspace root.
pub const DEFAULT_PATH: &str = "spec/codegen.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The command that regenerates, quoted in every `@generated` header.
    #[serde(default = "default_command")]
    pub command: String,
    #[serde(rename = "output")]
    pub outputs: Vec<Output>,
}

fn default_command() -> String {
    "cargo xtask regenerate".into()
}

/// One spec turned into one crate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    /// A short name used in messages.
    pub name: String,
    /// The spec, relative to the workspace root.
    pub spec: String,
    /// The crate directory, relative to the workspace root. Generated files go
    /// to `<crate>/src/generated/`.
    #[serde(rename = "crate")]
    pub crate_dir: String,
    #[serde(default)]
    pub client: ClientSettings,
    /// Additional files to emit beside the client.
    #[serde(default)]
    pub extras: Vec<Extra>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Extra {
    /// For each `*Example` schema, a function returning its example as a typed value.
    Examples,
    /// From the spec's `x-transactions` table: the `Transaction` enum, roles,
    /// allowed states and the Mermaid state-flow diagram. Needs `examples`.
    Lifecycle,
    /// From the spec's `servers`: an `Environment` enum named by each
    /// server's description, with its base URL.
    Environments,
    /// progenitor's typed httpmock helpers (`mock.rs`), for downstream tests.
    Httpmock,
    /// progenitor's clap command-line interface (`cli.rs`): one subcommand
    /// per operation. Needs `schemars::JsonSchema` among the derives.
    Cli,
}

/// progenitor's settings, spelled out in the manifest.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSettings {
    #[serde(default)]
    pub interface: Interface,
    #[serde(default)]
    pub tags: Tags,
    /// Extra derives on every generated type.
    #[serde(default)]
    pub derives: Vec<String>,
    /// The request timeout `Client::new` sets, in seconds.
    pub timeout_secs: Option<u64>,
    /// Map type for free-form objects (default `std::collections::HashMap`).
    pub map_type: Option<String>,
    /// Per-type changes, by generated type name.
    #[serde(default)]
    pub patch: BTreeMap<String, Patch>,
    /// Replace a named schema's type with an existing Rust type.
    #[serde(default)]
    pub replace: BTreeMap<String, Replace>,
    /// Replace any schema equal to `schema` with an existing Rust type.
    #[serde(default)]
    pub convert: Vec<Convert>,
    /// A Rust type the client carries for its hooks (`Client::inner`).
    pub inner_type: Option<String>,
    /// `"expected"`: the crate implements `ClientHooks` by hand, and the
    /// build fails without it; `"optional"` (default): progenitor's no-op.
    #[serde(default)]
    pub hooks: Hooks,
    /// Module whose functions read responses instead of progenitor's
    /// `ResponseValue::from_response` (`success`, `error`, `undocumented`,
    /// `undocumented_empty`, `null_as_default`): statuses and JSON paths in
    /// errors, undocumented statuses kept, `null` read as absent.
    pub decode: Option<String>,
    /// Derives (as written in `derives`) generated only with a crate
    /// feature: `{ "schemars::JsonSchema" = "cli" }`.
    #[serde(default)]
    pub feature_derives: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hooks {
    #[default]
    Optional,
    Expected,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Interface {
    #[default]
    Builder,
    Positional,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tags {
    #[default]
    Merged,
    Separate,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    pub rename: Option<String>,
    #[serde(default)]
    pub derives: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replace {
    /// The Rust path used instead, e.g. `crate::TicketState`.
    #[serde(rename = "type")]
    pub rust_type: String,
    /// Traits the replacement implements (`FromStr`, `Display`, `Default`).
    #[serde(default)]
    pub impls: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Convert {
    /// The JSON Schema to match, exactly as progenitor sees it.
    pub schema: serde_json::Value,
    #[serde(rename = "type")]
    pub rust_type: String,
    #[serde(default)]
    pub impls: Vec<String>,
}

impl Output {
    /// Where a generated file of this output lives, relative to the root.
    pub fn file(&self, name: &str) -> String {
        format!(
            "{}/src/generated/{name}",
            self.crate_dir.trim_end_matches('/')
        )
    }
}

/// Reads and parses the manifest at `root/relative`.
pub fn load(root: &Path, relative: &str) -> Result<Manifest, Error> {
    let path = root.join(relative);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    parse(relative, &text).map_err(|d| Error::Invalid(vec![d]))
}

pub fn parse(name: &str, text: &str) -> Result<Manifest, Diagnostic> {
    let manifest: Manifest = toml::from_str(text).map_err(|e| {
        let location = match e.span() {
            Some(span) => {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                Location::LineColumn { line, column }
            }
            None => Location::File,
        };
        Diagnostic::new(name, location, format!("invalid manifest: {}", e.message()))
    })?;
    let mut names = std::collections::BTreeSet::new();
    for output in &manifest.outputs {
        if !names.insert(&output.name) {
            return Err(Diagnostic::new(
                name,
                Location::File,
                format!("output name `{}` is used twice", output.name),
            ));
        }
    }
    Ok(manifest)
}
