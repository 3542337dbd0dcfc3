//! The lifecycle as the client enforces it, against a loopback server:
//! allowed paths succeed, forbidden ones are refused before any request,
//! and the example payloads are valid, typed and round-trip.
//!
//! The expected table is not the generated one: it is parsed from the
//! published overview (`spec/reference/ticketing-ossj-overview.txt`), with
//! what the text does not give (starting states, the diagram's extra
//! arrows, cells the text cut off) listed here explicitly and checked
//! against the `inferred` flags of the spec's `x-transactions`.

use std::collections::BTreeSet;
use std::path::Path;

use httpmock::{Method, MockServer};
use masstack_openapi::examples::{ExampleSite, ExampleValidator};
use masstack_ticketing_ossj::lifecycle::{ExamplePayload, Role, Transaction};
use masstack_ticketing_ossj::transition::{RefusalReason, allowed, check};
use masstack_ticketing_ossj::types::{TroubleTicket, TroubleTicketState};
use masstack_ticketing_ossj::{ApplyError, Client, ClientConfig, TransactionBody, examples};
use serde_json::{Value, json};

const TICKET: &str = "INST-7902";

const STATES: [TroubleTicketState; 6] = [
    TroubleTicketState::Openactive,
    TroubleTicketState::DeferredAwaitingCancelation,
    TroubleTicketState::ClosedCanceled,
    TroubleTicketState::DeferredAwaitingInformation,
    TroubleTicketState::Cleared,
    TroubleTicketState::Closed,
];

fn ticket_json(state: &str) -> Value {
    json!({ "id": TICKET, "baseTroubleTicketState": state, "attachments": [] })
}

fn ticket(state: TroubleTicketState) -> TroubleTicket {
    serde_json::from_value(ticket_json(&state.to_string())).unwrap()
}

// ---------------------------------------------------------------------------
// The expected table: the published text, plus a reviewed list of what it
// does not say
// ---------------------------------------------------------------------------

fn reference(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../spec/reference")
        .join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the reference text {}: {e}", path.display()))
}

/// Spellings the rendered text broke, and the words they stand for. The
/// `í` of `Envía` (UTF-8 `C3 AD`) was read as Latin-1 `Ã` plus a soft
/// hyphen, and the soft hyphen was lost.
const MOJIBAKE: [(&str, &str); 1] = [("EnvÃa", "Envía")];

/// Starting states. The published table has no such column: they are read
/// from the state-flow diagram, an image the text does not carry (the spec
/// marks each of these rows `inferred: true` and says so). Reviewed against
/// the spec's `x-transactions`. TU01 creates the ticket, so it starts from
/// no ticket at all.
const FROM: [(&str, &[&str]); 14] = [
    ("TU01", &[]),
    ("TO02", &["OPENACTIVE"]),
    ("TU03", &["DEFERRED.AWAITING-CANCELATION"]),
    ("TU04", &["DEFERRED.AWAITING-CANCELATION"]),
    ("TO05", &["OPENACTIVE"]),
    ("TU06", &["DEFERRED.AWAITING-INFORMATION"]),
    ("TO07", &["OPENACTIVE"]),
    ("TU08", &["CLEARED"]),
    ("TU09", &["CLEARED"]),
    // Cut off in the text; read as allowed in every state that is not closed.
    (
        "TU10",
        &[
            "OPENACTIVE",
            "DEFERRED.AWAITING-CANCELATION",
            "DEFERRED.AWAITING-INFORMATION",
            "CLEARED",
        ],
    ),
    ("TO-RECEIVES", &["OPENACTIVE"]),
    (
        "TU-ACCEPTS-CANCELLATION",
        &["DEFERRED.AWAITING-CANCELATION"],
    ),
    ("TU-ACCEPTS-AND-CLOSES", &["CLEARED"]),
    ("TO-CLOSES-AFTER-WARRANTY", &["CLEARED"]),
];

/// Rows that come from the diagram's arrow labels (which the README names),
/// not from the table: (our code, the label, resulting state, example reused
/// from the table row with the same effect).
const DIAGRAM_ROWS: [(&str, &str, &str, Option<&str>); 4] = [
    ("TO-RECEIVES", "TO receives ticket", "OPENACTIVE", None),
    (
        "TU-ACCEPTS-CANCELLATION",
        "TU accepts cancellation",
        "CLOSED.CANCELED",
        Some("TUCancelsTicketExample"),
    ),
    (
        "TU-ACCEPTS-AND-CLOSES",
        "TU accepts and closes its ticket",
        "CLOSED",
        Some("TUClosesTicketExample"),
    ),
    (
        "TO-CLOSES-AFTER-WARRANTY",
        "TO closes ticket after the warranty period",
        "CLOSED",
        Some("TUClosesTicketExample"),
    ),
];

/// Diagram arrows that are no request of their own (the TO takes the ticket
/// in when the TU creates it), so a client cannot send them.
const NOT_REQUESTS: [&str; 1] = ["TO-RECEIVES"];

/// Table rows whose resulting-state cell the text cut off, read as "the
/// state does not change".
const STATE_CUT_OFF: [&str; 1] = ["TU10"];

/// Table rows with an empty or cut-off example cell: the schema used, and
/// the README's example cell when it documents the choice. TU01's body is
/// the create body; TU10's name is cut off, so the spec names it (inferred).
const EXAMPLE_NOT_IN_TABLE: [(&str, &str, Option<&str>); 2] = [
    ("TU01", "TroubleTicketCreate", Some("(the create body)")),
    ("TU10", "TUSendsInformationWithoutModificationExample", None),
];

/// One row of the transaction table as the published text has it.
#[derive(Debug)]
struct TableRow {
    code: String,
    name_es: String,
    name_en: String,
    /// `None` where the text is cut off.
    to: Option<String>,
    /// `None` where the cell is empty or cut off.
    example: Option<String>,
}

/// The transaction table of the overview, parsed from its text.
fn published_table() -> Vec<TableRow> {
    let overview = reference("ticketing-ossj-overview.txt");
    let mut lines = overview.lines().skip_while(|l| *l != "Transaction table");
    assert_eq!(
        lines.next(),
        Some("Transaction table"),
        "no transaction table"
    );
    assert_eq!(
        lines.next(),
        Some("ID Code | Transactions | baseTroubleTicketState | Example JSON request body |")
    );
    assert_eq!(lines.next(), Some("---|---|---|---|"));
    let rows: Vec<TableRow> = lines
        .take_while(|l| l.contains('|'))
        .map(|line| {
            let cells: Vec<&str> = line
                .strip_suffix('|')
                .unwrap_or(line)
                .split('|')
                .map(str::trim)
                .collect();
            let mut name = cells[1].to_owned();
            for (broken, fixed) in MOJIBAKE {
                name = name.replace(broken, fixed);
            }
            let (name_es, name_en) = name
                .strip_suffix(')')
                .and_then(|n| n.rsplit_once(" ("))
                .unwrap_or_else(|| panic!("no `Spanish (English)` name in {line:?}"));
            let cell = |i: usize| {
                cells
                    .get(i)
                    .filter(|c| !c.is_empty())
                    .map(|c| c.to_string())
            };
            TableRow {
                code: cells[0].to_owned(),
                name_es: name_es.to_owned(),
                name_en: name_en.to_owned(),
                to: cell(2),
                example: cell(3),
            }
        })
        .collect();
    for (broken, _) in MOJIBAKE {
        assert!(
            overview.contains(broken),
            "the text no longer has {broken:?}: drop it from MOJIBAKE"
        );
    }
    rows
}

/// The roles the overview defines (`- TU: Territory User ...`).
fn published_roles() -> BTreeSet<String> {
    reference("ticketing-ossj-overview.txt")
        .lines()
        .filter_map(|l| l.strip_prefix("- ")?.split_once(": "))
        .map(|(code, _)| code.to_owned())
        .filter(|code| code.starts_with('T') && code.len() == 2 && code != "TT")
        .collect()
}

/// The diagram's arrow labels the README names besides the table's.
fn diagram_labels() -> Vec<String> {
    let readme = reference("README.md");
    let (_, rest) = readme
        .split_once("The state-flow diagram's labels also name:")
        .expect("the README names the diagram's labels");
    let (labels, _) = rest.split_once('.').unwrap();
    labels
        .split(';')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// One transaction as the published documents (and the reviewed lists
/// above) define it.
#[derive(Debug, Clone, PartialEq)]
struct Expected {
    code: String,
    role: String,
    name_en: String,
    /// `None` for the diagram's rows: the Spanish name is the spec's own.
    name_es: Option<String>,
    from: Vec<String>,
    /// `None`: the state does not change.
    to: Option<String>,
    example: Option<String>,
    /// Whether a client sends it.
    request: bool,
    /// Whether every field above is published (nothing from the lists).
    published: bool,
}

/// The expected table: the published rows in their order, then the
/// diagram's rows in the README's order.
fn expected_table() -> Vec<Expected> {
    let roles = published_roles();
    let readme = reference("README.md");
    let from = |code: &str| -> Vec<String> {
        let (_, states) = FROM
            .iter()
            .find(|(c, _)| *c == code)
            .unwrap_or_else(|| panic!("{code} has no starting states in FROM"));
        states.iter().map(|s| s.to_string()).collect()
    };
    let role = |code: &str| -> String {
        let role = &code[..2];
        assert!(roles.contains(role), "{code}: {role} is not a defined role");
        role.to_owned()
    };
    let mut table = Vec::new();
    for row in published_table() {
        let code = row.code.as_str();
        assert_eq!(
            row.to.is_none(),
            STATE_CUT_OFF.contains(&code),
            "{code}: resulting state {:?} vs STATE_CUT_OFF",
            row.to
        );
        let filled = EXAMPLE_NOT_IN_TABLE.iter().find(|(c, _, _)| *c == code);
        assert_eq!(
            row.example.is_none(),
            filled.is_some(),
            "{code}: example cell {:?} vs EXAMPLE_NOT_IN_TABLE",
            row.example
        );
        // The README's own table documents the choice for some of them.
        let example_published = match filled {
            None => true,
            Some((_, _, None)) => false,
            Some((_, _, Some(cell))) => readme.lines().any(|l| {
                l.starts_with(&format!("| {code} |")) && l.ends_with(&format!("| {cell} |"))
            }),
        };
        let from = from(code);
        table.push(Expected {
            role: role(code),
            name_en: row.name_en,
            name_es: Some(row.name_es),
            // Only the creation needs no starting state from the diagram.
            published: from.is_empty() && row.to.is_some() && example_published,
            from,
            to: row.to,
            example: row.example.or(filled.map(|(_, e, _)| e.to_string())),
            request: !NOT_REQUESTS.contains(&code),
            code: row.code,
        });
    }
    let labels = diagram_labels();
    let listed: Vec<&str> = DIAGRAM_ROWS.iter().map(|(_, l, _, _)| *l).collect();
    assert_eq!(
        labels, listed,
        "the README's diagram labels vs DIAGRAM_ROWS"
    );
    for (code, label, to, example) in DIAGRAM_ROWS {
        table.push(Expected {
            code: code.to_owned(),
            // The label starts with who sends it.
            role: role(label),
            name_en: label.to_owned(),
            name_es: None,
            from: from(code),
            to: Some(to.to_owned()),
            example: example.map(str::to_owned),
            request: !NOT_REQUESTS.contains(&code),
            published: false,
        });
    }
    let codes: Vec<&str> = table.iter().map(|t| t.code.as_str()).collect();
    let listed: Vec<&str> = FROM.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, listed, "FROM lists every transaction once, in order");
    table
}

/// What `role` may send from `current` (`None`: no ticket), in table
/// order, by the expected table.
fn permitted(table: &[Expected], role: Role, current: Option<TroubleTicketState>) -> Vec<&str> {
    table
        .iter()
        .filter(|t| t.role == role.code() && t.request)
        .filter(|t| match &current {
            None => t.from.is_empty(),
            Some(state) => t.from.contains(&state.to_string()),
        })
        .map(|t| t.code.as_str())
        .collect()
}

fn codes(transactions: &[Transaction]) -> Vec<&'static str> {
    transactions.iter().map(|t| t.code()).collect()
}

/// A loopback server that plays the ticket store: creation answers
/// `OPENACTIVE`, and an update answers with the state the request set.
async fn lifecycle_server() -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/troubleTicket")
                .json_body_includes(json!({ "baseTroubleTicketState": "OPENACTIVE" }).to_string());
            then.status(201).json_body(ticket_json("OPENACTIVE"));
        })
        .await;
    for state in STATES {
        let state = state.to_string();
        server
            .mock_async(|when, then| {
                when.method(Method::PATCH)
                    .path(format!("/troubleTicket/{TICKET}"))
                    .json_body_includes(json!({ "baseTroubleTicketState": state }).to_string());
                then.status(200).json_body(ticket_json(&state));
            })
            .await;
    }
    server
}

fn client(server: &MockServer) -> Client {
    Client::from_config(ClientConfig::new(server.base_url()).bearer_token("t0ken")).unwrap()
}

fn body_of(transaction: Transaction) -> TransactionBody {
    transaction
        .example_payload()
        .map(|p| TransactionBody::from_example(&p))
        .unwrap_or_default()
}

/// Walks `steps` from a fresh ticket, checking each resulting state.
async fn walk(client: &Client, table: &[Expected], steps: &[Transaction]) {
    let (first, rest) = steps.split_first().unwrap();
    assert_eq!(*first, Transaction::Tu01);
    let create = examples::trouble_ticket_create();
    let mut current = client.acting_as(Role::Tu).create(create).await.unwrap();
    assert_eq!(
        current.base_trouble_ticket_state,
        TroubleTicketState::Openactive
    );
    for &step in rest {
        let before = current.base_trouble_ticket_state.clone();
        let row = table.iter().find(|t| t.code == step.code()).unwrap();
        let role = [Role::Tu, Role::To]
            .into_iter()
            .find(|r| r.code() == row.role)
            .unwrap();
        current = client
            .acting_as(role)
            .apply(&current, step, body_of(step))
            .await
            .unwrap_or_else(|e| panic!("{step} from {before}: {e}"));
        let expected = match &row.to {
            Some(to) => to.parse().unwrap(),
            None => before,
        };
        assert_eq!(current.base_trouble_ticket_state, expected, "after {step}");
    }
}

#[tokio::test]
async fn every_path_through_the_diagram_succeeds() {
    use Transaction::*;
    let table = expected_table();
    let server = lifecycle_server().await;
    let client = client(&server);
    let paths: &[&[Transaction]] = &[
        // information, resolution rejected, resolved again, closed
        &[Tu01, To05, Tu06, To07, Tu08, To07, Tu09],
        // cancellation requested and rejected, then requested and accepted
        &[Tu01, To02, Tu04, To02, Tu03],
        &[Tu01, To02, TuAcceptsCancellation],
        &[Tu01, To07, TuAcceptsAndCloses],
        &[Tu01, To07, ToClosesAfterWarranty],
    ];
    for path in paths {
        walk(&client, &table, path).await;
    }
}

#[tokio::test]
async fn tu10_is_accepted_from_every_state_it_lists_and_keeps_the_state() {
    let server = lifecycle_server().await;
    let client = client(&server);
    let client = client.acting_as(Role::Tu);
    let table = expected_table();
    let tu10 = table.iter().find(|t| t.code == "TU10").unwrap();
    assert_eq!(tu10.to, None, "TU10 keeps the state");
    for state in &tu10.from {
        let state: TroubleTicketState = state.parse().unwrap();
        let after = client
            .apply(
                &ticket(state.clone()),
                Transaction::Tu10,
                body_of(Transaction::Tu10),
            )
            .await
            .unwrap();
        assert_eq!(after.base_trouble_ticket_state, state);
    }
}

#[tokio::test]
async fn every_forbidden_call_is_refused_without_a_request() {
    let table = expected_table();
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let client = client(&server);
    let roles = [Role::Tu, Role::To];
    let mut refused = 0;
    for role in roles {
        let actor = client.acting_as(role);
        for row in &table {
            let transaction: Transaction = row.code.parse().unwrap();
            // No ticket yet: only the creation's role may create one.
            if row.from.is_empty() && row.role != role.code() {
                let result = actor.create(examples::trouble_ticket_create()).await;
                expect_refused(&table, result, transaction, None);
                refused += 1;
            }
            for state in STATES {
                if permitted(&table, role, Some(state.clone())).contains(&row.code.as_str()) {
                    continue;
                }
                let result = actor
                    .apply(&ticket(state.clone()), transaction, body_of(transaction))
                    .await;
                expect_refused(&table, result, transaction, Some(state));
                refused += 1;
            }
        }
    }
    // Every (role, transaction, state), less what the table permits, plus
    // each creation attempted by the other role.
    let allowed_pairs: usize = roles
        .iter()
        .flat_map(|&r| STATES.map(|s| permitted(&table, r, Some(s)).len()))
        .sum();
    let creations = table.iter().filter(|t| t.from.is_empty()).count();
    assert_eq!(
        refused,
        roles.len() * table.len() * STATES.len() - allowed_pairs + creations * (roles.len() - 1)
    );
    assert_eq!(
        any.calls_async().await,
        0,
        "a forbidden call reached the server"
    );
}

fn expect_refused(
    table: &[Expected],
    result: Result<TroubleTicket, ApplyError>,
    transaction: Transaction,
    current: Option<TroubleTicketState>,
) {
    match result {
        Err(ApplyError::Refused(r)) => {
            assert_eq!(r.transaction, transaction);
            assert_eq!(r.current, current);
            assert_eq!(
                codes(&r.allowed),
                permitted(table, r.role, current.clone()),
                "{transaction} from {current:?}: what the refusal says is allowed"
            );
        }
        other => panic!("{transaction} from {current:?} was not refused: {other:?}"),
    }
}

/// `check` and `allowed` for every role, transaction and state (and no
/// ticket), against the published table.
#[test]
fn allowed_and_check_follow_the_published_table() {
    let table = expected_table();
    let currents: Vec<Option<TroubleTicketState>> =
        std::iter::once(None).chain(STATES.map(Some)).collect();
    let mut accepted = Vec::new();
    for role in [Role::Tu, Role::To] {
        for current in &currents {
            let expected = permitted(&table, role, current.clone());
            assert_eq!(
                codes(&allowed(role, current.clone())),
                expected,
                "allowed({role}, {current:?})"
            );
            for row in &table {
                let transaction: Transaction = row.code.parse().unwrap();
                let result = check(role, transaction, current.clone());
                if expected.contains(&row.code.as_str()) {
                    assert_eq!(result, Ok(()), "{transaction} as {role} from {current:?}");
                    accepted.push((row.code.as_str(), current.clone()));
                    continue;
                }
                let refused = result.expect_err(&format!(
                    "{transaction} as {role} from {current:?} must be refused"
                ));
                let starts_here = match current {
                    None => row.from.is_empty(),
                    Some(s) => row.from.contains(&s.to_string()),
                };
                let reason = if row.role != role.code() {
                    RefusalReason::WrongRole
                } else if (starts_here && !row.request)
                    || (current.is_some() && row.from.is_empty())
                {
                    RefusalReason::NotARequest
                } else {
                    RefusalReason::WrongState
                };
                assert_eq!(
                    (refused.reason, codes(&refused.allowed)),
                    (reason, expected.clone()),
                    "{transaction} as {role} from {current:?}"
                );
            }
        }
    }
    // What is accepted is exactly one pair per request and starting state
    // (and the creation from no ticket).
    let mut pairs: Vec<(&str, Option<TroubleTicketState>)> = table
        .iter()
        .filter(|t| t.request)
        .flat_map(|t| {
            let from: Vec<Option<TroubleTicketState>> = if t.from.is_empty() {
                vec![None]
            } else {
                t.from.iter().map(|s| Some(s.parse().unwrap())).collect()
            };
            from.into_iter().map(|f| (t.code.as_str(), f))
        })
        .collect();
    pairs.sort();
    accepted.sort();
    assert_eq!(accepted, pairs);
}

#[test]
fn refusals_name_the_transaction_the_state_and_what_is_allowed() {
    let wrong_state = check(
        Role::To,
        Transaction::To02,
        Some(TroubleTicketState::Cleared),
    )
    .unwrap_err();
    assert_eq!(wrong_state.reason, RefusalReason::WrongState);
    assert_eq!(
        wrong_state.to_string(),
        "TO02 (Requests cancellation) is not allowed from state CLEARED; \
         the TO may send from CLEARED: TO-CLOSES-AFTER-WARRANTY"
    );

    let wrong_role = check(
        Role::To,
        Transaction::Tu03,
        Some(TroubleTicketState::DeferredAwaitingCancelation),
    )
    .unwrap_err();
    assert_eq!(wrong_role.reason, RefusalReason::WrongRole);
    assert_eq!(
        wrong_role.to_string(),
        "TU03 (Cancels ticket) is sent by the TU, but this client acts as the TO; \
         the TO may send from DEFERRED.AWAITING-CANCELATION: none"
    );

    let closed = check(
        Role::Tu,
        Transaction::Tu09,
        Some(TroubleTicketState::Closed),
    )
    .unwrap_err();
    assert_eq!(
        closed.to_string(),
        "TU09 (Closes ticket) is not allowed from state CLOSED; the TU may send from CLOSED: none"
    );

    let not_a_request = check(
        Role::To,
        Transaction::ToReceives,
        Some(TroubleTicketState::Openactive),
    )
    .unwrap_err();
    assert_eq!(not_a_request.reason, RefusalReason::NotARequest);
    assert_eq!(
        not_a_request.allowed,
        [Transaction::To02, Transaction::To05, Transaction::To07]
    );
}

/// The example schema a payload variant was generated from: its variant
/// name is the schema name in Rust case (`TOCancellationRequestExample` ->
/// `ToCancellationRequestExample`), so the published name it matches
/// case-insensitively is taken; anything else is returned as is, to fail.
fn payload_schema(payload: &ExamplePayload, published: &Option<String>) -> String {
    let debug = format!("{payload:?}");
    let variant = debug.split('(').next().unwrap_or_default().to_owned();
    match published {
        Some(name) if name.eq_ignore_ascii_case(&variant) => name.clone(),
        _ => variant,
    }
}

/// The generated `Transaction` and `Role` data, field by field, against
/// the table parsed from the published overview and the reviewed lists.
#[test]
fn the_table_is_the_published_one() {
    let table = expected_table();
    assert_eq!(
        codes(Transaction::ALL),
        table.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(),
        "the transactions, in table order"
    );
    for (&t, row) in Transaction::ALL.iter().zip(&table) {
        let generated = Expected {
            code: t.code().to_owned(),
            role: t.role().code().to_owned(),
            name_en: t.name_en().to_owned(),
            name_es: row.name_es.as_ref().map(|_| t.name_es().to_owned()),
            from: t.from_states().iter().map(|s| s.to_string()).collect(),
            to: t.resulting_state().map(|s| s.to_string()),
            example: t
                .example_payload()
                .map(|p| payload_schema(&p, &row.example)),
            request: t.operation_id().is_some(),
            published: row.published,
        };
        assert_eq!(&generated, row, "{t}");
        assert_eq!(row.code.parse::<Transaction>(), Ok(t));
        assert_eq!(t.to_string(), row.code);
    }
    assert!("TO99".parse::<Transaction>().is_err());

    let roles: BTreeSet<String> = [Role::Tu, Role::To].iter().map(|r| r.to_string()).collect();
    assert_eq!(roles, published_roles(), "the roles the overview defines");

    // The six states are the table's resulting states.
    let published: BTreeSet<String> = published_table().into_iter().filter_map(|r| r.to).collect();
    let states: BTreeSet<String> = STATES.iter().map(|s| s.to_string()).collect();
    assert_eq!(states, published);
}

/// The spec says which rows it had to infer; that must be exactly the rows
/// not wholly published (every row but the creation: the table gives no
/// starting state, and the diagram's rows are not in the table).
#[test]
fn the_spec_flags_exactly_the_rows_not_in_the_published_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/ticketing-ossj.yaml");
    let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let flagged: Vec<(&str, bool)> = spec["x-transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap(), t["inferred"] == json!(true)))
        .collect();
    let table = expected_table();
    let expected: Vec<(&str, bool)> = table
        .iter()
        .map(|t| (t.code.as_str(), !t.published))
        .collect();
    assert_eq!(flagged, expected, "x-transactions `inferred` vs the table");
    let published: Vec<&str> = table
        .iter()
        .filter(|t| t.published)
        .map(|t| t.code.as_str())
        .collect();
    assert_eq!(published, ["TU01"], "only the creation is wholly published");
}

#[test]
fn states_round_trip_through_serde_display_and_from_str() {
    let spellings = [
        "OPENACTIVE",
        "DEFERRED.AWAITING-CANCELATION",
        "CLOSED.CANCELED",
        "DEFERRED.AWAITING-INFORMATION",
        "CLEARED",
        "CLOSED",
    ];
    for (state, spelling) in STATES.into_iter().zip(spellings) {
        assert_eq!(state.to_string(), spelling);
        assert_eq!(spelling.parse::<TroubleTicketState>().unwrap(), state);
        assert_eq!(serde_json::to_value(&state).unwrap(), json!(spelling));
        assert_eq!(
            serde_json::from_value::<TroubleTicketState>(json!(spelling)).unwrap(),
            state
        );
    }
}

#[test]
fn every_example_payload_validates_round_trips_and_equals_the_spec() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/ticketing-ossj.yaml");
    let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let schemas = spec
        .pointer("/components/schemas")
        .unwrap()
        .as_object()
        .unwrap();
    let mut validator = ExampleValidator::new(&spec);

    let mut published: Vec<&str> = schemas
        .iter()
        .filter(|(name, s)| {
            name.ends_with("Example")
                || (*name == "TroubleTicketCreate" && s.get("example").is_some())
        })
        .map(|(name, _)| name.as_str())
        .collect();
    published.sort_unstable();
    let typed: Vec<&str> = examples::ALL.iter().map(|e| e.schema).collect();
    assert_eq!(typed, published, "one typed example per published example");

    for example in examples::ALL {
        let json = (example.json)();
        let site = ExampleSite {
            pointer: format!("#/components/schemas/{}/example", example.schema),
            schema: json!({ "$ref": format!("#/components/schemas/{}", example.schema) }),
            value: json.clone(),
        };
        validator
            .check(&site)
            .unwrap_or_else(|e| panic!("{}: {e:?}", example.schema));
        assert_eq!(
            json, schemas[example.schema]["example"],
            "{}",
            example.schema
        );
        assert_eq!(
            (example.reparse)(json.clone()).unwrap(),
            json,
            "{}",
            example.schema
        );
    }
}

#[test]
fn each_transaction_example_ends_in_its_resulting_state() {
    let table = expected_table();
    let mut checked = Vec::new();
    for &t in Transaction::ALL {
        let row = table.iter().find(|r| r.code == t.code()).unwrap();
        let (Some(payload), Some(to)) = (t.example_payload(), &row.to) else {
            continue;
        };
        let json = payload.to_json().unwrap();
        assert_eq!(json["baseTroubleTicketState"], json!(to), "{t}");
        checked.push(t.code());
    }
    // Every row with an example and a resulting state (TU10 keeps its state).
    let expected: Vec<&str> = table
        .iter()
        .filter(|r| r.example.is_some() && r.to.is_some())
        .map(|r| r.code.as_str())
        .collect();
    assert_eq!(checked, expected);
}

#[tokio::test]
async fn a_state_the_spec_does_not_list_is_kept_and_refused_without_a_request() {
    let server = MockServer::start_async().await;
    let read = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(format!("/troubleTicket/{TICKET}"));
            then.status(200)
                .json_body(ticket_json("DEFERRED.AWAITING-PARTS"));
        })
        .await;
    let client = client(&server);
    let ticket = client
        .get_trouble_ticket()
        .ticket_id(TICKET)
        .send()
        .await
        .expect("an unknown state does not fail the response")
        .into_inner();
    assert_eq!(
        ticket.base_trouble_ticket_state,
        TroubleTicketState::Unknown("DEFERRED.AWAITING-PARTS".into())
    );
    assert_eq!(ticket.id, TICKET);
    read.assert_async().await;

    let result = client
        .acting_as(Role::Tu)
        .apply(&ticket, Transaction::Tu10, body_of(Transaction::Tu10))
        .await;
    match result {
        Err(e @ ApplyError::UnknownState { .. }) => assert_eq!(
            e.to_string(),
            "TU10 refused: the ticket is in state `DEFERRED.AWAITING-PARTS`, which the lifecycle table does not list"
        ),
        other => panic!("not refused: {other:?}"),
    }
    // The only mock answers GET: a PATCH would have been an API error.
    read.assert_calls_async(1).await;
}
