//! The lifecycle as the client enforces it, against a loopback server:
//! allowed paths succeed, forbidden ones are refused before any request,
//! and the example payloads are valid, typed and round-trip.

use std::path::Path;

use httpmock::{Method, MockServer};
use masstack_codegen::examples::{ExampleSite, ExampleValidator};
use masstack_ticketing_ossj::lifecycle::{Role, Transaction};
use masstack_ticketing_ossj::transition::{RefusalReason, allowed, check};
use masstack_ticketing_ossj::types::{TroubleTicket, TroubleTicketState};
use masstack_ticketing_ossj::{ApplyError, Client, ClientConfig, Open, TransactionBody, examples};
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
async fn walk(client: &Client, steps: &[Transaction]) {
    let (first, rest) = steps.split_first().unwrap();
    assert_eq!(*first, Transaction::Tu01);
    let create = masstack_ticketing_ossj::examples::trouble_ticket_create();
    let mut current = client.acting_as(Role::Tu).create(create).await.unwrap();
    assert_eq!(
        current.base_trouble_ticket_state,
        Open::Known(TroubleTicketState::Openactive)
    );
    for &step in rest {
        let before = *current.base_trouble_ticket_state.known().unwrap();
        current = client
            .acting_as(step.role())
            .apply(&current, step, body_of(step))
            .await
            .unwrap_or_else(|e| panic!("{step} from {before}: {e}"));
        let expected = step.resulting_state().unwrap_or(before);
        assert_eq!(
            current.base_trouble_ticket_state,
            Open::Known(expected),
            "after {step}"
        );
    }
}

#[tokio::test]
async fn every_path_through_the_diagram_succeeds() {
    use Transaction::*;
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
        walk(&client, path).await;
    }
}

#[tokio::test]
async fn tu10_is_accepted_from_every_state_it_lists_and_keeps_the_state() {
    let server = lifecycle_server().await;
    let client = client(&server);
    let client = client.acting_as(Role::Tu);
    let from = Transaction::Tu10.from_states();
    assert_eq!(from.len(), 4, "TU10 applies to every open state");
    for &state in from {
        let after = client
            .apply(
                &ticket(state),
                Transaction::Tu10,
                body_of(Transaction::Tu10),
            )
            .await
            .unwrap();
        assert_eq!(after.base_trouble_ticket_state, Open::Known(state));
    }
}

#[tokio::test]
async fn every_forbidden_call_is_refused_without_a_request() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let client = client(&server);
    let mut refused = 0;
    for role in [Role::Tu, Role::To] {
        let actor = client.acting_as(role);
        for &transaction in Transaction::ALL {
            // No ticket yet: only the TU may create one.
            if transaction == Transaction::Tu01 && role == Role::To {
                let result = actor.create(examples::trouble_ticket_create()).await;
                expect_refused(result, transaction, None);
                refused += 1;
            }
            for state in STATES {
                let permitted = transaction.role() == role
                    && transaction.from_states().contains(&state)
                    && transaction.operation_id() == Some("updateTroubleTicket");
                if permitted {
                    continue;
                }
                let result = actor
                    .apply(&ticket(state), transaction, body_of(transaction))
                    .await;
                expect_refused(result, transaction, Some(state));
                refused += 1;
            }
        }
    }
    // 14 transactions x 2 roles x 6 states, minus the 15 allowed pairs, plus TU01 as the TO.
    assert_eq!(refused, 14 * 2 * 6 - 15 + 1);
    assert_eq!(
        any.calls_async().await,
        0,
        "a forbidden call reached the server"
    );
}

fn expect_refused(
    result: Result<TroubleTicket, ApplyError>,
    transaction: Transaction,
    current: Option<TroubleTicketState>,
) {
    match result {
        Err(ApplyError::Refused(r)) => {
            assert_eq!(r.transaction, transaction);
            assert_eq!(r.current, current);
            assert_eq!(r.allowed, allowed(r.role, current));
        }
        other => panic!("{transaction} from {current:?} was not refused: {other:?}"),
    }
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

#[test]
fn the_table_is_the_published_one() {
    use TroubleTicketState::*;
    let row = |t: Transaction| {
        (
            t.code(),
            t.role(),
            t.from_states().to_vec(),
            t.resulting_state(),
        )
    };
    // From the overview's transaction table and state-flow diagram.
    assert_eq!(
        row(Transaction::Tu01),
        ("TU01", Role::Tu, vec![], Some(Openactive))
    );
    assert_eq!(
        row(Transaction::To02),
        (
            "TO02",
            Role::To,
            vec![Openactive],
            Some(DeferredAwaitingCancelation)
        )
    );
    assert_eq!(
        row(Transaction::Tu03),
        (
            "TU03",
            Role::Tu,
            vec![DeferredAwaitingCancelation],
            Some(ClosedCanceled)
        )
    );
    assert_eq!(
        row(Transaction::Tu09),
        ("TU09", Role::Tu, vec![Cleared], Some(Closed))
    );
    assert_eq!(Transaction::Tu10.resulting_state(), None);
    assert_eq!(Transaction::ALL.len(), 14);
    assert_eq!("TO02".parse::<Transaction>(), Ok(Transaction::To02));
    assert!("TO99".parse::<Transaction>().is_err());
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
        assert_eq!(serde_json::to_value(state).unwrap(), json!(spelling));
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
    for &t in Transaction::ALL {
        let (Some(payload), Some(to)) = (t.example_payload(), t.resulting_state()) else {
            continue;
        };
        let json = payload.to_json().unwrap();
        assert_eq!(json["baseTroubleTicketState"], json!(to.to_string()), "{t}");
    }
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
        Open::Unknown("DEFERRED.AWAITING-PARTS".into())
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
