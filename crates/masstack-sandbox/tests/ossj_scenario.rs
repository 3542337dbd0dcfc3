//! The OSSJ lifecycle against the sandbox: every transaction of the table
//! that is a request, along its paths, sent by the client acting as the
//! right role; and transactions the table forbids, sent with the client's
//! own check bypassed, refused by the sandbox.

mod support;

use std::collections::BTreeSet;

use masstack_sandbox::Sandbox;
use masstack_ticketing_ossj::lifecycle::{Role, Transaction};
use masstack_ticketing_ossj::types::{
    ErrorResponse, TroubleTicket, TroubleTicketState, TroubleTicketUpdate,
};
use masstack_ticketing_ossj::{Client, Error, TransactionBody, examples};
use serde_json::json;
use support::Recorder;

struct Parties {
    tu: Client,
    to: Client,
    recorder: Recorder,
}

impl Parties {
    fn new(sandbox: &Sandbox) -> Self {
        let recorder = Recorder::default();
        let client =
            |role| Client::from_config(recorder.observe(sandbox.ossj_config(role))).unwrap();
        Self {
            tu: client(Role::Tu),
            to: client(Role::To),
            recorder,
        }
    }

    fn client(&self, role: Role) -> &Client {
        match role {
            Role::Tu => &self.tu,
            Role::To => &self.to,
        }
    }

    async fn open(&self) -> TroubleTicket {
        self.tu
            .acting_as(Role::Tu)
            .create(examples::trouble_ticket_create())
            .await
            .unwrap()
    }

    /// Applies `path` in order, each by its own role, checking the state
    /// after each; returns the transactions applied.
    async fn walk(&self, path: &[Transaction]) -> TroubleTicket {
        let mut ticket = self.open().await;
        for t in path {
            let before = ticket.base_trouble_ticket_state.clone();
            ticket = self
                .client(t.role())
                .acting_as(t.role())
                .apply(
                    &ticket,
                    *t,
                    TransactionBody::dialog(format!("{t} por el sandbox")),
                )
                .await
                .unwrap_or_else(|e| panic!("{t}: {e}"));
            let expected = t.resulting_state().unwrap_or(before);
            assert_eq!(ticket.base_trouble_ticket_state, expected, "after {t}");
            // Read back: the server kept it.
            let read = self
                .tu
                .get_trouble_ticket()
                .ticket_id(&ticket.id)
                .send()
                .await
                .unwrap();
            assert_eq!(read.base_trouble_ticket_state, expected);
        }
        ticket
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_transaction_that_is_a_request_goes_through_along_its_paths() {
    use Transaction::*;
    let sandbox = Sandbox::start().await.unwrap();
    let parties = Parties::new(&sandbox);
    let paths: &[&[Transaction]] = &[
        &[To05, Tu10, Tu06, To07, Tu08, To07, Tu09],
        &[To02, Tu04, To02, Tu03],
        &[To02, TuAcceptsCancellation],
        &[Tu10, To07, Tu10, TuAcceptsAndCloses],
        &[To07, ToClosesAfterWarranty],
    ];
    let mut walked: BTreeSet<Transaction> = BTreeSet::from([Tu01]);
    for path in paths {
        let end = parties.walk(path).await;
        assert!(matches!(
            end.base_trouble_ticket_state,
            TroubleTicketState::Closed | TroubleTicketState::ClosedCanceled
        ));
        walked.extend(path.iter().copied());
    }
    let requests: BTreeSet<Transaction> = Transaction::ALL
        .iter()
        .copied()
        .filter(|t| t.operation_id().is_some())
        .collect();
    assert_eq!(
        walked, requests,
        "every transaction with an operation is walked"
    );
    assert!(parties.recorder.assert_conform() > 40);
}

/// The raw update, with no client-side check.
async fn send(
    client: &Client,
    id: &str,
    body: serde_json::Value,
) -> Result<TroubleTicket, Error<ErrorResponse>> {
    let body: TroubleTicketUpdate = serde_json::from_value(body).unwrap();
    client
        .update_trouble_ticket()
        .ticket_id(id)
        .body(body)
        .send()
        .await
        .map(|r| r.into_inner())
}

fn refusal(result: Result<TroubleTicket, Error<ErrorResponse>>) -> String {
    match result {
        Err(Error::ErrorResponse(rv)) => {
            assert_eq!(rv.status().as_u16(), 400);
            rv.detail_msg.clone().unwrap_or_default()
        }
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_refuses_what_the_table_forbids() {
    let sandbox = Sandbox::start().await.unwrap();
    let parties = Parties::new(&sandbox);
    let ticket = parties.open().await;
    let id = ticket.id.as_str();
    refuses_the_wrong_role_and_the_wrong_state(&parties, id).await;
    settles_then_refuses_a_request_for_information(&parties, id).await;
    refuses_a_body_without_its_dialog(&parties, id).await;
    closes_then_refuses_anything_more(&parties, id).await;
    the_refusals_changed_nothing(&parties, id).await;
    refuses_a_ticket_opened_by_the_to(&parties).await;

    assert!(parties.recorder.assert_conform() >= 10);
}

async fn refuses_the_wrong_role_and_the_wrong_state(parties: &Parties, id: &str) {
    // The TU asking for information is the TO's transaction (TO05).
    let detail = refusal(
        send(
            &parties.tu,
            id,
            json!({ "baseTroubleTicketState": "DEFERRED.AWAITING-INFORMATION", "dialog": "?" }),
        )
        .await,
    );
    assert_eq!(
        detail,
        "transaction refused: TO05 (Requests additional information) is sent by the TO, but the token acts as the TU; the ticket is in state OPENACTIVE, where the TU may send: TU10"
    );

    // The TU cancelling a ticket no one asked to cancel (TU03 from OPENACTIVE).
    let detail = refusal(
        send(
            &parties.tu,
            id,
            json!({ "baseTroubleTicketState": "CLOSED.CANCELED", "dialog": "x" }),
        )
        .await,
    );
    assert!(
        detail.starts_with(
            "transaction refused: TU03 (Cancels ticket) is not allowed from state OPENACTIVE"
        ),
        "{detail}"
    );
}

async fn settles_then_refuses_a_request_for_information(parties: &Parties, id: &str) {
    // Settle it, then the TO asking for information from CLEARED.
    send(
        &parties.to,
        id,
        json!({ "baseTroubleTicketState": "CLEARED", "dialog": "Resuelto" }),
    )
    .await
    .unwrap();
    let detail = refusal(
        send(
            &parties.to,
            id,
            json!({ "baseTroubleTicketState": "DEFERRED.AWAITING-INFORMATION", "dialog": "?" }),
        )
        .await,
    );
    assert_eq!(
        detail,
        "transaction refused: TO05 (Requests additional information) is not allowed from state CLEARED; the ticket is in state CLEARED, where the TO may send: TO-CLOSES-AFTER-WARRANTY"
    );
}

async fn refuses_a_body_without_its_dialog(parties: &Parties, id: &str) {
    // A body without the dialog its transaction's example requires.
    let detail = refusal(
        send(
            &parties.tu,
            id,
            json!({ "baseTroubleTicketState": "CLOSED" }),
        )
        .await,
    );
    assert!(
        detail.starts_with("TU09 (Closes ticket) takes a body like TUClosesTicketExample"),
        "{detail}"
    );
    assert!(
        detail.contains("\"dialog\" is a required property"),
        "{detail}"
    );
}

async fn closes_then_refuses_anything_more(parties: &Parties, id: &str) {
    // Closed: nothing more, from anyone.
    send(
        &parties.tu,
        id,
        json!({ "baseTroubleTicketState": "CLOSED", "dialog": "OK" }),
    )
    .await
    .unwrap();
    let detail = refusal(
        send(
            &parties.tu,
            id,
            json!({ "baseTroubleTicketState": "CLOSED", "dialog": "más" }),
        )
        .await,
    );
    assert!(
        detail.ends_with("the ticket is in state CLOSED, where the TU may send: none"),
        "{detail}"
    );
}

async fn the_refusals_changed_nothing(parties: &Parties, id: &str) {
    // Refusals changed nothing.
    let read = parties
        .tu
        .get_trouble_ticket()
        .ticket_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(read.base_trouble_ticket_state, TroubleTicketState::Closed);
    assert_eq!(
        read.dialog.as_deref().map(|d| d.to_string()),
        Some("OK".to_owned())
    );
}

async fn refuses_a_ticket_opened_by_the_to(parties: &Parties) {
    // Only the TU opens tickets.
    let refused = parties
        .to
        .create_trouble_ticket()
        .body(examples::trouble_ticket_create())
        .send()
        .await;
    let detail = match refused {
        Err(Error::ErrorResponse(rv)) => rv.detail_msg.clone().unwrap_or_default(),
        other => panic!("not refused: {other:?}"),
    };
    assert_eq!(
        detail,
        "TU01 (Creates ticket) is sent by the TU, but the token acts as the TO"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_without_a_role_may_act_as_either() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = Client::from_config(sandbox.v2_config()).unwrap();
    let ticket = client
        .get_trouble_ticket()
        .ticket_id("INST-7902")
        .send()
        .await
        .unwrap();
    let asked = client
        .acting_as(Role::To)
        .apply(
            &ticket,
            Transaction::To05,
            TransactionBody::dialog("¿Número de serie de la ONT?"),
        )
        .await
        .unwrap();
    let answered = client
        .acting_as(Role::Tu)
        .apply(
            &asked,
            Transaction::Tu06,
            TransactionBody::dialog("ZTEGC8A12345"),
        )
        .await
        .unwrap();
    assert_eq!(
        answered.base_trouble_ticket_state,
        TroubleTicketState::Openactive
    );
}
