//! The command tree: progenitor's per-operation subcommands under `v2` and
//! `ossj`, adapted to this tool's option names, plus the global options.

use std::path::PathBuf;

use clap::{Arg, ArgMatches, Command};
use heck::ToKebabCase;

use crate::options::Options;
use crate::output::{self, Outcome, Printer};

pub fn root() -> Command {
    Command::new("ticketing")
        .about("The MasStack ticketing APIs from the command line: Ticketing API v2 (`v2`) and the OSSJ Trouble Ticket API (`ossj`).")
        .after_help("Exit codes: 0 success; 1 the API answered with an error (printed to stderr); 2 usage or input error, or a lifecycle transaction refused; 3 the API could not be reached.")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("env")
                .long("env")
                .global(true)
                .value_name("ENV")
                .value_parser(["staging", "production"])
                .help("Environment whose documented server to call (default: staging; v2 documents only staging)."),
        )
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .global(true)
                .value_name("URL")
                .conflicts_with("env")
                .help("Call this base URL instead of a documented environment."),
        )
        .arg(
            Arg::new("token")
                .long("token")
                .global(true)
                .value_name("TOKEN")
                .env("MASSTACK_TOKEN")
                .hide_env_values(true)
                .help("Bearer token (JWT) sent as `Authorization: Bearer`; never printed."),
        )
        .subcommand(api_group(
            "v2",
            "Ticketing API v2: tickets, comments, attachments, issue links, grids, AI summaries.",
            masstack_ticketing::cli::CliCommand::iter().map(|c| {
                (c.operation_id(), masstack_ticketing::cli::Cli::<Printer>::get_command(c))
            }),
        ))
        .subcommand(
            api_group(
                "ossj",
                "Ticketing OSSJ Trouble Ticket API: trouble tickets and their TU/TO lifecycle.",
                masstack_ticketing_ossj::cli::CliCommand::iter().map(|c| {
                    (c.operation_id(), masstack_ticketing_ossj::cli::Cli::<Printer>::get_command(c))
                }),
            )
            .subcommand(crate::apply::command()),
        )
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script.")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
}

fn api_group(
    name: &'static str,
    about: &'static str,
    operations: impl Iterator<Item = (&'static str, Command)>,
) -> Command {
    let mut group = Command::new(name)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true);
    for (operation_id, command) in operations {
        group = group.subcommand(adapt(command.name(operation_id.to_kebab_case())));
    }
    group
}

/// This tool's names for progenitor's generic options, and a one-line
/// summary in listings (the description stays in `--help`).
fn adapt(mut command: Command) -> Command {
    if let Some(about) = command.get_about().map(|a| a.to_string()) {
        let summary = about.lines().next().unwrap_or_default().to_owned();
        command = command.about(summary).long_about(about);
    }
    let has = |command: &Command, id: &str| command.get_arguments().any(|a| a.get_id() == id);
    if has(&command, "ticketing-provider") {
        command = command.mut_arg("ticketing-provider", |a| {
            a.long("provider")
                .env("TICKETING_PROVIDER")
                .value_name("PROVIDER")
        });
    }
    if has(&command, "json-body") {
        command = command.mut_arg("json-body", |a| {
            a.long("body-file")
                .value_name("FILE")
                .value_parser(body_file)
                .help("JSON file with the whole request body (`-` reads standard input); it replaces the per-field options.")
        });
    }
    if has(&command, "json-body-template") {
        command = command.mut_arg("json-body-template", |a| a.hide(true));
    }
    command
}

/// `-` is standard input; progenitor's code reads the body from a path.
fn body_file(value: &str) -> Result<PathBuf, String> {
    Ok(if value == "-" {
        PathBuf::from("/dev/stdin")
    } else {
        PathBuf::from(value)
    })
}

pub fn completions(matches: &ArgMatches) {
    let shell = *matches
        .get_one::<clap_complete::Shell>("shell")
        .expect("required");
    clap_complete::generate(shell, &mut root(), "ticketing", &mut std::io::stdout());
}

/// Runs the generated subcommand `name` of one client crate; the two
/// crates' `Cli` types differ, so this is a macro rather than a function.
macro_rules! run_generated {
    ($api:ident, $options:expr, $name:expr, $args:expr) => {{
        use $api::cli::{Cli, CliCommand};
        let config = match $options.config($api::Environment::base_url) {
            Ok(c) => c,
            Err(message) => return output::fail(Outcome::Usage, message),
        };
        let client = match $api::Client::from_config(config) {
            Ok(c) => c,
            Err(e) => return output::fail(Outcome::Usage, e),
        };
        let Some(command) = CliCommand::iter().find(|c| c.operation_id().to_kebab_case() == $name)
        else {
            unreachable!("clap only accepts listed subcommands")
        };
        let printer = Printer::default();
        let result = Cli::new(client, printer.clone())
            .execute(command, $args)
            .await;
        finish(&printer, result)
    }};
}

pub async fn run_v2(options: &Options, name: &str, args: &ArgMatches) -> Outcome {
    run_generated!(masstack_ticketing, options, name, args)
}

pub async fn run_ossj(options: &Options, name: &str, args: &ArgMatches) -> Outcome {
    run_generated!(masstack_ticketing_ossj, options, name, args)
}

/// An error before any API call (a body file that cannot be read or
/// parsed) is an input error; otherwise the API call's outcome counts.
fn finish(printer: &Printer, result: anyhow::Result<()>) -> Outcome {
    match (printer.outcome(), result) {
        (Some(outcome), _) => outcome,
        (None, Ok(())) => Outcome::Success,
        (None, Err(e)) => output::fail(Outcome::Usage, format!("{e:#}")),
    }
}
