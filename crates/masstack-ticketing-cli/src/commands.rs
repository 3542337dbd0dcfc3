//! The command tree: progenitor's per-operation subcommands under `v2` and
//! `ossj`, adapted to this tool's option names, and the connection options,
//! which are global: accepted before or after the subcommand.

use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use heck::ToKebabCase;

use crate::output::{self, Outcome, Printer};

/// The id progenitor gives the provider header option.
pub const PROVIDER: &str = "ticketing-provider";

/// `ticketing sandbox`, when the CLI is built with it (the `sandbox`
/// feature, on by default).
#[cfg(feature = "sandbox")]
fn sandbox() -> Option<Command> {
    Some(crate::sandbox::command())
}

/// Without the `sandbox` feature there is no such subcommand.
#[cfg(not(feature = "sandbox"))]
fn sandbox() -> Option<Command> {
    None
}

pub fn root() -> Command {
    let connection = [
        Arg::new("env")
            .long("env")
            .value_name("ENV")
            .value_parser(PossibleValuesParser::new(crate::generated::apis::environment_names()))
            .help("Environment whose documented server to call (default: staging)."),
        Arg::new("base-url")
            .long("base-url")
            .value_name("URL")
            .conflicts_with("env")
            .help("Call this base URL instead of a documented environment."),
        Arg::new("token")
            .long("token")
            .value_name("TOKEN")
            .env("MASSTACK_TOKEN")
            .hide_env_values(true)
            .help("Bearer token (JWT) sent as `Authorization: Bearer`; never printed."),
        provider_option(),
        from_env(
            Arg::new("ca-cert")
            .long("ca-cert")
            .value_name("FILE")
            .hide_env_values(true)
            .value_parser(clap::value_parser!(PathBuf))
            .help("Also trust the CA certificates in this PEM file (an internal PKI)."),
            "SSL_CERT_FILE",
        ),
        from_env(
            Arg::new("client-cert")
            .long("client-cert")
            .value_name("FILE")
            .hide_env_values(true)
            .requires("client-key")
            .value_parser(clap::value_parser!(PathBuf))
            .help("Client certificate chain (PEM) for mutual TLS; with no token, no Authorization header is sent."),
            "MASSTACK_CLIENT_CERT",
        ),
        from_env(
            Arg::new("client-key")
            .long("client-key")
            .value_name("FILE")
            .hide_env_values(true)
            .requires("client-cert")
            .value_parser(clap::value_parser!(PathBuf))
            .help("Private key (PEM) of --client-cert."),
            "MASSTACK_CLIENT_KEY",
        ),
        from_env(
            Arg::new("timeout")
            .long("timeout")
            .value_name("SECS")
            .hide_env_values(true)
            .default_value("30")
            .value_parser(clap::value_parser!(f64))
            .help("Give up on an attempt after this many seconds."),
            "MASSTACK_TIMEOUT",
        ),
        from_env(
            Arg::new("retries")
            .long("retries")
            .value_name("N")
            .hide_env_values(true)
            .default_value("2")
            .value_parser(clap::value_parser!(u32))
            .help("Retries of a GET, PUT or DELETE after a connection error, 429, 502, 503 or 504 (0: none). POST and PATCH are never retried."),
            "MASSTACK_RETRIES",
        ),
        Arg::new("verbose")
            .short('v')
            .long("verbose")
            .action(ArgAction::Count)
            .help("Log each request (operation, method, path, status, latency) to stderr; -vv also the HTTP library's log. RUST_LOG overrides."),
    ];
    Command::new("ticketing")
        .about("The MasStack ticketing APIs from the command line: Ticketing API v2 (`v2`) and the OSSJ Trouble Ticket API (`ossj`).")
        .after_help("Exit codes: 0 success; 1 the API answered with an error (printed to stderr); 2 usage or input error, or a lifecycle transaction refused; 3 the API could not be reached.")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(connection.map(|a| a.global(true)))
        .subcommands(crate::generated::apis::groups().into_iter().map(|group| {
            // The OSSJ lifecycle command is written by hand for that crate.
            if group.get_name() == "ossj" {
                group.subcommand(crate::apply::command())
            } else {
                group
            }
        }))
        .subcommands(sandbox())
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

/// The provider option: progenitor's typed `ticketing-provider` argument of
/// a v2 operation, made global (so accepted anywhere) and optional (each
/// operation that needs it checks, see [`missing_provider`]).
fn provider_option() -> Arg {
    let command = masstack_ticketing::cli::Cli::<Printer>::get_command(
        masstack_ticketing::cli::CliCommand::GetTicket,
    );
    let generated = command
        .get_arguments()
        .find(|a| a.get_id() == PROVIDER)
        .cloned()
        .expect("getTicket takes the ticketing-provider header");
    let option = generated
        .long("provider")
        .value_name("PROVIDER")
        .hide_env_values(true)
        .required(false)
        .help("Which ticketing tool holds the tickets (v2): JAM (Jira Amarillo), JCC (Jira CC), TGJ (TGJira) or JNEXT (JiraNext).");
    from_env(option, "TICKETING_PROVIDER")
}

/// `arg.env(name)`, except that a variable set to the empty string counts
/// as unset, as curl and OpenSSL read theirs: clap would take `""` as the
/// option's value and refuse it, naming a flag the user never typed. The
/// help names the variable either way. (`MASSTACK_TOKEN` is not read
/// through this: an empty secret is refused, see `Connection`.)
pub fn from_env(arg: Arg, name: &'static str) -> Arg {
    if std::env::var_os(name).is_some_and(|v| v.is_empty()) {
        let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        arg.help(format!("{help} [env: {name}]"))
    } else {
        arg.env(name)
    }
}

/// The variable each connection option is read from; for errors.
pub const OPTION_VARIABLES: [(&str, &str); 7] = [
    ("--token", "MASSTACK_TOKEN"),
    ("--provider", "TICKETING_PROVIDER"),
    ("--ca-cert", "SSL_CERT_FILE"),
    ("--client-cert", "MASSTACK_CLIENT_CERT"),
    ("--client-key", "MASSTACK_CLIENT_KEY"),
    ("--timeout", "MASSTACK_TIMEOUT"),
    ("--retries", "MASSTACK_RETRIES"),
];

/// For a usage error about an option the command line does not hold, a
/// note naming the variable its value came from: `invalid value 'abc' for
/// '--timeout'` alone points at a flag the user never typed; so does
/// `--client-key` required when `MASSTACK_CLIENT_CERT` set its partner.
pub fn env_note(error: &clap::Error, args: &[std::ffi::OsString]) -> Option<String> {
    let typed = |flag: &str| {
        args.iter().any(|a| {
            a.to_str()
                .is_some_and(|a| a == flag || a.starts_with(&format!("{flag}=")))
        })
    };
    let from_env = |flag: &str, variable: &str| {
        !typed(flag) && std::env::var_os(variable).is_some_and(|v| !v.is_empty())
    };
    let named = |arg: &str| {
        OPTION_VARIABLES
            .into_iter()
            .find(|(flag, _)| arg.starts_with(&format!("{flag} ")) || arg == *flag)
    };
    match error.get(clap::error::ContextKind::InvalidArg)? {
        clap::error::ContextValue::String(arg) => {
            let (flag, variable) = named(arg)?;
            from_env(flag, variable)
                .then(|| format!("the value comes from the environment variable {variable}"))
        }
        // A pair's missing half: its partner came from the environment.
        clap::error::ContextValue::Strings(missing) => missing.iter().find_map(|arg| {
            let (flag, variable) = named(arg)?;
            let (partner, partner_variable) = PAIRS
                .into_iter()
                .find_map(|(a, b)| match (a, b) {
                    (a, b) if a.0 == flag => Some(b),
                    (a, b) if b.0 == flag => Some(a),
                    _ => None,
                })?;
            from_env(partner, partner_variable).then(|| {
                format!(
                    "{partner} comes from the environment variable {partner_variable}, which needs {flag} or {variable} too"
                )
            })
        }),
        _ => None,
    }
}

/// An option and its variable.
type Named = (&'static str, &'static str);

/// Options that go together, with their variables.
const PAIRS: [(Named, Named); 1] = [(
    ("--client-cert", "MASSTACK_CLIENT_CERT"),
    ("--client-key", "MASSTACK_CLIENT_KEY"),
)];

/// A group of one API's generated subcommands, adapted to this tool.
pub fn api_group(
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
fn adapt(command: Command) -> Command {
    let about = command
        .get_about()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let summary = about.lines().next().unwrap_or_default().to_owned();
    // Rebuilt without the provider option, which is global instead.
    let mut adapted = Command::new(command.get_name().to_owned())
        .about(summary)
        .long_about(about);
    for arg in command.get_arguments() {
        let arg = match arg.get_id().as_str() {
            PROVIDER => continue,
            "json-body" => arg
                .clone()
                .long("body-file")
                .value_name("FILE")
                .help("JSON file with the whole request body (`-` reads standard input); not together with the per-field options."),
            "json-body-template" => arg.clone().hide(true),
            _ => arg.clone(),
        };
        adapted = adapted.arg(arg);
    }
    adapted
}

/// Whether v2 operation `name` needs the provider and none was given.
pub fn missing_provider(api: &str, name: &str, args: &ArgMatches) -> bool {
    let given = args
        .try_get_one::<masstack_ticketing::types::TicketingProvider>(PROVIDER)
        .ok()
        .flatten()
        .is_some();
    if api != "v2" || given {
        return false;
    }
    masstack_ticketing::cli::CliCommand::iter()
        .find(|c| c.operation_id().to_kebab_case() == name)
        .map(masstack_ticketing::cli::Cli::<Printer>::get_command)
        .is_some_and(|c| {
            c.get_arguments()
                .any(|a| a.get_id() == PROVIDER && a.is_required_set())
        })
}

pub fn completions(matches: &ArgMatches) {
    let shell = *matches
        .get_one::<clap_complete::Shell>("shell")
        .expect("required");
    clap_complete::generate(shell, &mut root(), "ticketing", &mut std::io::stdout());
}

/// An error before any API call (a body file that cannot be read or
/// parsed) is an input error; otherwise the API call's outcome counts.
pub fn finish(printer: &Printer, result: anyhow::Result<()>) -> Outcome {
    match (printer.outcome(), result) {
        (Some(outcome), _) => outcome,
        (None, Ok(())) => Outcome::Success,
        (None, Err(e)) => output::fail(Outcome::Usage, format!("{e:#}")),
    }
}
