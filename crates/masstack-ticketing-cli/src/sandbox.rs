//! `ticketing sandbox`: the local sandbox of both APIs
//! (`masstack-sandbox`), in the foreground until Ctrl-C or SIGTERM.

use std::io::Write;
use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Command};
use masstack_sandbox::Sandbox;

use crate::output::{self, Outcome};

pub fn command() -> Command {
    Command::new("sandbox")
        .about("Run a local sandbox of both APIs: no credentials, state kept, requests checked against the specs.")
        .long_about(
            "Run a local sandbox of both APIs on 127.0.0.1: every operation of the v2 and OSSJ \
             specs, requests checked against them, state kept (seeded with the documented \
             examples, such as ticket INST-7902), the OSSJ lifecycle enforced. Any bearer \
             token is accepted; one starting with `TU-` or `TO-` acts as that OSSJ role. \
             Prints the base URLs and runs until Ctrl-C.",
        )
        .arg(
            Arg::new("port")
                .long("port")
                .value_name("PORT")
                .default_value("8080")
                .value_parser(clap::value_parser!(u16))
                .help("Port on 127.0.0.1 (0: any free port)."),
        )
        .arg(
            Arg::new("tls")
                .long("tls")
                .action(ArgAction::SetTrue)
                .help("Serve HTTPS with a CA made at start; its certificate's path is printed, for --ca-cert."),
        )
        .arg(
            Arg::new("state")
                .long("state")
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .help("Load the state from FILE (seeded when it does not exist) and save every change there, atomically."),
        )
}

pub fn run(args: &ArgMatches) -> Outcome {
    let mut builder = Sandbox::builder()
        .port(*args.get_one::<u16>("port").unwrap_or(&8080))
        .tls(args.get_flag("tls"));
    if let Some(path) = args.get_one::<PathBuf>("state") {
        builder = builder.state_file(path);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return output::fail(Outcome::Usage, format!("cannot start: {e}")),
    };
    runtime.block_on(async {
        let sandbox = match builder.start().await {
            Ok(s) => s,
            Err(e) => {
                return output::fail(Outcome::Usage, format!("the sandbox did not start: {e}"));
            }
        };
        announce(&sandbox);
        stopped().await;
        sandbox.stop().await;
        eprintln!("ticketing: sandbox stopped");
        Outcome::Success
    })
}

/// The lines a person or a CI script reads to connect.
fn announce(sandbox: &Sandbox) {
    let url = sandbox.base_url();
    let state = match sandbox.state_file() {
        Some(path) => format!("saved to {}", path.display()),
        None => "in memory".to_owned(),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "MasStack sandbox of both ticketing APIs (state {state})"
    );
    let _ = writeln!(out, "v2 base URL:   {url}");
    let _ = writeln!(out, "OSSJ base URL: {url}");
    let ca = match sandbox.ca_cert_path() {
        Some(path) => {
            let _ = writeln!(out, "CA certificate: {}", path.display());
            format!(" --ca-cert {}", path.display())
        }
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "Try: ticketing --base-url {url}{ca} --token sandbox --provider JAM v2 get-ticket --org yoigo --ticket-id INST-7902"
    );
    let _ = writeln!(out, "Faults: POST {url}/_sandbox/faults. Stop with Ctrl-C.");
    let _ = out.flush();
}

/// Resolves on Ctrl-C, or SIGTERM on Unix (how CI stops a background job).
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
