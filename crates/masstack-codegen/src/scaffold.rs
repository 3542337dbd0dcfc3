//! The hand-written files of a new output's crate, as `cargo xtask new`
//! creates them: a `Cargo.toml` (its dependencies are then added by
//! generation, from what the generated code uses), a README that is also the
//! crate's documentation, and a `lib.rs` that includes the generated
//! `mod.rs`. Nothing here is regenerated: the files are the crate's own.

use crate::manifest::{Extra, FeatureStyle, Output};

/// What the new crate is about, from its spec.
pub struct About<'a> {
    /// `info.title`.
    pub title: &'a str,
    /// `info.version`, recorded as build metadata of the crate's version.
    pub api_version: &'a str,
}

/// What the workspace root offers the new crate to inherit.
pub struct Inherits {
    /// `[workspace.package]` keys (`edition`, `rust-version`, `license`).
    pub package_keys: Vec<String>,
    /// Whether the root has `[workspace.lints]`.
    pub lints: bool,
    /// The registries the run-time crate is published to (its `publish`
    /// list): the new client goes to the same ones, never by default to
    /// crates.io. Empty: no `publish` key.
    pub publish: Vec<String>,
}

/// `Cargo.toml` of a new crate. `runtime` is the run-time package.
pub fn cargo_toml(
    output: &Output,
    about: &About<'_>,
    inherits: &Inherits,
    runtime: Option<&str>,
) -> String {
    let metadata: String = about
        .api_version
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut out = format!(
        "[package]\nname = \"{}\"\nversion = \"0.1.0+api.{metadata}\"\ndescription = \"Typed Rust client for {}, generated from {} by `cargo xtask regenerate`.\"\n",
        output.crate_name(),
        about.title.replace('"', "'"),
        output.spec,
    );
    for key in ["edition", "rust-version", "license"] {
        if inherits.package_keys.iter().any(|k| k == key) {
            out.push_str(&format!("{key}.workspace = true\n"));
        } else if key == "edition" {
            out.push_str("edition = \"2024\"\n");
        }
    }
    out.push_str("readme = \"README.md\"\n");
    if !inherits.publish.is_empty() {
        let list: Vec<String> = inherits.publish.iter().map(|r| format!("{r:?}")).collect();
        out.push_str(&format!("publish = [{}]\n", list.join(", ")));
    }
    if inherits.lints {
        out.push_str("\n[lints]\nworkspace = true\n");
    }
    out.push_str("\n# Added by `cargo xtask regenerate` from what the generated code uses;\n# anything added by hand stays.\n[dependencies]\n");
    let mut features = Vec::new();
    if let Some(runtime) = runtime {
        features.push("default = [\"rustls\"]".to_owned());
        for (feature, what) in [
            ("rustls", "HTTPS through rustls (the default)"),
            (
                "native-tls",
                "HTTPS through the platform's TLS library instead",
            ),
            ("http2", "HTTP/2 when the server offers it (off by default)"),
            ("gzip", "gzip-compressed responses (off by default)"),
        ] {
            features.push(format!("# {what}.\n{feature} = [\"{runtime}/{feature}\"]"));
        }
    }
    if output.extras.contains(&Extra::Cli) {
        let runtime_cli = runtime.map(|r| format!("\"{r}/cli\"")).unwrap_or_default();
        features.push(format!("# progenitor's clap subcommands (`cli`), mounted by the command line.\ncli = [{runtime_cli}]"));
    }
    if output.extras.contains(&Extra::Httpmock) {
        features.push(
            "# Typed httpmock helpers (`mock`) for testing code that uses the client.\nmock = []"
                .to_owned(),
        );
    }
    if !features.is_empty() {
        out.push_str("\n[features]\n");
        out.push_str(&features.join("\n"));
        out.push('\n');
    }
    out
}

/// `README.md` of a new crate, which is also its crate documentation.
pub fn readme(output: &Output, about: &About<'_>, command: &str) -> String {
    format!(
        "# {name}\n\nTyped async Rust client for {title} (API version {version}). [`Client`] and its\n\
         operation methods, [`types`] and [`builder`] are generated with progenitor from\n\
         `{spec}` by `{command}`; `src/lib.rs` is this crate's own and may add to them.\n",
        name = output.crate_name(),
        title = about.title,
        version = about.api_version,
        spec = output.spec,
    )
}

/// `src/lib.rs` of a new crate.
pub fn lib_rs() -> &'static str {
    "#![doc = include_str!(\"../README.md\")]\n\n\
     #[rustfmt::skip] // formatted by prettyplease at generation time\n\
     mod generated;\n\
     pub use generated::*;\n"
}

/// The `[[output]]` entry of a new output, as TOML text.
pub fn manifest_entry(output: &Output) -> String {
    let extras: Vec<String> = output
        .extras
        .iter()
        .map(|e| format!("\"{}\"", extra_name(*e)))
        .collect();
    let mut out = format!(
        "\n[[output]]\nname = \"{}\"\nspec = \"{}\"\ncrate = \"{}\"\nextras = [{}]\n",
        output.name,
        output.spec,
        output.crate_dir,
        extras.join(", ")
    );
    if let Some(cli) = &output.cli_name {
        out.push_str(&format!("cli_name = \"{cli}\"\n"));
    }
    if output.features == FeatureStyle::PerTag {
        out.push_str("# One cargo feature per tag; `full` (the default) turns all on.\nfeatures = \"per-tag\"\n");
    }
    let c = &output.client;
    let derives: Vec<String> = c.derives.iter().map(|d| format!("\"{d}\"")).collect();
    out.push_str("\n[output.client]\n");
    if let Some(runtime) = &c.runtime {
        out.push_str(&format!("runtime = \"{runtime}\"\n"));
    }
    if !derives.is_empty() {
        out.push_str(&format!("derives = [{}]\n", derives.join(", ")));
    }
    if !c.feature_derives.is_empty() {
        let pairs: Vec<String> = c
            .feature_derives
            .iter()
            .map(|(d, f)| format!("\"{d}\" = \"{f}\""))
            .collect();
        out.push_str(&format!("feature_derives = {{ {} }}\n", pairs.join(", ")));
    }
    if c.non_exhaustive {
        out.push_str("non_exhaustive = true\n");
    }
    if c.open_enums {
        out.push_str("open_enums = true\n");
    }
    out
}

/// An extra as the manifest spells it.
pub fn extra_name(extra: Extra) -> &'static str {
    match extra {
        Extra::Examples => "examples",
        Extra::Lifecycle => "lifecycle",
        Extra::Environments => "environments",
        Extra::Httpmock => "httpmock",
        Extra::Cli => "cli",
    }
}
