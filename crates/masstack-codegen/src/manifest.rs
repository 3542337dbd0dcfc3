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

/// The whole manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The command that regenerates, quoted in every `@generated` header.
    #[serde(default = "default_command")]
    pub command: String,
    /// Every spec to turn into a crate (`[[output]]`).
    #[serde(rename = "output")]
    pub outputs: Vec<Output>,
    /// The command-line crate that mounts every output with the `cli` extra.
    pub cli: Option<CliCrate>,
}

/// `[cli]`: where the generated list of mounted APIs goes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CliCrate {
    /// The crate directory; the list goes to `<crate>/src/generated/apis.rs`.
    #[serde(rename = "crate")]
    pub crate_dir: String,
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
    /// progenitor's settings (`[output.client]`).
    #[serde(default)]
    pub client: ClientSettings,
    /// Additional files to emit beside the client.
    #[serde(default)]
    pub extras: Vec<Extra>,
    /// This project's conventions to check (`[output.lint]`); progenitor's
    /// requirements are always checked.
    #[serde(default)]
    pub lint: LintSettings,
    /// Declarative fixes applied to the spec when it is loaded, before the
    /// lint (`[output.fixes]`): for specs a team does not own.
    #[serde(default)]
    pub fixes: Fixes,
    /// The `ticketing` subcommand an output with the `cli` extra is mounted
    /// under (default: its `name`).
    pub cli_name: Option<String>,
    /// Every compromise (see [`crate::compromise`]) is a located error
    /// instead of a reported adaptation.
    #[serde(default)]
    pub strict: bool,
    /// `"per-tag"`: one cargo feature per tag, `full` (the default) for
    /// all ([`crate::tag_features`]).
    #[serde(default)]
    pub features: FeatureStyle,
}

/// How an output's operations map to cargo features.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeatureStyle {
    /// Every operation is always compiled.
    #[default]
    None,
    /// Each tag's operations, and the types only they use, compile only
    /// with the tag's feature.
    PerTag,
}

/// The conventions checked on top of progenitor's requirements.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintSettings {
    /// Every example validates against its schema.
    #[serde(default)]
    pub examples: bool,
    /// Every `x-inferred: true` has an `x-inferred-reason`.
    #[serde(default)]
    pub inferred: bool,
}

/// Changes made to a spec as it is loaded, recorded here instead of in the
/// spec (which may belong to someone else).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixes {
    /// OpenAPI Overlay 1.0 documents (paths relative to the workspace
    /// root), applied in order: JSONPath targets, `update` or `remove`.
    #[serde(default)]
    pub overlays: Vec<String>,
    /// Operations left out, by operationId or as `"METHOD /path"`.
    #[serde(default)]
    pub skip_operations: Vec<String>,
    /// How to name operations that have no operationId.
    pub operation_ids: Option<OperationIdRule>,
    /// Explicit operationIds, keyed `"METHOD /path"`; these win over the rule
    /// and over the spec's own.
    #[serde(default)]
    pub operation_id_map: BTreeMap<String, String>,
    /// What a `default` response is.
    #[serde(default)]
    pub default_response: DefaultResponse,
}

/// How operations without an operationId are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OperationIdRule {
    /// The method and the path: `GET /pets/{id}` becomes `get_pets_id`.
    MethodPath,
}

/// What a `default` response means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DefaultResponse {
    /// As progenitor reads it: another success (the spec's choice).
    #[default]
    AsIs,
    /// The error type: kept as a catch-all error status (`4XX` and `5XX`).
    Error,
}

/// A file generated beside the client.
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
    /// Builder methods or positional arguments.
    #[serde(default)]
    pub interface: Interface,
    /// One client, or one per tag.
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
    /// Forward compatibility: generated structs and enums are
    /// `#[non_exhaustive]`, so a new field, variant or server does not
    /// break code written against the previous crate (users build values
    /// with the generated builders and match enums with a wildcard).
    #[serde(default)]
    pub non_exhaustive: bool,
    /// Forward compatibility: every generated string enum keeps a value the
    /// spec does not list in a last `Unknown(String)` variant, so a server
    /// that starts sending a new value does not fail older clients'
    /// responses (the enums lose `Copy`).
    #[serde(default)]
    pub open_enums: bool,
    /// The run-time crate the client is wired to (`masstack_client_runtime`):
    /// its `Session` is the inner type, its hooks are implemented
    /// (`hooks = "expected"`), responses are read by its `decode` module and
    /// CLI bodies by its `cli` module, and the generated `mod.rs` invokes its
    /// `client_support!` and re-exports its configuration types. The keys
    /// below override each part.
    pub runtime: Option<String>,
    /// A Rust type the client carries for its hooks (`Client::inner`).
    pub inner_type: Option<String>,
    /// `"expected"`: the crate implements `ClientHooks` by hand, and the
    /// build fails without it; `"optional"`: progenitor's no-op. Default:
    /// expected with a `runtime`, optional without.
    pub hooks: Option<Hooks>,
    /// Module whose functions read responses instead of progenitor's
    /// `ResponseValue::from_response` (`success`, `error`, `undocumented`,
    /// `undocumented_empty`, `null_as_default`): statuses and JSON paths in
    /// errors, undocumented statuses kept, `null` read as absent.
    pub decode: Option<String>,
    /// Derives (as written in `derives`) generated only with a crate
    /// feature: `{ "schemars::JsonSchema" = "cli" }`.
    #[serde(default)]
    pub feature_derives: BTreeMap<String, String>,
    /// Module whose `read_body` and `parse_body` the generated CLI uses for
    /// `--json-body` files (`-` for standard input, unknown fields refused).
    pub cli_body: Option<String>,
}

/// Whether the crate implements progenitor's `ClientHooks` by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hooks {
    /// progenitor's no-op hooks unless the crate overrides them.
    Optional,
    /// The crate must implement them (compile error otherwise).
    Expected,
}

/// How operations take their arguments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Interface {
    /// `client.get_ticket().org(..).send()`.
    #[default]
    Builder,
    /// `client.get_ticket(org, ..)`.
    Positional,
}

/// How operation tags shape the client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tags {
    /// Every operation on one `Client`.
    #[default]
    Merged,
    /// One trait per tag.
    Separate,
}

/// Changes to one generated type.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// Its new name.
    pub rename: Option<String>,
    /// Derives added to it.
    #[serde(default)]
    pub derives: Vec<String>,
}

/// An existing Rust type used instead of a named schema's.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Replace {
    /// The Rust path used instead, e.g. `crate::TicketState`.
    #[serde(rename = "type")]
    pub rust_type: String,
    /// Traits the replacement implements (`FromStr`, `Display`, `Default`).
    #[serde(default)]
    pub impls: Vec<String>,
}

/// An existing Rust type used for every schema equal to one.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Convert {
    /// The JSON Schema to match, exactly as progenitor sees it.
    pub schema: serde_json::Value,
    /// The Rust path used instead.
    #[serde(rename = "type")]
    pub rust_type: String,
    /// Traits it implements (`FromStr`, `Display`, `Default`).
    #[serde(default)]
    pub impls: Vec<String>,
}

impl ClientSettings {
    /// The inner type: the explicit one, else the runtime's `Session`.
    pub fn inner_type(&self) -> Option<String> {
        self.inner_type
            .clone()
            .or_else(|| self.runtime.as_ref().map(|r| format!("{r}::Session")))
    }

    /// The hooks mode: the explicit one, else expected with a runtime.
    pub fn hooks(&self) -> Hooks {
        self.hooks.unwrap_or(match self.runtime {
            Some(_) => Hooks::Expected,
            None => Hooks::Optional,
        })
    }

    /// The decoding module: the explicit one, else the runtime's `decode`.
    pub fn decode(&self) -> Option<String> {
        self.decode
            .clone()
            .or_else(|| self.runtime.as_ref().map(|r| format!("{r}::decode")))
    }

    /// The CLI body module: the explicit one, else the runtime's `cli`.
    pub fn cli_body(&self) -> Option<String> {
        self.cli_body
            .clone()
            .or_else(|| self.runtime.as_ref().map(|r| format!("{r}::cli")))
    }
}

impl Output {
    /// The `ticketing` subcommand of this output.
    pub fn cli_name(&self) -> &str {
        self.cli_name.as_deref().unwrap_or(&self.name)
    }

    /// The crate's package name, from its directory's last component.
    pub fn crate_name(&self) -> &str {
        self.crate_dir
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(&self.crate_dir)
    }

    /// The package of its run-time crate: `client.runtime` names it as a Rust
    /// path (`masstack_client_runtime`).
    pub fn runtime_package(&self) -> Option<String> {
        self.client.runtime.as_deref().map(|r| r.replace('_', "-"))
    }

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

/// What is wrong with a manifest beyond its syntax: crates used twice or
/// outside the repository or not workspace members, extras whose
/// prerequisites are missing. `members` are the workspace's member
/// directories.
pub fn validate(name: &str, manifest: &Manifest, members: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut bad = |output: &Output, message: String| {
        out.push(Diagnostic::new(
            name,
            Location::File,
            format!("output `{}`: {message}", output.name),
        ));
    };
    let mut crates: BTreeMap<&str, &str> = BTreeMap::new();
    for output in &manifest.outputs {
        let dir = output.crate_dir.trim_end_matches('/');
        if let Some(first) = crates.insert(dir, &output.name) {
            bad(
                output,
                format!(
                    "`crate = \"{dir}\"` is also output `{first}`'s crate; each output needs a crate of its own (the second would overwrite the first's files)"
                ),
            );
        }
        let outside = Path::new(dir).is_absolute()
            || dir.split('/').any(|part| part == "..")
            || dir.is_empty();
        if outside {
            bad(
                output,
                format!(
                    "`crate = \"{dir}\"` is outside the repository; give a path relative to the workspace root, such as `crates/{}`",
                    output.name
                ),
            );
        } else if !is_member(dir, members) {
            bad(
                output,
                format!(
                    "`crate = \"{dir}\"` is not a member of the workspace; add it to `[workspace] members` in Cargo.toml (`cargo xtask new` does)"
                ),
            );
        }
        let has = |e: Extra| output.extras.contains(&e);
        // The generated `lifecycle` module calls `crate::examples::<schema>()`
        // for each transaction's payload: a dependency of the generated code,
        // not of the generators (both read the lint's lifecycle model).
        if has(Extra::Lifecycle) && !has(Extra::Examples) {
            bad(output, "the `lifecycle` extra needs the `examples` extra (the generated `lifecycle` module builds each transaction's example payload with the `examples` module's functions): add \"examples\" to `extras`".into());
        }
        if has(Extra::Cli) {
            if !output
                .client
                .derives
                .iter()
                .any(|d| d.trim_start_matches("::") == "schemars::JsonSchema")
            {
                bad(output, "the `cli` extra needs the `schemars::JsonSchema` derive: add it to `[output.client] derives` (and `feature_derives = { \"schemars::JsonSchema\" = \"cli\" }` so that only the CLI compiles it)".into());
            }
            if !has(Extra::Environments) {
                bad(output, "the `cli` extra needs the `environments` extra (the command line picks a server with --env): add \"environments\" to `extras`".into());
            }
        }
    }
    if let Some(cli) = &manifest.cli {
        let dir = cli.crate_dir.trim_end_matches('/');
        if !is_member(dir, members) {
            out.push(Diagnostic::new(
                name,
                Location::File,
                format!("`[cli] crate = \"{dir}\"` is not a member of the workspace"),
            ));
        }
    }
    out
}

/// Whether `dir` is listed in `members` (exactly, or by a `prefix/*` glob).
fn is_member(dir: &str, members: &[String]) -> bool {
    members.iter().any(|m| {
        let m = m.trim_end_matches('/');
        m == dir
            || m.strip_suffix("/*").is_some_and(|prefix| {
                dir.strip_prefix(prefix)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
            })
    })
}

/// Parses manifest text; `name` is used in messages.
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

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::diagnostic::Location;

    const OUTPUT: &str = "[[output]]\nname = \"a\"\nspec = \"spec/a.yaml\"\ncrate = \"crates/a\"\n";

    /// The location and message of a manifest that does not parse.
    fn error(text: &str) -> (Location, String) {
        let d = parse("spec/codegen.toml", text).expect_err("the manifest must be refused");
        assert_eq!(d.file, "spec/codegen.toml");
        (d.location, d.message)
    }

    fn at(line: usize, column: usize) -> Location {
        Location::LineColumn { line, column }
    }

    #[test]
    fn a_valid_manifest_parses_with_the_default_command() {
        let m = parse("spec/codegen.toml", OUTPUT).unwrap();
        assert_eq!(m.command, "cargo xtask regenerate");
        assert_eq!(m.outputs.len(), 1);
        assert_eq!(
            (
                m.outputs[0].name.as_str(),
                m.outputs[0].spec.as_str(),
                m.outputs[0].crate_dir.as_str()
            ),
            ("a", "spec/a.yaml", "crates/a")
        );
    }

    /// No newline before the error: line 1, column counted from the start.
    #[test]
    fn error_on_the_first_line() {
        assert_eq!(
            error(&format!("command = 1\n{OUTPUT}")),
            (
                at(1, 11),
                "invalid manifest: invalid type: integer `1`, expected a string".into()
            )
        );
    }

    /// A `\r\n` ends a line like `\n`: the `\r` does not shift the column
    /// of the next line.
    #[test]
    fn error_after_crlf_lines() {
        let lf = "[[output]]\nname = \"a\"\nspec = 5\ncrate = \"c\"\n";
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(error(lf).0, at(3, 8));
        assert_eq!(error(&crlf).0, at(3, 8));
    }

    #[test]
    fn unknown_field_points_at_its_key() {
        assert_eq!(
            error(&format!("{OUTPUT}surprise = 1\n")),
            (
                at(5, 1),
                "invalid manifest: unknown field `surprise`, expected one of \
                 `name`, `spec`, `crate`, `client`, `extras`, `lint`, `fixes`, `cli_name`, `strict`, \
                 `features`"
                    .into()
            )
        );
    }

    /// A syntax error at the end of the text points just past it.
    #[test]
    fn error_at_the_end_of_the_text() {
        assert_eq!(error("command = ").0, at(1, 11));
        assert_eq!(error("\n\nbogus").0, at(3, 6));
    }

    /// toml reports a missing top-level field on the whole document.
    #[test]
    fn missing_outputs() {
        assert_eq!(
            error("command = \"x\"\n"),
            (at(1, 1), "invalid manifest: missing field `output`".into())
        );
    }

    #[test]
    fn duplicate_output_names_are_refused_for_the_whole_file() {
        assert_eq!(
            error(&format!("{OUTPUT}{OUTPUT}")),
            (Location::File, "output name `a` is used twice".into())
        );
    }
}
