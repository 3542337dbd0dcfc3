//! `ticketing ossj apply`: a lifecycle transaction by its code, checked
//! against the transaction table like the library does.

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgMatches, Command};
use masstack_ticketing_ossj::lifecycle::{Role, Transaction};
use masstack_ticketing_ossj::types::TroubleTicketCreate;
use masstack_ticketing_ossj::{ApplyError, Client, TransactionBody};

use crate::connection::Connection;
use crate::output::{self, Outcome};

pub fn command() -> Command {
    let codes: Vec<&'static str> = Transaction::ALL.iter().map(|t| t.code()).collect();
    Command::new("apply")
        .about("Apply a lifecycle transaction (TU01 … TU10, TO02 …) to a trouble ticket")
        .long_about(
            "Apply a lifecycle transaction to a trouble ticket. The ticket is read first; a \
             transaction the lifecycle does not allow from its state, or for the role given \
             with --as, is refused before anything is sent. TU01 creates a ticket from \
             --body-file (a TroubleTicketCreate JSON document).",
        )
        .arg(
            Arg::new("transaction")
                .required(true)
                .value_name("TRANSACTION")
                .value_parser(PossibleValuesParser::new(codes)),
        )
        .arg(
            Arg::new("as")
                .long("as")
                .required(true)
                .value_name("ROLE")
                .value_parser(PossibleValuesParser::new(Role::ALL.iter().map(|r| r.code())))
                .help("The role this caller plays: TU (opens tickets) or TO (resolves them)."),
        )
        .arg(
            Arg::new("ticket-id")
                .long("ticket-id")
                .value_name("KEY")
                .help("The ticket's Jira key, such as INST-7902 (every transaction but TU01)."),
        )
        .arg(
            Arg::new("dialog")
                .long("dialog")
                .value_name("TEXT")
                .conflicts_with("body-file")
                .help("The reason, information or resolution text sent with the transaction."),
        )
        .arg(
            Arg::new("body-file")
                .long("body-file")
                .value_name("FILE")
                .required_if_eq("transaction", "TU01")
                .help("JSON body: `{dialog, attachments}` for a transaction, the whole ticket for TU01 (`-` reads standard input)."),
        )
}

pub async fn run(connection: &Connection, args: &ArgMatches) -> Outcome {
    let transaction: Transaction = args
        .get_one::<String>("transaction")
        .and_then(|code| code.parse().ok())
        .expect("clap checked the code");
    let role: Role = args
        .get_one::<String>("as")
        .and_then(|code| code.parse().ok())
        .expect("clap checked the role");
    let client: Client =
        match connection.client::<crate::generated::apis::mounted::masstack_ticketing_ossj>() {
            Ok(c) => c,
            Err(message) => return output::fail(Outcome::Usage, message),
        };
    let body_text = match args.get_one::<String>("body-file") {
        Some(path) => match masstack_client_runtime::cli::read_body(path.as_ref()) {
            Ok(text) => Some(text),
            Err(e) => return output::fail(Outcome::Usage, format!("--body-file {path}: {e}")),
        },
        None => None,
    };
    let actor = client.acting_as(role);
    let tap = connection.tap();

    let result = if transaction == Transaction::Tu01 {
        let text = body_text.expect("clap requires --body-file for TU01");
        let body: TroubleTicketCreate = match masstack_client_runtime::cli::parse_body(&text) {
            Ok(b) => b,
            Err(e) => return output::fail(Outcome::Usage, format!("--body-file: {e}")),
        };
        actor.create(body).await
    } else {
        let body = match (&body_text, args.get_one::<String>("dialog")) {
            (Some(text), _) => {
                match masstack_client_runtime::cli::parse_body::<TransactionBody>(text) {
                    Ok(b) => b,
                    Err(e) => return output::fail(Outcome::Usage, format!("--body-file: {e}")),
                }
            }
            (None, Some(dialog)) => TransactionBody::dialog(dialog.clone()),
            (None, None) => TransactionBody::default(),
        };
        let Some(ticket_id) = args.get_one::<String>("ticket-id") else {
            return output::fail(
                Outcome::Usage,
                format!("{transaction} needs --ticket-id: the ticket it applies to"),
            );
        };
        let ticket = match client
            .get_trouble_ticket()
            .ticket_id(ticket_id)
            .send()
            .await
        {
            Ok(t) => t.into_inner(),
            Err(e) => return output::report_error(tap, &e),
        };
        actor.apply(&ticket, transaction, body).await
    };
    match result {
        Ok(ticket) => {
            output::print_answer(tap, &ticket);
            Outcome::Success
        }
        Err(ApplyError::Api { source, .. }) => output::report_error(tap, &source),
        Err(e) => output::fail(Outcome::Usage, e),
    }
}
