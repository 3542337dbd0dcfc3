//! `--state FILE`: seeded when missing, every change saved atomically and
//! loaded on the next start; a file that cannot be used is refused with a
//! clear error and never overwritten.

use std::path::Path;

use masstack_sandbox::{Sandbox, SandboxError};
use masstack_ticketing::Client;
use masstack_ticketing::types::{Comment, Ticket, TicketingProvider};

const JAM: TicketingProvider = TicketingProvider::Jam;

async fn start(path: &Path) -> Result<Sandbox, SandboxError> {
    Sandbox::builder().state_file(path).start().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let sandbox = start(&path).await.unwrap();
    assert!(path.exists(), "the seeded state is written at start");
    let client = Client::from_config(sandbox.v2_config()).unwrap();
    let ticket: Ticket = serde_json::from_value(serde_json::json!({
        "project": "MAS", "ticketType": "Avería (FTTH)", "summary": "guardado"
    }))
    .unwrap();
    let created = client
        .create_ticket()
        .org("yoigo")
        .ticketing_provider(JAM)
        .body(ticket)
        .send()
        .await
        .unwrap();
    let key = created.key.clone().unwrap();
    let comment: Comment =
        serde_json::from_value(serde_json::json!({ "body": "sigue ahí" })).unwrap();
    client
        .create_comment()
        .ticket_id(&key)
        .ticketing_provider(JAM)
        .body(comment)
        .send()
        .await
        .unwrap();
    sandbox.stop().await;

    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["state.json"], "no temporary file is left behind");

    let sandbox = start(&path).await.unwrap();
    let client = Client::from_config(sandbox.v2_config()).unwrap();
    let again = client
        .get_ticket()
        .org("yoigo")
        .ticket_id(&key)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    assert_eq!(again.summary.as_deref(), Some("guardado"));
    let found = client
        .search_tickets_by_jql()
        .org("yoigo")
        .jql("comment ~ \"sigue ahí\"")
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    assert_eq!(found.total, Some(1));
    // Counters were saved too: the next key is new.
    let next: Ticket = serde_json::from_value(
        serde_json::json!({ "project": "MAS", "ticketType": "Avería (FTTH)" }),
    )
    .unwrap();
    let created = client
        .create_ticket()
        .org("yoigo")
        .ticketing_provider(JAM)
        .body(next)
        .send()
        .await
        .unwrap();
    assert_ne!(created.key.as_deref(), Some(key.as_str()));
}

/// Starting on `contents` fails with a message containing `expected`, and
/// the file is left byte for byte as it was.
async fn refused(contents: &str, expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, contents).unwrap();
    let error = start(&path).await.unwrap_err().to_string();
    assert!(error.contains(expected), "{error}");
    assert!(error.contains(&path.display().to_string()), "{error}");
    assert!(error.contains("left the file untouched"), "{error}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), contents);
}

#[tokio::test]
async fn a_file_that_cannot_be_used_is_refused_and_left_alone() {
    refused("", "not a sandbox state file").await;
    refused(
        "{\"format\": \"masstack-sandbox-state\", \"version\": 1, \"state\": {",
        "EOF while parsing",
    )
    .await;
    refused("[1, 2]", "not a sandbox state file").await;
    refused(
        r#"{"format": "other", "version": 1, "state": {}}"#,
        "`format` is `other`",
    )
    .await;
    refused(
        r#"{"format": "masstack-sandbox-state", "version": 9, "state": {}}"#,
        "`version` is 9, and this sandbox reads version 1",
    )
    .await;
    refused(
        r#"{"format": "masstack-sandbox-state", "version": 1, "state": {"tickets": {}, "attachments": {}, "issueLinks": {}, "remoteLinks": [], "troubleTickets": {}, "counters": {"ticketId": "one", "attachmentId": 1, "issueLinkId": 1, "keyNumbers": {}}}}"#,
        "at `state.counters.ticketId`: invalid type: string \"one\", expected u64",
    )
    .await;
    refused(
        r#"{"format": "masstack-sandbox-state", "version": 1, "state": {"tickets": {}, "attachments": {}, "issueLinks": {}, "remoteLinks": [], "troubleTickets": {"INST-1": {"id": "INST-1", "baseTroubleTicketState": "LOST"}}, "counters": {"ticketId": 1, "attachmentId": 1, "issueLinkId": 1, "keyNumbers": {}}}}"#,
        "trouble ticket `INST-1`: baseTroubleTicketState:",
    )
    .await;
}
