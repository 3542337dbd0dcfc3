//! Every v2 operation on the wire, against a loopback server.
//!
//! For each of the 27 operations the expected request comes from the
//! documented curl line in `spec/reference/ticketing-v2.txt` (method, path,
//! query string, JSON body), with `Authorization: Bearer` and
//! `ticketing-provider` added, and `api-version` absent. Every response
//! example the spec carries for the operation (success and error) is then
//! served, and must come back as the right typed value with its status.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;

use heck::ToSnakeCase;
use httpmock::Method;
use masstack_testkit::HttpsMock;
use masstack_ticketing::types::{self, ErrorResponse, TicketingProvider};
use masstack_ticketing::{Client, Error, ResponseValue};
use serde::Serialize;
use serde_json::Value;

const TOKEN: &str = "t0ken";
const HOST: &str = "https://ticketing.sta.masstack.com";

/// Values for the curl lines' `:placeholders`.
const PLACEHOLDERS: [(&str, &str); 3] = [
    (":ticketId", "INST-7902"),
    (":attachmentId", "10001"),
    (":issueLinkId", "10100"),
];

/// One documented request, as the curl line shows it.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Value>,
    /// Path parameters by name, matched against the spec's template.
    params: BTreeMap<String, String>,
}

/// What the client returned, reduced to what the test compares.
#[derive(Debug)]
enum Outcome {
    Success {
        status: u16,
        json: Value,
    },
    ErrorResponse {
        status: u16,
        error: ErrorResponse,
    },
    /// Shown in the failure message only.
    Other(#[allow(dead_code)] String),
}

fn outcome<T: Serialize>(result: Result<ResponseValue<T>, Error<ErrorResponse>>) -> Outcome {
    match result {
        Ok(rv) => Outcome::Success {
            status: rv.status().as_u16(),
            json: serde_json::to_value(rv.into_inner()).unwrap(),
        },
        Err(Error::ErrorResponse(rv)) => Outcome::ErrorResponse {
            status: rv.status().as_u16(),
            error: rv.into_inner(),
        },
        Err(e) => Outcome::Other(e.to_string()),
    }
}

type Send<'a> = Pin<Box<dyn Future<Output = Outcome> + 'a>>;
type Call = for<'a> fn(&'a Client, &'a Request) -> Send<'a>;

/// A call of one builder method: its path parameters, its query parameters
/// (set when the curl line has them) and its body type.
macro_rules! call {
    ($method:ident $(, path $p:ident)* $(, query $q:ident = $qk:literal)* $(, body $body:ty)?) => {{
        #[allow(unused_variables)] // operations without parameters
        fn send<'a>(client: &'a Client, request: &'a Request) -> Send<'a> {
            Box::pin(async move {
                #[allow(unused_mut)]
                let mut builder = client
                    .$method()
                    $(.$p(request.params[stringify!($p)].clone()))*
                    .ticketing_provider(TicketingProvider::Jam);
                $(
                    if let Some((_, v)) = request.query.iter().find(|(k, _)| k == $qk) {
                        builder = builder.$q(v.clone());
                    }
                )*
                $(
                    let body: $body = serde_json::from_value(
                        request.body.clone().expect("the documented request has a body"),
                    )
                    .expect("the documented body parses into the body type");
                    builder = builder.body(body);
                )?
                outcome(builder.send().await)
            })
        }
        send as Call
    }};
}

/// The client call of every operation, by operationId.
fn calls() -> BTreeMap<&'static str, Call> {
    ticket_calls()
        .into_iter()
        .chain(calls_on_what_tickets_hold())
        .collect()
}

/// Calls on tickets: create, read, edit, search, transition, assign,
/// and their metadata.
fn ticket_calls() -> [(&'static str, Call); 14] {
    [
        (
            "createTicket",
            call!(create_ticket, path org, body types::Ticket),
        ),
        (
            "getTicket",
            call!(get_ticket, path org, path ticket_id, query fields = "fields"),
        ),
        (
            "updateTicket",
            call!(update_ticket, path org, path ticket_id, body types::Ticket),
        ),
        (
            "searchTicketsByJql",
            call!(search_tickets_by_jql, path org, query jql = "jql"),
        ),
        (
            "searchTickets",
            call!(search_tickets, path org, body types::TicketSearchRequest),
        ),
        (
            "searchTicketsByTerritoryOwner",
            call!(search_tickets_by_territory_owner, path org),
        ),
        (
            "searchTicketsByIdParams",
            call!(
                search_tickets_by_id_params,
                path org,
                query customer_id = "customer_id",
                query work_order_id = "work_order_id",
                query line = "line",
                query document_id = "document_id"
            ),
        ),
        (
            "getTicketTransitions",
            call!(get_ticket_transitions, path org, path ticket_id),
        ),
        (
            "transitionTicket",
            call!(transition_ticket, path org, path ticket_id, body types::TransitionRequest),
        ),
        (
            "assignTicket",
            call!(assign_ticket, path ticket_id, body types::AssigneeRequest),
        ),
        (
            "getCreateMetadata",
            call!(
                get_create_metadata,
                query project_key = "projectKey",
                query ticket_type = "ticketType"
            ),
        ),
        ("getEditMetadata", call!(get_edit_metadata, path ticket_id)),
        ("getTicketTypes", call!(get_ticket_types)),
        (
            "getFieldInfo",
            call!(
                get_field_info,
                query api_name = "api_name",
                query customfield_id = "customfield_id",
                query jira_label = "jira_label"
            ),
        ),
    ]
}

/// Calls on what tickets hold or point to: comments, attachments, links,
/// grids, AI estimates, remote links.
fn calls_on_what_tickets_hold() -> [(&'static str, Call); 13] {
    [
        (
            "createComment",
            call!(create_comment, path ticket_id, body types::Comment),
        ),
        (
            "createAttachment",
            call!(create_attachment, path ticket_id, body types::AttachmentUpload),
        ),
        (
            "getAttachment",
            call!(get_attachment, path ticket_id, path attachment_id),
        ),
        (
            "deleteAttachment",
            call!(delete_attachment, path attachment_id),
        ),
        (
            "createIssueLink",
            call!(create_issue_link, body types::IssueLink),
        ),
        ("getIssueLink", call!(get_issue_link, path issue_link_id)),
        (
            "deleteIssueLink",
            call!(delete_issue_link, path issue_link_id),
        ),
        ("getIssueLinkTypes", call!(get_issue_link_types)),
        (
            "getIssueLinkTypesForIssueLink",
            call!(get_issue_link_types_for_issue_link, path issue_link_id),
        ),
        (
            "updateGrid",
            call!(
                update_grid,
                path ticket_id,
                query custom_field_name = "customFieldName",
                body types::GridUpdate
            ),
        ),
        ("getIaSummary", call!(get_ia_summary, path ticket_id)),
        ("getIaDuration", call!(get_ia_duration, path ticket_id)),
        ("createRemoteLink", call!(create_remote_link)),
    ]
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn spec() -> Value {
    let text = std::fs::read_to_string(root().join("spec/ticketing-v2.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// The documented curl lines: method, URL (placeholders filled in), body.
fn curl_lines() -> Vec<(String, String, Option<Value>)> {
    let text = std::fs::read_to_string(root().join("spec/reference/ticketing-v2.txt")).unwrap();
    text.split("curl -X ")
        .skip(1)
        .map(|block| {
            let (method, rest) = block.split_once(' ').unwrap();
            let mut url = rest
                .trim_start_matches('\'')
                .split('\'')
                .next()
                .unwrap()
                .trim_start_matches(HOST)
                .to_owned();
            for (placeholder, value) in PLACEHOLDERS {
                url = url.replace(placeholder, value);
            }
            let body = rest.split_once("--data-raw '").map(|(_, b)| {
                let end = b.find("}'").or_else(|| b.find("]'")).unwrap() + 1;
                serde_json::from_str(&b[..end]).unwrap()
            });
            (method.to_lowercase(), url, body)
        })
        .collect()
}

/// Path parameters of `path` under `template`, or `None` if it does not match.
fn match_template(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    if t.len() != p.len() {
        return None;
    }
    let mut params = BTreeMap::new();
    for (t, p) in t.iter().zip(&p) {
        match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(name) => {
                // The builder methods are the snake-case parameter names.
                params.insert(name.to_snake_case(), (*p).to_owned());
            }
            None if t != p => return None,
            None => {}
        }
    }
    Some(params)
}

/// Every documented request, by operationId.
fn documented_requests(spec: &Value) -> BTreeMap<String, Request> {
    let mut out = BTreeMap::new();
    for (method, url, body) in curl_lines() {
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let query: Vec<(String, String)> = query
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let paths = spec["paths"].as_object().unwrap();
        let found = paths.iter().find_map(|(template, item)| {
            let op = item.get(&method)?;
            match_template(template, path).map(|params| (op, params))
        });
        let (op, params) = found.unwrap_or_else(|| panic!("no operation for curl {method} {url}"));
        let id = op["operationId"].as_str().unwrap().to_owned();
        // A documented body, else the spec's request example.
        let body = body.or_else(|| {
            op.pointer("/requestBody/content/application~1json/example")
                .cloned()
        });
        let request = Request {
            method: method.to_uppercase(),
            path: path.to_owned(),
            query,
            body,
            params,
        };
        assert!(
            out.insert(id.clone(), request).is_none(),
            "two curl lines for {id}"
        );
    }
    out
}

/// Every response example of an operation: (status, example or none).
fn response_examples(spec: &Value, id: &str) -> Vec<(u16, Option<Value>)> {
    let op = masstack_openapi::operations::operations(spec)
        .into_iter()
        .find(|op| op.id() == Some(id))
        .unwrap();
    let mut out = Vec::new();
    for (status, response) in op.responses(spec) {
        let status: u16 = status.parse().unwrap();
        let media = response.pointer("/content/application~1json");
        let mut examples: Vec<Value> = media
            .and_then(|m| m.get("example"))
            .cloned()
            .into_iter()
            .collect();
        if let Some(named) = media
            .and_then(|m| m.get("examples"))
            .and_then(Value::as_object)
        {
            examples.extend(named.values().map(|e| e["value"].clone()));
        }
        if examples.is_empty() {
            out.push((status, None));
        }
        out.extend(examples.into_iter().map(|e| (status, Some(e))));
    }
    out
}

/// JSON as a typed round trip leaves it: no null members, every number
/// as a float.
fn normalized(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), normalized(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::Number(n) => serde_json::json!(n.as_f64().unwrap()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn every_documented_request_and_response_on_the_wire() {
    let spec = spec();
    let requests = documented_requests(&spec);
    let calls = calls();
    let ids: Vec<&str> = requests.keys().map(String::as_str).collect();
    let called: Vec<&str> = calls.keys().copied().collect();
    assert_eq!(ids, called, "one client call per documented curl line");
    // Every operation of the spec has a curl line.
    let mut in_spec: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    in_spec.sort_unstable();
    assert_eq!(
        ids, in_spec,
        "documented curl lines vs the spec's operations"
    );

    let server = HttpsMock::start().await;
    let client = Client::from_config(server.config().bearer_token(TOKEN)).unwrap();
    let mut exchanges = 0;
    for (id, request) in &requests {
        for (status, example) in response_examples(&spec, id) {
            let mock = server
                .mock_async(|when, then| {
                    let mut when = when
                        .method(Method::from(request.method.as_str()))
                        .path(request.path.clone())
                        .header("authorization", format!("Bearer {TOKEN}"))
                        .header("ticketing-provider", "JAM")
                        .header_missing("api-version");
                    for (k, v) in &request.query {
                        when = when.query_param(k, v);
                    }
                    if let Some(body) = &request.body {
                        when.header("content-type", "application/json")
                            .json_body(body.clone());
                    }
                    let then = then.status(status);
                    if let Some(example) = &example {
                        then.header("content-type", "application/json")
                            .json_body(example.clone());
                    }
                })
                .await;
            let result = calls[id.as_str()](&client, request).await;
            mock.assert_async().await;
            match (result, &example) {
                (Outcome::Success { status: got, json }, example) if status < 300 => {
                    assert_eq!(got, status, "{id}");
                    if let Some(example) = example {
                        assert_eq!(normalized(&json), normalized(example), "{id} {status}");
                    }
                }
                (Outcome::ErrorResponse { status: got, error }, Some(example)) => {
                    assert_eq!(got, status, "{id}");
                    let documented: ErrorResponse =
                        serde_json::from_value(example.clone()).unwrap();
                    assert_eq!(error, documented, "{id} {status}");
                }
                (other, _) => panic!("{id} {status}: {other:?}"),
            }
            mock.delete_async().await;
            exchanges += 1;
        }
    }
    // One exchange per documented (operation, status): the spec gives each
    // response at most one `example` and no named `examples`.
    let statuses: usize = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op.get("responses").and_then(Value::as_object))
        .map(|responses| responses.len())
        .sum();
    assert!(
        !spec.to_string().contains("\"examples\":"),
        "named examples: count them here too"
    );
    assert_eq!(exchanges, statuses);
}

#[tokio::test]
async fn a_null_free_form_object_parses() {
    let server = HttpsMock::start().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET);
            then.status(200).json_body(serde_json::json!({
                "key": "INST-7902", "project": "INST", "customFields": null
            }));
        })
        .await;
    let client = Client::from_config(server.config().bearer_token(TOKEN)).unwrap();
    let ticket = client
        .get_ticket()
        .org("yoigo")
        .ticket_id("INST-7902")
        .ticketing_provider(TicketingProvider::Jam)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ticket.custom_fields, None);
    assert_eq!(ticket.key.as_deref(), Some("INST-7902"));
}

#[tokio::test]
async fn attachments_upload_as_base64_and_download_as_bytes() {
    let server = HttpsMock::start().await;
    let bytes = b"%PDF-1.4 \x00\x01\x02";
    let upload = types::AttachmentUpload::from_bytes("informe.pdf", "application/pdf", bytes);
    let mock = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/v2/ticket/INST-7902/attachment")
                .json_body(serde_json::json!({
                    "data": "JVBERi0xLjQgAAEC", "mimeType": "application/pdf", "name": "informe.pdf"
                }));
            then.status(201)
                .json_body(serde_json::json!({ "filename": "informe.pdf" }));
        })
        .await;
    let client = Client::from_config(server.config().bearer_token(TOKEN)).unwrap();
    client
        .create_attachment()
        .ticket_id("INST-7902")
        .ticketing_provider(TicketingProvider::Jam)
        .body(upload)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;

    let downloaded: types::Attachment = serde_json::from_value(serde_json::json!({
        "attachmentId": "10001", "name": "informe.pdf", "base64": "JVBERi0xLjQg\nAAEC"
    }))
    .unwrap();
    assert_eq!(downloaded.decoded().unwrap(), bytes);
}
