//! A team's day with the v2 client against the sandbox: open a ticket,
//! comment, attach, transition, assign, link, edit a grid, and find it
//! again with every search; every response the client saw fits the spec.

mod support;

use masstack_sandbox::Sandbox;
use masstack_ticketing::types::{self, TicketingProvider};
use masstack_ticketing::{Client, ErrorDetails};

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use support::Recorder;

const JAM: TicketingProvider = TicketingProvider::Jam;

/// The `detailMsg` of a documented error answer.
fn error_detail(e: &masstack_ticketing::Error<types::ErrorResponse>) -> String {
    match e {
        masstack_ticketing::Error::ErrorResponse(rv) => rv.detail_msg.clone().unwrap_or_default(),
        other => panic!("not a documented error: {other}"),
    }
}

fn from<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_comment_attach_transition_link_and_find_a_ticket() {
    let sandbox = Sandbox::start().await.unwrap();
    let recorder = Recorder::default();
    let client = Client::from_config(recorder.observe(sandbox.v2_config())).unwrap();

    let key = open_and_read_back(&client).await;
    edit(&client, &key).await;
    comment(&client, &key).await;
    let attachment_id = attach_and_read_back(&client, &key).await;
    transition(&client, &key).await;
    assign(&client, &key).await;
    let link_id = link_to_the_seeded_ticket(&client, &key).await;
    find_with_every_search(&client, &key).await;
    remove_link_and_attachment(&client, &key, &link_id, &attachment_id).await;
    edit_grid_and_read_the_estimate(&client, &key).await;

    assert!(recorder.assert_conform() >= 25);
}

async fn open_and_read_back(client: &Client) -> String {
    // Open.
    let created = client
        .create_ticket()
        .org("yoigo")
        .ticketing_provider(JAM)
        .body(from::<types::Ticket>(json!({
            "project": "INST",
            "ticketType": "Incidencia",
            "summary": "Sin servicio FTTH en Alcobendas",
            "description": "El cliente no tiene servicio desde las 08:15",
            "customFields": { "work_order_id": "WO-1", "customer_id": "C-77" }
        })))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let key = created.key.clone().unwrap();
    assert_eq!(key, "INST-7903", "keys go on after the seeded INST-7902");
    let id = created.id.unwrap();

    // Read it back, by key and by numeric ID.
    for name in [key.clone(), id.to_string()] {
        let ticket = client
            .get_ticket()
            .org("yoigo")
            .ticket_id(name)
            .ticketing_provider(JAM)
            .send()
            .await
            .unwrap();
        assert_eq!(
            ticket.summary.as_deref(),
            Some("Sin servicio FTTH en Alcobendas")
        );
    }
    key
}

async fn edit(client: &Client, key: &str) {
    // Edit.
    client
        .update_ticket()
        .org("yoigo")
        .ticket_id(key)
        .ticketing_provider(JAM)
        .body(from::<types::Ticket>(
            json!({ "summary": "Sin servicio FTTH (Alcobendas)" }),
        ))
        .send()
        .await
        .unwrap();
}

async fn comment(client: &Client, key: &str) {
    // Comment.
    let comment = client
        .create_comment()
        .ticket_id(key)
        .ticketing_provider(JAM)
        .body(from::<types::Comment>(
            json!({ "body": "Llamar al cliente por la tarde", "author": "ana" }),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(comment.status().as_u16(), 201);
    assert_eq!(comment.ticket_id.as_deref(), Some(key));
}

async fn attach_and_read_back(client: &Client, key: &str) -> String {
    // Attach, read back decoded, and delete.
    let attached = client
        .create_attachment()
        .ticket_id(key)
        .ticketing_provider(JAM)
        .body(types::AttachmentUpload::from_bytes(
            "traza.txt",
            "text/plain",
            b"LOS en PON 0/3/2\n",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(attached.size, Some(17));
    let attachment_id = attached
        .self_
        .as_deref()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let attachment = client
        .get_attachment()
        .ticket_id(key)
        .attachment_id(&attachment_id)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    assert_eq!(attachment.decoded().unwrap(), b"LOS en PON 0/3/2\n");
    let with_attachments = client
        .get_ticket()
        .org("yoigo")
        .ticket_id(key)
        .fields("attachment")
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    assert_eq!(
        with_attachments.summary.as_deref(),
        Some("Sin servicio FTTH (Alcobendas)")
    );
    attachment_id
}

async fn transition(client: &Client, key: &str) {
    // Transitions: list, take one, and the list follows the new status.
    let transitions = client
        .get_ticket_transitions()
        .org("yoigo")
        .ticket_id(key)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    let ids: Vec<i64> = transitions[0].iter().filter_map(|t| t.id).collect();
    assert_eq!(ids, [41, 21, 111]);
    client
        .transition_ticket()
        .org("yoigo")
        .ticket_id(key)
        .ticketing_provider(JAM)
        .body(from::<types::TransitionRequest>(json!({
            "transitionId": 111,
            "customFields": { "external_system_name": "Orange" }
        })))
        .send()
        .await
        .unwrap();
    let after = client
        .get_ticket_transitions()
        .org("yoigo")
        .ticket_id(key)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    let ids: Vec<i64> = after[0].iter().filter_map(|t| t.id).collect();
    assert_eq!(ids, [41, 21], "from Escalado");
    let refused = client
        .transition_ticket()
        .org("yoigo")
        .ticket_id(key)
        .ticketing_provider(JAM)
        .body(from::<types::TransitionRequest>(
            json!({ "transitionId": 51 }),
        ))
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.response_status().map(|s| s.as_u16()), Some(400));
    let detail = error_detail(&refused);
    assert!(
        detail.contains("51 (Cerrar) cannot be taken from status Escalado"),
        "{detail}"
    );
}

async fn assign(client: &Client, key: &str) {
    // Assign.
    client
        .assign_ticket()
        .ticket_id(key)
        .ticketing_provider(JAM)
        .body(from::<types::AssigneeRequest>(
            json!({ "assignee": "admin.micro" }),
        ))
        .send()
        .await
        .unwrap();
}

async fn link_to_the_seeded_ticket(client: &Client, key: &str) -> String {
    // Link to the seeded ticket; the link is where `Location` says.
    let linked = client
        .create_issue_link()
        .ticketing_provider(JAM)
        .body(from::<types::IssueLink>(json!({
            "type": { "name": "Relates" },
            "inwardIssue": { "key": key },
            "outwardIssue": { "key": "INST-7902" }
        })))
        .send()
        .await
        .unwrap();
    let location = linked.headers()["location"].to_str().unwrap().to_owned();
    let link_id = location.rsplit('/').next().unwrap().to_owned();
    let link = client
        .get_issue_link()
        .issue_link_id(&link_id)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    assert_eq!(
        link.outward_issue.as_ref().and_then(|i| i.key.as_deref()),
        Some("INST-7902")
    );
    let types_of_link = client
        .get_issue_link_types_for_issue_link()
        .issue_link_id(&link_id)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    assert_eq!(types_of_link.len(), 1);
    link_id
}

async fn find_with_every_search(client: &Client, key: &str) {
    // Find it: JQL (comment text, assignee, status), filters, IDs, owner.
    let jql = "comment ~ \"por la tarde\" AND assignee = admin.micro AND status = Escalado ORDER BY key DESC";
    let found = client
        .search_tickets_by_jql()
        .org("yoigo")
        .jql(jql)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    assert_eq!(found.total, Some(1));
    assert_eq!(found.tickets[0].key.as_deref(), Some(key));
    let found = client
        .search_tickets()
        .org("yoigo")
        .ticketing_provider(JAM)
        .body(from::<types::TicketSearchRequest>(json!({
            "filters": {
                "project": "INST",
                "status": { "$notIn": ["Cerrado", "RESUELTO"] },
                "external_system_name": { "$isNotEmpty": "" },
                "summary": { "$like": "ftth%alcobendas" }
            },
            "orderby": { "fields": ["key desc"] }
        })))
        .send()
        .await
        .unwrap();
    let keys: Vec<_> = found.iter().filter_map(|t| t.key.clone()).collect();
    assert_eq!(keys, [key]);
    let found = client
        .search_tickets_by_id_params()
        .org("yoigo")
        .work_order_id("WO-1")
        .customer_id("C-77")
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    assert_eq!(found.total, Some(1));
    let owned = client
        .search_tickets_by_territory_owner()
        .org("yoigo")
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    assert_eq!(owned.total, Some(2), "the seeded ticket and ours");
}

async fn remove_link_and_attachment(
    client: &Client,
    key: &str,
    link_id: &str,
    attachment_id: &str,
) {
    // Remove the link and the attachment; they are gone.
    client
        .delete_issue_link()
        .issue_link_id(link_id)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    client
        .delete_attachment()
        .attachment_id(attachment_id)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    let gone = client
        .get_attachment()
        .ticket_id(key)
        .attachment_id(attachment_id)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.response_status().map(|s| s.as_u16()), Some(404));
}

async fn edit_grid_and_read_the_estimate(client: &Client, key: &str) {
    // The grid of the seeded ticket, and the AI estimate written back.
    client
        .update_grid()
        .ticket_id("INST-7902")
        .custom_field_name("workorder_index")
        .ticketing_provider(JAM)
        .body(from::<types::GridUpdate>(json!([
            { "rowId": "row_94ba7042-c49b-4f53-971b-44549b9c08a0", "columns": { "key": "test" } }
        ])))
        .send()
        .await
        .unwrap();
    let duration = client
        .get_ia_duration()
        .ticket_id(key)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    let seeded = client
        .get_ticket()
        .org("yoigo")
        .ticket_id("INST-7902")
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    assert_eq!(
        seeded.custom_fields.as_ref().unwrap()["workorder_index"][0]["columns"]["key"],
        "test"
    );
    let ours = client
        .get_ticket()
        .org("yoigo")
        .ticket_id(key)
        .ticketing_provider(JAM)
        .send()
        .await
        .unwrap();
    assert_eq!(
        ours.custom_fields.as_ref().unwrap()["estimated_resolution_date"],
        json!(duration.estimated_resolution_date)
    );
}
