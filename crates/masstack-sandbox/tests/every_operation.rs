//! Every operation of both specs, answered for success and for each error
//! the sandbox can give (400, 401, 404), sent raw so that bad requests can
//! be made; every answer must be one the spec documents, with its content
//! type and a body that fits its schema.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use masstack_sandbox::Sandbox;
use reqwest::Method;
use reqwest::Method as M;
use serde_json::{Value, json};
use support::{Recorder, Seen, Specs};

struct Caller {
    http: reqwest::Client,
    base: String,
    recorder: Recorder,
}

/// What to send: the provider header and token are added unless left out.
#[derive(Default)]
struct Send<'a> {
    query: &'a [(&'a str, &'a str)],
    body: Option<Value>,
    no_token: bool,
    no_provider: bool,
}

impl Caller {
    async fn call(&self, op: &str, method: Method, path: &str, send: Send<'_>) -> Seen {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .query(send.query);
        if !send.no_token {
            request = request.bearer_auth("sandbox");
        }
        if !send.no_provider {
            request = request.header("ticketing-provider", "JAM");
        }
        if let Some(body) = send.body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let seen = Seen {
            operation_id: op.to_owned(),
            status: response.status().as_u16(),
            content_type: response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned()),
            body: response.bytes().await.unwrap().to_vec(),
        };
        self.recorder.push(seen.clone());
        seen
    }

    async fn expect(
        &self,
        status: u16,
        op: &str,
        method: Method,
        path: &str,
        send: Send<'_>,
    ) -> Value {
        let seen = self.call(op, method.clone(), path, send).await;
        assert_eq!(
            seen.status,
            status,
            "{op} {method} {path}: {}",
            String::from_utf8_lossy(&seen.body)
        );
        serde_json::from_slice(&seen.body).unwrap_or(Value::Null)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_answers_as_its_spec_documents() {
    // A plain reqwest client (the runtime's has a provider of its own).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = Sandbox::start().await.unwrap();
    let c = Caller {
        http: reqwest::Client::builder().no_proxy().build().unwrap(),
        base: sandbox.base_url().to_owned(),
        recorder: Recorder::default(),
    };

    // Successes, in an order where each finds what it needs.
    let key = open_read_and_edit_a_ticket(&c).await;
    search_every_way(&c).await;
    transition_and_assign(&c, &key).await;
    read_the_metadata(&c, &key).await;
    let attachment = comment_and_attach(&c, &key).await;
    link_tickets(&c, &key).await;
    edit_the_grid_ask_the_ia_and_link_remotely(&c, &key).await;
    delete_the_link_and_the_attachment(&c, &attachment).await;
    open_read_and_clear_a_trouble_ticket(&c).await;

    // Errors the sandbox gives for each operation, found from the spec:
    // no token (401), and a bad request or a missing resource where the
    // operation documents them.
    let specs = Specs::load();
    let routes = routes(&key);
    every_operation_refuses_a_missing_token(&c, &routes).await;
    bad_requests_are_400_where_documented(&c, &routes, &specs).await;
    missing_resources_are_404_where_documented(&c).await;

    assert_every_answer_documented_and_every_success_seen(&c, &specs);
}

/// A request with this JSON body.
fn body(v: Value) -> Send<'static> {
    Send {
        body: Some(v),
        ..Send::default()
    }
}

/// A request with this query string.
fn query<'a>(q: &'a [(&'a str, &'a str)]) -> Send<'a> {
    Send {
        query: q,
        ..Send::default()
    }
}

/// Opens a ticket, reads and edits it; returns its key.
async fn open_read_and_edit_a_ticket(c: &Caller) -> String {
    let ticket = json!({ "project": "INST", "ticketType": "Incidencia", "summary": "s" });
    let created = c
        .expect(
            201,
            "createTicket",
            M::POST,
            "/v2/orgs/yoigo/ticket",
            body(ticket.clone()),
        )
        .await;
    let key = created["key"].as_str().unwrap().to_owned();
    c.expect(
        200,
        "getTicket",
        M::GET,
        &format!("/v2/orgs/yoigo/ticket/{key}"),
        query(&[("fields", "attachment")]),
    )
    .await;
    c.expect(
        204,
        "updateTicket",
        M::PATCH,
        &format!("/v2/orgs/yoigo/ticket/{key}"),
        body(json!({ "summary": "t" })),
    )
    .await;
    key
}

async fn search_every_way(c: &Caller) {
    c.expect(
        200,
        "searchTicketsByJql",
        M::GET,
        "/v2/orgs/yoigo/search/ticket",
        query(&[("jql", "project = INST")]),
    )
    .await;
    c.expect(
        200,
        "searchTickets",
        M::POST,
        "/v2/orgs/yoigo/search/ticket",
        body(json!({ "filters": { "project": "INST" } })),
    )
    .await;
    c.expect(
        200,
        "searchTicketsByTerritoryOwner",
        M::GET,
        "/v2/orgs/yoigo/searchByTerritoryOwner",
        Send::default(),
    )
    .await;
    c.expect(
        200,
        "searchTicketsByIdParams",
        M::GET,
        "/v2/orgs/yoigo/searchByIDParams",
        query(&[("work_order_id", "Y28257924")]),
    )
    .await;
}

async fn transition_and_assign(c: &Caller, key: &str) {
    let t = format!("/v2/ticket/{key}");
    c.expect(
        200,
        "getTicketTransitions",
        M::GET,
        &format!("/v2/orgs/yoigo/ticket/{key}/transitions"),
        Send::default(),
    )
    .await;
    c.expect(
        204,
        "transitionTicket",
        M::POST,
        &format!("/v2/orgs/yoigo/ticket/{key}/transitions"),
        body(json!({ "transitionId": 41 })),
    )
    .await;
    c.expect(
        204,
        "assignTicket",
        M::PUT,
        &format!("{t}/assignee"),
        body(json!({ "assignee": "ana" })),
    )
    .await;
}

async fn read_the_metadata(c: &Caller, key: &str) {
    let t = format!("/v2/ticket/{key}");
    c.expect(
        200,
        "getCreateMetadata",
        M::GET,
        "/v2/ticket/metadata/create/properties",
        query(&[("projectKey", "INST"), ("ticketType", "Incidencia")]),
    )
    .await;
    c.expect(
        200,
        "getEditMetadata",
        M::GET,
        &format!("{t}/metadata/update/properties"),
        Send::default(),
    )
    .await;
    c.expect(
        200,
        "getTicketTypes",
        M::GET,
        "/v2/ticket/metadata/types",
        Send::default(),
    )
    .await;
    c.expect(
        200,
        "getFieldInfo",
        M::GET,
        "/v2/ticket/field/info",
        query(&[("jira_label", "Huella")]),
    )
    .await;
}

/// Comments and attaches a file; returns the attachment's ID.
async fn comment_and_attach(c: &Caller, key: &str) -> String {
    let t = format!("/v2/ticket/{key}");
    c.expect(
        201,
        "createComment",
        M::POST,
        &format!("{t}/comment"),
        body(json!({ "body": "hola" })),
    )
    .await;
    let attached = c
        .expect(
            201,
            "createAttachment",
            M::POST,
            &format!("{t}/attachment"),
            body(json!({ "name": "a.txt", "data": "aG9sYQ==" })),
        )
        .await;
    let attachment = attached["self"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    c.expect(
        200,
        "getAttachment",
        M::GET,
        &format!("{t}/attachment/{attachment}"),
        Send::default(),
    )
    .await;
    attachment
}

async fn link_tickets(c: &Caller, key: &str) {
    c.expect(201, "createIssueLink", M::POST, "/v2/issueLink", body(json!({ "type": { "name": "Blocks" }, "inwardIssue": { "key": key }, "outwardIssue": { "key": "INST-7902" } }))).await;
    c.expect(
        200,
        "getIssueLink",
        M::GET,
        "/v2/issueLink/10000",
        Send::default(),
    )
    .await;
    c.expect(
        200,
        "getIssueLinkTypes",
        M::GET,
        "/v2/issueLinkType",
        Send::default(),
    )
    .await;
    c.expect(
        200,
        "getIssueLinkTypesForIssueLink",
        M::GET,
        "/v2/issueLinkType/10000",
        Send::default(),
    )
    .await;
}

async fn edit_the_grid_ask_the_ia_and_link_remotely(c: &Caller, key: &str) {
    let t = format!("/v2/ticket/{key}");
    c.expect(204, "updateGrid", M::PUT, "/v2/ticket/INST-7902/grid", Send { query: &[("customFieldName", "workorder_index")], body: Some(json!([{ "rowId": "row_94ba7042-c49b-4f53-971b-44549b9c08a0", "columns": { "a": 1 } }])), ..Send::default() }).await;
    c.expect(
        200,
        "getIaSummary",
        M::GET,
        &format!("{t}/ia/summary"),
        Send::default(),
    )
    .await;
    c.expect(
        200,
        "getIaDuration",
        M::GET,
        &format!("{t}/ia/duration"),
        Send::default(),
    )
    .await;
    c.expect(
        201,
        "createRemoteLink",
        M::POST,
        "/v2/remotelink",
        Send::default(),
    )
    .await;
}

async fn delete_the_link_and_the_attachment(c: &Caller, attachment: &str) {
    c.expect(
        204,
        "deleteIssueLink",
        M::DELETE,
        "/v2/issueLink/10000",
        Send::default(),
    )
    .await;
    c.expect(
        204,
        "deleteAttachment",
        M::DELETE,
        &format!("/v2/attachment/{attachment}"),
        Send::default(),
    )
    .await;
}

async fn open_read_and_clear_a_trouble_ticket(c: &Caller) {
    let create =
        serde_json::to_value(masstack_ticketing_ossj::examples::trouble_ticket_create()).unwrap();
    let opened = c
        .expect(
            201,
            "createTroubleTicket",
            M::POST,
            "/troubleTicket",
            body(create.clone()),
        )
        .await;
    let trouble = format!("/troubleTicket/{}", opened["id"].as_str().unwrap());
    c.expect(200, "getTroubleTicket", M::GET, &trouble, Send::default())
        .await;
    c.expect(
        200,
        "updateTroubleTicket",
        M::PATCH,
        &trouble,
        body(json!({ "baseTroubleTicketState": "CLEARED", "dialog": "ok" })),
    )
    .await;
}

async fn every_operation_refuses_a_missing_token(
    c: &Caller,
    routes: &BTreeMap<String, (Method, String)>,
) {
    for (op, (method, path)) in routes {
        c.expect(
            401,
            op,
            method.clone(),
            path,
            Send {
                no_token: true,
                ..Send::default()
            },
        )
        .await;
    }
}

async fn bad_requests_are_400_where_documented(
    c: &Caller,
    routes: &BTreeMap<String, (Method, String)>,
    specs: &Specs,
) {
    for (op, (method, path)) in routes {
        if !specs.statuses(op).contains(&400) {
            continue;
        }
        let bad = if path.starts_with("/troubleTicket") {
            Send {
                body: Some(json!({ "baseTroubleTicketState": "NOPE" })),
                ..Send::default()
            }
        } else {
            Send {
                no_provider: true,
                ..Send::default()
            }
        };
        c.expect(400, op, method.clone(), path, bad).await;
    }
}

async fn missing_resources_are_404_where_documented(c: &Caller) {
    for (op, method, path, send) in missing_tickets()
        .into_iter()
        .chain(missing_attachments_links_and_trouble_tickets())
    {
        c.expect(404, op, method, path, send).await;
    }
    // updateTicket documents no 404: an unknown ticket is a 400.
    c.expect(
        400,
        "updateTicket",
        M::PATCH,
        "/v2/orgs/yoigo/ticket/INST-1",
        body(json!({})),
    )
    .await;
}

/// An operation, how it is called and what is sent.
type Request = (&'static str, Method, &'static str, Send<'static>);

/// A request about a missing ticket (or grid field) for each operation on
/// tickets that documents 404.
fn missing_tickets() -> Vec<Request> {
    vec![
        (
            "getTicket",
            M::GET,
            "/v2/orgs/yoigo/ticket/INST-1",
            Send::default(),
        ),
        (
            "getTicketTransitions",
            M::GET,
            "/v2/orgs/yoigo/ticket/INST-1/transitions",
            Send::default(),
        ),
        (
            "transitionTicket",
            M::POST,
            "/v2/orgs/yoigo/ticket/INST-1/transitions",
            body(json!({ "transitionId": 41 })),
        ),
        (
            "getEditMetadata",
            M::GET,
            "/v2/ticket/INST-1/metadata/update/properties",
            Send::default(),
        ),
        (
            "getCreateMetadata",
            M::GET,
            "/v2/ticket/metadata/create/properties",
            query(&[("projectKey", "NOPE"), ("ticketType", "x")]),
        ),
        (
            "getFieldInfo",
            M::GET,
            "/v2/ticket/field/info",
            query(&[("api_name", "nope")]),
        ),
        (
            "createComment",
            M::POST,
            "/v2/ticket/INST-1/comment",
            body(json!({ "body": "x" })),
        ),
        (
            "assignTicket",
            M::PUT,
            "/v2/ticket/INST-1/assignee",
            body(json!({})),
        ),
        (
            "updateGrid",
            M::PUT,
            "/v2/ticket/INST-7902/grid",
            Send {
                query: &[("customFieldName", "nope")],
                body: Some(json!([])),
                ..Send::default()
            },
        ),
        (
            "getIaSummary",
            M::GET,
            "/v2/ticket/INST-1/ia/summary",
            Send::default(),
        ),
        (
            "getIaDuration",
            M::GET,
            "/v2/ticket/INST-1/ia/duration",
            Send::default(),
        ),
    ]
}

/// A request for a missing attachment, link or trouble ticket (or for a
/// missing ticket to hold one) for each other operation that documents 404.
fn missing_attachments_links_and_trouble_tickets() -> Vec<Request> {
    vec![
        (
            "createAttachment",
            M::POST,
            "/v2/ticket/INST-1/attachment",
            body(json!({ "name": "a", "data": "" })),
        ),
        (
            "getAttachment",
            M::GET,
            "/v2/ticket/INST-7902/attachment/1",
            Send::default(),
        ),
        (
            "deleteAttachment",
            M::DELETE,
            "/v2/attachment/1",
            Send::default(),
        ),
        (
            "createIssueLink",
            M::POST,
            "/v2/issueLink",
            body(
                json!({ "type": { "name": "Blocks" }, "inwardIssue": { "key": "INST-1" }, "outwardIssue": { "key": "INST-7902" } }),
            ),
        ),
        ("getIssueLink", M::GET, "/v2/issueLink/1", Send::default()),
        (
            "deleteIssueLink",
            M::DELETE,
            "/v2/issueLink/1",
            Send::default(),
        ),
        (
            "getIssueLinkTypesForIssueLink",
            M::GET,
            "/v2/issueLinkType/1",
            Send::default(),
        ),
        (
            "getTroubleTicket",
            M::GET,
            "/troubleTicket/INST-1",
            Send::default(),
        ),
        (
            "updateTroubleTicket",
            M::PATCH,
            "/troubleTicket/INST-1",
            body(json!({ "baseTroubleTicketState": "CLEARED", "dialog": "x" })),
        ),
    ]
}

/// Every answer fits the spec, every operation was called, and each got its
/// documented success at least once.
fn assert_every_answer_documented_and_every_success_seen(c: &Caller, specs: &Specs) {
    c.recorder.assert_conform();
    let mut seen: BTreeMap<String, BTreeSet<u16>> = BTreeMap::new();
    for s in c.recorder.seen() {
        seen.entry(s.operation_id).or_default().insert(s.status);
    }
    assert_eq!(
        seen.keys().cloned().collect::<BTreeSet<_>>(),
        specs.operation_ids()
    );
    for (op, statuses) in &seen {
        let success = specs
            .statuses(op)
            .into_iter()
            .find(|s| (200..300).contains(s))
            .unwrap();
        assert!(statuses.contains(&success), "{op}: no {success}");
    }
}

/// A path for each operation, with the parameters filled in.
fn routes(key: &str) -> BTreeMap<String, (Method, String)> {
    let specs = Specs::load();
    specs
        .operation_ids()
        .into_iter()
        .map(|id| {
            let (method, path) = specs.route(&id);
            let filled = path
                .replace("{org}", "yoigo")
                .replace("{ticketId}", key)
                .replace("{attachmentId}", "24819")
                .replace("{issueLinkId}", "10000");
            (id, (method.parse().unwrap(), filled))
        })
        .collect()
}
