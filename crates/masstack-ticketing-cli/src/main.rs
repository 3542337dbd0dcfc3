//! `ticketing`: the MasStack ticketing APIs from the command line.
//!
//! The per-operation subcommands are progenitor's, generated from the specs
//! into the client crates' `cli` modules; this binary mounts them under `v2`
//! and `ossj`, adds the global options, the lifecycle command and shell
//! completions, and maps outcomes to exit codes.

mod apply;
mod commands;
mod options;
mod output;

use std::process::ExitCode;

use output::Outcome;

fn main() -> ExitCode {
    let matches = match commands::root().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let outcome = match matches.subcommand() {
        Some(("completions", sub)) => {
            commands::completions(sub);
            Outcome::Success
        }
        Some((api, sub)) => run(api, &matches, sub),
        None => unreachable!("clap requires a subcommand"),
    };
    ExitCode::from(outcome.code())
}

fn run(api: &str, root: &clap::ArgMatches, sub: &clap::ArgMatches) -> Outcome {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return output::fail(Outcome::Usage, format!("cannot start: {e}")),
    };
    let options = options::Options::from_matches(root);
    runtime.block_on(async {
        match (api, sub.subcommand()) {
            ("v2", Some((name, args))) => commands::run_v2(&options, name, args).await,
            ("ossj", Some(("apply", args))) => apply::run(&options, args).await,
            ("ossj", Some((name, args))) => commands::run_ossj(&options, name, args).await,
            _ => unreachable!("clap requires a subcommand"),
        }
    })
}
