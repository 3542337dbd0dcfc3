#![doc = include_str!("../README.md")]

mod api;
mod apply;
mod commands;
mod connection;
#[rustfmt::skip] // formatted by prettyplease at generation time
mod generated {
    pub mod apis;
}
mod output;
#[cfg(feature = "sandbox")]
mod sandbox;

use std::process::ExitCode;

use connection::Connection;
use output::Outcome;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let matches = match commands::root().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            if let Some(note) = commands::env_note(&e, &args) {
                eprintln!("note: {note}");
            }
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let outcome = match matches.subcommand() {
        Some(("completions", sub)) => {
            commands::completions(sub);
            Outcome::Success
        }
        #[cfg(feature = "sandbox")]
        Some(("sandbox", sub)) => sandbox::run(sub),
        Some((api, sub)) => run(api, &matches, sub),
        None => unreachable!("clap requires a subcommand"),
    };
    ExitCode::from(outcome.code())
}

fn run(api: &str, root: &clap::ArgMatches, sub: &clap::ArgMatches) -> Outcome {
    let Some((name, args)) = sub.subcommand() else {
        unreachable!("clap requires a subcommand")
    };
    log(root.get_count("verbose"));
    if commands::missing_provider(api, name, args) {
        return output::fail(
            Outcome::Usage,
            format!("{api} {name} needs --provider (JAM, JCC, TGJ or JNEXT) or TICKETING_PROVIDER"),
        );
    }
    let connection = match Connection::from_matches(root) {
        Ok(c) => c,
        Err(message) => return output::fail(Outcome::Usage, message),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return output::fail(Outcome::Usage, format!("cannot start: {e}")),
    };
    runtime.block_on(async {
        if (api, name) == ("ossj", "apply") {
            return apply::run(&connection, args).await;
        }
        match generated::apis::run(api, name, args, &connection).await {
            Some(outcome) => outcome,
            None => unreachable!("clap only accepts mounted APIs and their operations"),
        }
    })
}

/// `-v` logs each request's span when it closes (operation, method, path,
/// status, attempts, latency; never the token); `-vv` adds the HTTP
/// library's debug log. `RUST_LOG` overrides both.
fn log(verbosity: u8) {
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::fmt::format::FmtSpan;
    let default = match verbosity {
        0 if std::env::var_os("RUST_LOG").is_none() => return,
        0 | 1 => "masstack_client_runtime=info",
        _ => "masstack_client_runtime=debug,reqwest=debug,hyper_util=debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        .init();
}
