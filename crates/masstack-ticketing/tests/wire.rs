//! The client against the published reference, one test per v2 operation.
//!
//! For each of the 27 operations of `spec/ticketing-v2.yaml` the mock server
//! only answers the request that the documented curl line in
//! `spec/reference/ticketing-v2.txt` describes: its method, path (with the
//! documented values: org `yoigo`, ticket `INST-7902`), exact query string,
//! `Authorization: Bearer`, a concrete `ticketing-provider` (the reference
//! only shows the placeholder `string`), `Content-Type: application/json`
//! with a JSON body equal to the documented request example (or no body and
//! no content type when the curl line sends none), and no `api-version`
//! header. Every mock must be hit exactly once, so a wrong request fails
//! with httpmock's diff.
//!
//! Every documented response example is then served: success examples must
//! come back as `Ok` with the documented status, and re-serialise to the
//! documented JSON (nothing lost in parsing); documented error examples must
//! come back as `Error::ErrorResponse` with the documented `code`, `status`,
//! `message` and `detailMsg`. The examples are copied literally from the
//! reference, so the test checks the client against the published docs, not
//! against the spec it was generated from. (`operations.rs` complements it:
//! driven by the curl lines and every response example in the spec.)

use std::collections::HashMap;
use std::fmt::Debug;
use std::future::Future;

use heck::ToSnakeCase;
use httpmock::{Mock, MockServer};
use masstack_testkit::HttpsMock;
use masstack_ticketing::types::{self, ErrorResponse, TicketingProvider};
use masstack_ticketing::{Client, Error, ErrorDetails, ResponseValue, RetryPolicy};
use serde::Serialize;
use serde_json::{Map, Value, json};

const TOKEN: &str = "t0ken";
const PROVIDER: TicketingProvider = TicketingProvider::Jam;
const PROVIDER_HEADER: &str = "JAM";
const ORG: &str = "yoigo";
/// The reference's curl lines show `:ticketId`; its examples use this key.
const TICKET: &str = "INST-7902";
/// The reference's curl lines show `:attachmentId`; its example uses this ID.
const ATTACHMENT: &str = "24819";
/// The reference gives no example issue link ID.
const ISSUE_LINK: &str = "10100";

/// The wire test of every v2 operation, by operationId. Naming each test
/// function here makes the compiler check that it exists;
/// `every_operation_has_a_wire_test` checks that the registry is exactly
/// the spec's operations.
macro_rules! wire_tests {
    ($($id:literal => $test:ident),* $(,)?) => {
        &[$(($id, stringify!($test), $test as fn())),*]
    };
}
const OPERATIONS: &[(&str, &str, fn())] = wire_tests![
    "createTicket" => create_ticket,
    "getTicket" => get_ticket,
    "updateTicket" => update_ticket,
    "searchTicketsByJql" => search_tickets_by_jql,
    "searchTickets" => search_tickets,
    "searchTicketsByTerritoryOwner" => search_tickets_by_territory_owner,
    "searchTicketsByIdParams" => search_tickets_by_id_params,
    "getTicketTransitions" => get_ticket_transitions,
    "transitionTicket" => transition_ticket,
    "assignTicket" => assign_ticket,
    "getCreateMetadata" => get_create_metadata,
    "getEditMetadata" => get_edit_metadata,
    "getTicketTypes" => get_ticket_types,
    "getFieldInfo" => get_field_info,
    "createComment" => create_comment,
    "createAttachment" => create_attachment,
    "getAttachment" => get_attachment,
    "deleteAttachment" => delete_attachment,
    "createIssueLink" => create_issue_link,
    "getIssueLink" => get_issue_link,
    "deleteIssueLink" => delete_issue_link,
    "getIssueLinkTypes" => get_issue_link_types,
    "getIssueLinkTypesForIssueLink" => get_issue_link_types_for_issue_link,
    "updateGrid" => update_grid,
    "getIaSummary" => get_ia_summary,
    "getIaDuration" => get_ia_duration,
    "createRemoteLink" => create_remote_link,
];

/// The reference's error examples, shared by every operation:
/// (HTTP status, code, status, message, detailMsg).
const ERRORS: [(u16, &str, &str, &str, Option<&str>); 4] = [
    (
        400,
        "0015",
        "BAD_REQUEST",
        "Bad Request",
        Some("detail message about the error"),
    ),
    (401, "0003", "UNAUTHORIZED", "Unauthorized", None),
    (
        404,
        "0004",
        "NOT_FOUND",
        "Not found",
        Some("Resource not found"),
    ),
    (500, "0002", "UNEXPECTED", "Unexpected Error", None),
];

/// The error statuses the reference documents for most operations.
const ALL_ERRORS: &[u16] = &[400, 401, 404, 500];

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// httpmock behind real TLS, and a client that trusts its test CA through
/// configuration: every wire test speaks HTTPS.
async fn setup() -> (HttpsMock, Client) {
    let server = HttpsMock::start().await;
    let client = Client::from_config(server.config().bearer_token(TOKEN)).unwrap();
    (server, client)
}

/// One documented request, as its curl line shows it.
struct Wire {
    method: &'static str,
    path: String,
    query: Vec<(&'static str, &'static str)>,
    body: Option<Value>,
    /// Whether the curl line sends `Accept: application/json`.
    accept: bool,
}

impl Wire {
    fn new(method: &'static str, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            accept: true,
        }
    }

    fn query(mut self, query: &[(&'static str, &'static str)]) -> Self {
        self.query = query.to_vec();
        self
    }

    fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The curl line has no `Accept` header (the client may still send one).
    fn no_accept(mut self) -> Self {
        self.accept = false;
        self
    }

    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// A mock that answers exactly this request with `status` and, if
    /// given, a JSON body.
    async fn mock<'a>(
        &self,
        server: &'a MockServer,
        status: u16,
        response: Option<Value>,
    ) -> Mock<'a> {
        let method = self.method;
        let path = self.path.clone();
        let query = self.query.clone();
        let body = self.body.clone();
        let accept = self.accept;
        server
            .mock_async(move |when, then| {
                let mut when = when
                    .method(method)
                    .path(path)
                    .header("authorization", format!("Bearer {TOKEN}"))
                    .header("ticketing-provider", PROVIDER_HEADER)
                    .header_missing("api-version")
                    // No query parameter besides the documented ones.
                    .query_param_count(".*", ".*", query.len());
                for (k, v) in query {
                    when = when.query_param(k, v);
                }
                if accept {
                    when = when.header("accept", "application/json");
                }
                match body {
                    Some(body) => {
                        when.header("content-type", "application/json")
                            .json_body(body);
                    }
                    // httpmock refuses a body expectation on a GET, so
                    // emptiness is checked by hand.
                    None => {
                        when.header_missing("content-type")
                            .is_true(|req| req.body_ref().is_empty());
                    }
                }
                let then = then.status(status);
                if let Some(response) = response {
                    then.header("content-type", "application/json")
                        .json_body(response);
                }
            })
            .await
    }
}

type Sent<T> = Result<ResponseValue<T>, Error<ErrorResponse>>;

/// Sends the request once against a mock answering `status` with
/// `example`, and returns the typed success value. The value must
/// re-serialise to the example: nothing the docs show is lost or renamed.
async fn success<T, F, Fut>(
    server: &MockServer,
    wire: &Wire,
    status: u16,
    example: Option<Value>,
    call: F,
) -> T
where
    T: Serialize + Debug,
    F: Fn() -> Fut,
    Fut: Future<Output = Sent<T>>,
{
    let mock = wire.mock(server, status, example.clone()).await;
    let result = call().await;
    mock.assert_async().await;
    mock.delete_async().await;
    let rv = match result {
        Ok(rv) => rv,
        Err(e) => panic!("{}: documented {status} gave an error: {e}", wire.name()),
    };
    assert_eq!(rv.status().as_u16(), status, "{}", wire.name());
    let value = rv.into_inner();
    if let Some(example) = example {
        assert_eq!(
            serde_json::to_value(&value).unwrap(),
            example,
            "{}: the typed {status} value does not re-serialise to the documented example",
            wire.name()
        );
    }
    value
}

/// Serves each documented error example in turn; each must come back as
/// `Error::ErrorResponse` with the documented fields and status.
async fn errors<T, F, Fut>(server: &MockServer, wire: &Wire, statuses: &[u16], call: F)
where
    T: Debug,
    F: Fn() -> Fut,
    Fut: Future<Output = Sent<T>>,
{
    for &status in statuses {
        let &(_, code, symbol, message, detail) = ERRORS
            .iter()
            .find(|e| e.0 == status)
            .expect("a documented error status");
        let example = json!({
            "code": code,
            "status": symbol,
            "message": message,
            "detailMsg": detail,
        });
        let mock = wire.mock(server, status, Some(example)).await;
        let result = call().await;
        mock.assert_async().await;
        mock.delete_async().await;
        match result {
            Err(Error::ErrorResponse(rv)) => {
                assert_eq!(rv.status().as_u16(), status, "{}", wire.name());
                let error = rv.into_inner();
                assert_eq!(error.code, code, "{} {status}", wire.name());
                assert_eq!(error.status, symbol, "{} {status}", wire.name());
                assert_eq!(error.message, message, "{} {status}", wire.name());
                assert_eq!(
                    error.detail_msg.as_deref(),
                    detail,
                    "{} {status}",
                    wire.name()
                );
            }
            other => panic!(
                "{}: documented {status} should be Error::ErrorResponse, got {other:?}",
                wire.name()
            ),
        }
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn s(value: &str) -> Option<String> {
    Some(value.to_string())
}

// ---------------------------------------------------------------------------
// Documented examples, copied from spec/reference/ticketing-v2.txt
// ---------------------------------------------------------------------------

fn custom_fields_example() -> Value {
    json!({
        "segment": "Residencial",
        "brand": "Yoigo",
        "category": "Cita",
        "subcategory": "Cliente solicita contacto en fecha concreta",
        "work_order_id": "Y28257924"
    })
}

/// A search operator, built as consumers build it (the type is #[non_exhaustive]).
fn operator(builder: types::builder::SearchOperator) -> types::SearchFilterValue {
    types::SearchOperator::try_from(builder).unwrap().into()
}

/// The ticket of the create and update requests and of the read responses.
fn ticket_example() -> Value {
    json!({
        "key": "INST-7902",
        "project": "INST",
        "ticketType": "Incidencia",
        "description": "Cita - Cliente solicita contacto en fecha concreta - Y28257924",
        "summary": "Cita - Y28257924",
        "customFields": custom_fields_example()
    })
}

/// The page returned by the JQL, territory-owner and ID-parameter searches.
fn search_result_example() -> Value {
    json!({
        "startAt": 0,
        "maxResults": 50,
        "total": 3,
        "tickets": [ticket_example()]
    })
}

fn assert_example_ticket(ticket: &types::Ticket) {
    assert_eq!(ticket.key.as_deref(), Some("INST-7902"));
    assert_eq!(ticket.ticket_type.as_deref(), Some("Incidencia"));
    assert_eq!(ticket.summary.as_deref(), Some("Cita - Y28257924"));
    let custom = ticket.custom_fields.as_ref().expect("customFields");
    assert_eq!(custom["work_order_id"], "Y28257924");
}

fn assert_example_page(page: &types::TicketSearchResult) {
    assert_eq!(page.start_at, Some(0));
    assert_eq!(page.max_results, Some(50));
    assert_eq!(page.total, Some(3));
    assert_eq!(page.tickets.len(), 1);
    assert_example_ticket(&page.tickets[0]);
}

const COMMENT_BODY: &str = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.";

fn comment_example() -> Value {
    json!({
        "ticketId": "INST-3241",
        "author": "javier.fernandezh@masmovil.com",
        "body": COMMENT_BODY
    })
}

fn issue_link_example() -> Value {
    json!({
        "id": "string",
        "type": { "name": "string" },
        "inwardIssue": { "key": "string" },
        "outwardIssue": { "key": "string" }
    })
}

// ---------------------------------------------------------------------------
// Ticket
// ---------------------------------------------------------------------------

#[tokio::test]
async fn create_ticket() {
    let (server, client) = setup().await;
    let wire = Wire::new("POST", "/v2/orgs/yoigo/ticket").body(ticket_example());
    // The documented request, built with the typed builder.
    let body = types::Ticket::builder()
        .key(s("INST-7902"))
        .project(s("INST"))
        .ticket_type(s("Incidencia"))
        .description(s(
            "Cita - Cliente solicita contacto en fecha concreta - Y28257924",
        ))
        .summary(s("Cita - Y28257924"))
        .custom_fields(object(custom_fields_example()));
    let call = || {
        client
            .create_ticket()
            .org(ORG)
            .ticketing_provider(PROVIDER)
            .body(body.clone())
            .send()
    };

    let created = success(
        &server,
        &wire,
        201,
        Some(json!({ "id": 3645, "key": "INST-1341" })),
        call,
    )
    .await;
    assert_eq!(created.id, Some(3645));
    assert_eq!(created.key.as_deref(), Some("INST-1341"));

    // The reference documents no 404 for this operation.
    errors(&server, &wire, &[400, 401, 500], call).await;
}

#[tokio::test]
async fn get_ticket() {
    let (server, client) = setup().await;
    // The curl line has no query string.
    let wire = Wire::new("GET", "/v2/orgs/yoigo/ticket/INST-7902");
    let call = || {
        client
            .get_ticket()
            .org(ORG)
            .ticket_id(TICKET)
            .ticketing_provider(PROVIDER)
            .send()
    };

    let ticket = success(&server, &wire, 200, Some(ticket_example()), call).await;
    assert_example_ticket(&ticket);
    assert!(ticket.components.is_empty());

    errors(&server, &wire, ALL_ERRORS, call).await;

    // The reference lost the name of the optional response filter; the spec
    // calls it `fields` (x-inferred). It is sent only when set.
    let wire =
        Wire::new("GET", "/v2/orgs/yoigo/ticket/INST-7902").query(&[("fields", "attachment")]);
    let ticket = success(&server, &wire, 200, Some(ticket_example()), || {
        client
            .get_ticket()
            .org(ORG)
            .ticket_id(TICKET)
            .fields("attachment")
            .ticketing_provider(PROVIDER)
            .send()
    })
    .await;
    assert_example_ticket(&ticket);
}

#[tokio::test]
async fn update_ticket() {
    let (server, client) = setup().await;
    let wire = Wire::new("PATCH", "/v2/orgs/yoigo/ticket/INST-7902").body(ticket_example());
    // The documented request, parsed into the body type.
    let body: types::Ticket = serde_json::from_value(ticket_example()).unwrap();
    let call = || {
        client
            .update_ticket()
            .org(ORG)
            .ticket_id(TICKET)
            .ticketing_provider(PROVIDER)
            .body(body.clone())
            .send()
    };

    success(&server, &wire, 204, None, call).await;

    // The reference documents no 404 for this operation.
    errors(&server, &wire, &[400, 401, 500], call).await;
}

#[tokio::test]
async fn search_tickets_by_jql() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/orgs/yoigo/search/ticket").query(&[("jql", "string")]);
    let call = || {
        client
            .search_tickets_by_jql()
            .org(ORG)
            .jql("string")
            .ticketing_provider(PROVIDER)
            .send()
    };

    let page = success(&server, &wire, 200, Some(search_result_example()), call).await;
    assert_example_page(&page);

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn search_tickets() {
    let (server, client) = setup().await;
    let documented = json!({
        "filters": {
            "project": "MAS",
            "issuetype": { "$in": ["Avería (FTTH)", "Avería (xDSL)"] },
            "status": { "$notIn": ["Resolved", "Descartado", "CLOSE"] },
            "massiveFaults": { "$isNotEmpty": "" }
        },
        "orderby": { "fields": ["status desc"] },
        "startAt": 0,
        "maxResults": 100
    });
    let wire = Wire::new("POST", "/v2/orgs/yoigo/search/ticket").body(documented);

    // The documented filters, built from the typed model.
    let text = |v: &str| types::SearchScalar::String(v.to_string());
    let filters = HashMap::from([
        (
            "project".to_string(),
            types::SearchFilterValue::String("MAS".to_string()),
        ),
        (
            "issuetype".to_string(),
            operator(
                types::SearchOperator::builder()
                    .in_(vec![text("Avería (FTTH)"), text("Avería (xDSL)")]),
            ),
        ),
        (
            "status".to_string(),
            operator(types::SearchOperator::builder().not_in(vec![
                text("Resolved"),
                text("Descartado"),
                text("CLOSE"),
            ])),
        ),
        (
            "massiveFaults".to_string(),
            operator(types::SearchOperator::builder().is_not_empty(s(""))),
        ),
    ]);
    // Generated types are #[non_exhaustive]: built as consumers build them.
    let body: types::TicketSearchRequest = types::TicketSearchRequest::builder()
        .filters(Some(types::SearchFilters::from(filters)))
        .orderby(Some(
            types::SearchOrderBy::builder()
                .fields(vec!["status desc".to_string()])
                .try_into()
                .unwrap(),
        ))
        .start_at(Some(0))
        .max_results(Some(100))
        .try_into()
        .unwrap();
    let call = || {
        client
            .search_tickets()
            .org(ORG)
            .ticketing_provider(PROVIDER)
            .body(body.clone())
            .send()
    };

    // Documented as a plain array of tickets.
    let tickets = success(&server, &wire, 200, Some(json!([ticket_example()])), call).await;
    assert_eq!(tickets.len(), 1);
    assert_example_ticket(&tickets[0]);

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn search_tickets_by_territory_owner() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/orgs/yoigo/searchByTerritoryOwner");
    let call = || {
        client
            .search_tickets_by_territory_owner()
            .org(ORG)
            .ticketing_provider(PROVIDER)
            .send()
    };

    let page = success(&server, &wire, 200, Some(search_result_example()), call).await;
    assert_example_page(&page);

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn search_tickets_by_id_params() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/orgs/yoigo/searchByIDParams").query(&[
        ("customer_id", "12345"),
        ("work_order_id", "WO123456"),
        ("line", "678900000"),
        ("document_id", "12345678X"),
    ]);
    let call = || {
        client
            .search_tickets_by_id_params()
            .org(ORG)
            .customer_id("12345")
            .work_order_id("WO123456")
            .line("678900000")
            .document_id("12345678X")
            .ticketing_provider(PROVIDER)
            .send()
    };

    let page = success(&server, &wire, 200, Some(search_result_example()), call).await;
    assert_example_page(&page);

    errors(&server, &wire, ALL_ERRORS, call).await;

    // Each identifier is optional on its own: unset ones are left out.
    let wire =
        Wire::new("GET", "/v2/orgs/yoigo/searchByIDParams").query(&[("work_order_id", "WO123456")]);
    success(&server, &wire, 200, Some(search_result_example()), || {
        client
            .search_tickets_by_id_params()
            .org(ORG)
            .work_order_id("WO123456")
            .ticketing_provider(PROVIDER)
            .send()
    })
    .await;
}

#[tokio::test]
async fn get_ticket_transitions() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/orgs/yoigo/ticket/INST-7902/transitions");
    let call = || {
        client
            .get_ticket_transitions()
            .org(ORG)
            .ticket_id(TICKET)
            .ticketing_provider(PROVIDER)
            .send()
    };

    // Documented as an array holding one array of transitions.
    let example = json!([[
        { "id": 41, "name": "Reasignar", "status": "Asignado" },
        { "id": 21, "name": "Resolver", "status": "RESUELTO" }
    ]]);
    let lists = success(&server, &wire, 200, Some(example), call).await;
    assert_eq!(lists.len(), 1);
    let transitions = &lists[0];
    assert_eq!(transitions.len(), 2);
    assert_eq!(transitions[0].id, Some(41));
    assert_eq!(transitions[0].name.as_deref(), Some("Reasignar"));
    assert_eq!(transitions[1].id, Some(21));
    assert_eq!(transitions[1].status.as_deref(), Some("RESUELTO"));

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn transition_ticket() {
    let (server, client) = setup().await;
    let custom_fields = json!({
        "external_system_name": "Orange",
        "external_system_info": "Prueba de escalado externo via API de robot",
        "external_system_category": "Instalación"
    });
    let wire = Wire::new("POST", "/v2/orgs/yoigo/ticket/INST-7902/transitions")
        .body(json!({ "transitionId": 111, "customFields": custom_fields }))
        .no_accept();
    let body = types::TransitionRequest::builder()
        .transition_id(111_i64)
        .custom_fields(object(custom_fields));
    let call = || {
        client
            .transition_ticket()
            .org(ORG)
            .ticket_id(TICKET)
            .ticketing_provider(PROVIDER)
            .body(body.clone())
            .send()
    };

    success(&server, &wire, 204, None, call).await;

    // The reference shows only the 204; the spec assumes the shared errors
    // (x-inferred), so they are checked from the shared examples.
    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn assign_ticket() {
    let (server, client) = setup().await;
    let wire = Wire::new("PUT", "/v2/ticket/INST-7902/assignee")
        .body(json!({ "assignee": "admin.micro" }))
        .no_accept();
    let body = types::AssigneeRequest::builder().assignee(s("admin.micro"));
    let call = || {
        client
            .assign_ticket()
            .ticket_id(TICKET)
            .ticketing_provider(PROVIDER)
            .body(body.clone())
            .send()
    };

    success(&server, &wire, 204, None, call).await;

    // Only the 204 is published; the spec's errors are x-inferred.
    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn get_create_metadata() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/ticket/metadata/create/properties")
        .query(&[("projectKey", "string"), ("ticketType", "string")]);
    let call = || {
        client
            .get_create_metadata()
            .project_key("string")
            .ticket_type("string")
            .ticketing_provider(PROVIDER)
            .send()
    };

    let example = json!({
        "subscriptionNumber": { "required": true, "name": "Suscripción" },
        "icc": { "required": false, "name": "ICC" },
        "contactEmail": { "required": false, "name": "Email del Cliente" }
    });
    let fields = success(&server, &wire, 200, Some(example), call).await;
    assert_eq!(fields.len(), 3);
    let subscription = &fields["subscriptionNumber"];
    assert_eq!(subscription.required, Some(true));
    assert_eq!(subscription.name.as_deref(), Some("Suscripción"));
    assert_eq!(fields["contactEmail"].required, Some(false));

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn get_edit_metadata() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/ticket/INST-7902/metadata/update/properties");
    let call = || {
        client
            .get_edit_metadata()
            .ticket_id(TICKET)
            .ticketing_provider(PROVIDER)
            .send()
    };

    let example = json!({
        "description": { "name": "Descripción" },
        "customerPostalCode": { "name": "Código Postal" },
        "customerSegment": {
            "name": "Segmento Cliente",
            "allowedValues": [
                { "value": "EMPRESA" },
                { "value": "RESIDENCIAL" },
                { "value": "HORECA" },
                { "value": "AUTONOMO" }
            ]
        }
    });
    let fields = success(&server, &wire, 200, Some(example), call).await;
    assert_eq!(fields.len(), 3);
    assert_eq!(fields["description"].name.as_deref(), Some("Descripción"));
    let segment = &fields["customerSegment"];
    let values: Vec<_> = segment
        .allowed_values
        .iter()
        .map(|v| v.value.as_deref().unwrap())
        .collect();
    assert_eq!(values, ["EMPRESA", "RESIDENCIAL", "HORECA", "AUTONOMO"]);

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn get_ticket_types() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/ticket/metadata/types");
    let call = || {
        client
            .get_ticket_types()
            .ticketing_provider(PROVIDER)
            .send()
    };

    // Documented as an array holding one array of projects.
    let example = json!([[
        {
            "projectKey": "EKT",
            "name": "Euskaltel",
            "issuetypes": [
                { "name": "Aviso de llamada perdida", "description": "Incidencia-Servicios" },
                { "name": "Contestador", "description": "Incidencia-Servicios" },
                { "name": "No salta el aviso de saldo", "description": "Incidencia-Servicios" }
            ]
        },
        {
            "projectKey": "MM",
            "name": "MásMóvil Customer Care",
            "issuetypes": [
                { "name": "Problemas TV", "description": "Incidencia" },
                { "name": "Desacuerdo con la cuota de TV", "description": "Incidencia" },
                { "name": "Bloqueo por IMEI-Tarea", "description": "Tarea-Móvil" }
            ]
        }
    ]]);
    let lists = success(&server, &wire, 200, Some(example), call).await;
    assert_eq!(lists.len(), 1);
    let projects = &lists[0];
    assert_eq!(projects.len(), 2);
    assert_eq!(projects[0].project_key.as_deref(), Some("EKT"));
    assert_eq!(projects[0].issuetypes.len(), 3);
    assert_eq!(projects[1].name.as_deref(), Some("MásMóvil Customer Care"));
    assert_eq!(
        projects[1].issuetypes[2].description.as_deref(),
        Some("Tarea-Móvil")
    );

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn get_field_info() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/ticket/field/info").query(&[
        ("api_name", "track"),
        ("customfield_id", "customfield_12800"),
        ("jira_label", "Huella"),
    ]);
    let call = || {
        client
            .get_field_info()
            .api_name("track")
            .customfield_id("customfield_12800")
            .jira_label("Huella")
            .ticketing_provider(PROVIDER)
            .send()
    };

    let example = json!({ "jira_label": "Huella", "api_name": "track" });
    let info = success(&server, &wire, 200, Some(example), call).await;
    assert_eq!(info.jira_label.as_deref(), Some("Huella"));
    assert_eq!(info.api_name.as_deref(), Some("track"));

    errors(&server, &wire, ALL_ERRORS, call).await;
}

// ---------------------------------------------------------------------------
// Comment, Attachment
// ---------------------------------------------------------------------------

#[tokio::test]
async fn create_comment() {
    let (server, client) = setup().await;
    let wire = Wire::new("POST", "/v2/ticket/INST-7902/comment").body(comment_example());
    let body = types::Comment::builder()
        .ticket_id(s("INST-3241"))
        .author(s("javier.fernandezh@masmovil.com"))
        .body(COMMENT_BODY);
    let call = || {
        client
            .create_comment()
            .ticket_id(TICKET)
            .ticketing_provider(PROVIDER)
            .body(body.clone())
            .send()
    };

    let comment = success(&server, &wire, 201, Some(comment_example()), call).await;
    assert_eq!(comment.ticket_id.as_deref(), Some("INST-3241"));
    assert_eq!(
        comment.author.as_deref(),
        Some("javier.fernandezh@masmovil.com")
    );
    assert_eq!(comment.body, COMMENT_BODY);

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn create_attachment() {
    let (server, client) = setup().await;
    let data = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEAAkGBxITEhUSEhMVFhUXGBcVFxUVFRUVF...";
    let wire = Wire::new("POST", "/v2/ticket/INST-7902/attachment").body(json!({
        "name": "MYSIM_3847484.pdf",
        "data": data,
        "mimeType": "image/jpeg"
    }));
    let body = types::AttachmentUpload::builder()
        .name("MYSIM_3847484.pdf")
        .data(data)
        .mime_type(s("image/jpeg"));
    let call = || {
        client
            .create_attachment()
            .ticket_id(TICKET)
            .ticketing_provider(PROVIDER)
            .body(body.clone())
            .send()
    };

    let example = json!({
        "self": "https://mas-ticketing-sta.dev-01.k8s.masmovil.com/mas-ticketing-api/ticket/73232/attachment/24819",
        "content": "https://mas-ticketing-sta.dev-01.k8s.masmovil.com/mas-ticketing-api/ticket/73232/attachment/24819/MYSIM_398171_53e82c60-075c-42ab-af94-868ef8b80071.pdf",
        "filename": "MYSIM_398171_53e82c60-075c-42ab-af94-868ef8b80071.pdf",
        "created": "2022-01-13T09:20:22.556+0000",
        "mimeType": "multipart/form-data; charset=UTF-8",
        "size": 5576
    });
    let created = success(&server, &wire, 201, Some(example), call).await;
    assert_eq!(
        created.filename.as_deref(),
        Some("MYSIM_398171_53e82c60-075c-42ab-af94-868ef8b80071.pdf")
    );
    assert_eq!(
        created.created.as_deref(),
        Some("2022-01-13T09:20:22.556+0000")
    );
    assert_eq!(created.size, Some(5576));
    assert!(created.self_.unwrap().ends_with("/attachment/24819"));

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn get_attachment() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/ticket/INST-7902/attachment/24819");
    let call = || {
        client
            .get_attachment()
            .ticket_id(TICKET)
            .attachment_id(ATTACHMENT)
            .ticketing_provider(PROVIDER)
            .send()
    };

    let example = json!({
        "ticketId": "73232",
        "name": "MYSIM_398171_53e82c60-075c-42ab-af94-868ef8b80071.pdf",
        "attachmentId": "24819",
        "base64": "/9j/4AAQSkZJRgABAQAAAQABAAD/..."
    });
    let attachment = success(&server, &wire, 200, Some(example), call).await;
    assert_eq!(attachment.ticket_id.as_deref(), Some("73232"));
    assert_eq!(attachment.attachment_id.as_deref(), Some("24819"));
    assert_eq!(
        attachment.base64.as_deref(),
        Some("/9j/4AAQSkZJRgABAQAAAQABAAD/...")
    );

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn delete_attachment() {
    let (server, client) = setup().await;
    let wire = Wire::new("DELETE", "/v2/attachment/24819");
    let call = || {
        client
            .delete_attachment()
            .attachment_id(ATTACHMENT)
            .ticketing_provider(PROVIDER)
            .send()
    };

    success(&server, &wire, 204, None, call).await;

    errors(&server, &wire, ALL_ERRORS, call).await;
}

// ---------------------------------------------------------------------------
// IssueLink, IssueLinkTypes
// ---------------------------------------------------------------------------

#[tokio::test]
async fn create_issue_link() {
    let (server, client) = setup().await;
    let wire = Wire::new("POST", "/v2/issueLink").body(issue_link_example());
    let key = |k: &str| -> Option<types::IssueRef> {
        Some(types::IssueRef::builder().key(s(k)).try_into().unwrap())
    };
    let body: types::IssueLink = types::IssueLink::builder()
        .id(s("string"))
        .type_(Some(
            types::IssueLinkTypeRef::builder()
                .name(s("string"))
                .try_into()
                .unwrap(),
        ))
        .inward_issue(key("string"))
        .outward_issue(key("string"))
        .try_into()
        .unwrap();
    let call = || {
        client
            .create_issue_link()
            .ticketing_provider(PROVIDER)
            .body(body.clone())
            .send()
    };

    let example = json!({ "message": "issue link created successfully." });
    let created = success(&server, &wire, 201, Some(example), call).await;
    assert_eq!(
        created.message.as_deref(),
        Some("issue link created successfully.")
    );

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn get_issue_link() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/issueLink/10100");
    let call = || {
        client
            .get_issue_link()
            .issue_link_id(ISSUE_LINK)
            .ticketing_provider(PROVIDER)
            .send()
    };

    let link = success(&server, &wire, 200, Some(issue_link_example()), call).await;
    assert_eq!(link.id.as_deref(), Some("string"));
    assert_eq!(link.type_.unwrap().name.as_deref(), Some("string"));
    assert_eq!(link.inward_issue.unwrap().key.as_deref(), Some("string"));
    assert_eq!(link.outward_issue.unwrap().key.as_deref(), Some("string"));

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn delete_issue_link() {
    let (server, client) = setup().await;
    let wire = Wire::new("DELETE", "/v2/issueLink/10100");
    let call = || {
        client
            .delete_issue_link()
            .issue_link_id(ISSUE_LINK)
            .ticketing_provider(PROVIDER)
            .send()
    };

    success(&server, &wire, 204, None, call).await;

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn get_issue_link_types() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/issueLinkType");
    let call = || {
        client
            .get_issue_link_types()
            .ticketing_provider(PROVIDER)
            .send()
    };

    // The only published example is `[null]`.
    let link_types = success(&server, &wire, 200, Some(json!([null])), call).await;
    assert_eq!(link_types.len(), 1);
    assert!(link_types[0].is_none());

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn get_issue_link_types_for_issue_link() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/issueLinkType/10100");
    let call = || {
        client
            .get_issue_link_types_for_issue_link()
            .issue_link_id(ISSUE_LINK)
            .ticketing_provider(PROVIDER)
            .send()
    };

    let link_types = success(&server, &wire, 200, Some(json!([null])), call).await;
    assert_eq!(link_types.len(), 1);
    assert!(link_types[0].is_none());

    errors(&server, &wire, ALL_ERRORS, call).await;
}

// ---------------------------------------------------------------------------
// Grid, IaSummary, IaDuration, Remotelink
// ---------------------------------------------------------------------------

#[tokio::test]
async fn update_grid() {
    let (server, client) = setup().await;
    let wire = Wire::new("PUT", "/v2/ticket/INST-7902/grid")
        .query(&[("customFieldName", "workorder_index")])
        .body(json!([{
            "rowId": "row_94ba7042-c49b-4f53-971b-44549b9c08a0",
            "columns": { "key": "test" }
        }]))
        .no_accept();
    let row: types::GridRowUpdate = types::GridRowUpdate::builder()
        .row_id(s("row_94ba7042-c49b-4f53-971b-44549b9c08a0"))
        .columns(Some(object(json!({ "key": "test" }))))
        .try_into()
        .unwrap();
    let body = types::GridUpdate::from(vec![row]);
    let call = || {
        client
            .update_grid()
            .ticket_id(TICKET)
            .custom_field_name("workorder_index")
            .ticketing_provider(PROVIDER)
            .body(body.clone())
            .send()
    };

    success(&server, &wire, 204, None, call).await;

    // Only the 204 is published; the spec's errors are x-inferred.
    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn get_ia_summary() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/ticket/INST-7902/ia/summary");
    let call = || {
        client
            .get_ia_summary()
            .ticket_id(TICKET)
            .ticketing_provider(PROVIDER)
            .send()
    };

    let example = json!({
        "operative_summary": "El cliente reporta fallo total de servicio FTTH desde el 12/02. Se ha realizado diagnóstico remoto sin resultado. Técnico desplazado el 14/02, detectó avería en la ONU. Pendiente reposición de equipo.",
        "message_for_client": "Estamos trabajando en la resolución de su incidencia. Un técnico ha visitado su domicilio y hemos identificado el problema. Procederemos a la sustitución del equipo en los próximos días."
    });
    let summary = success(&server, &wire, 200, Some(example), call).await;
    assert!(
        summary
            .operative_summary
            .unwrap()
            .starts_with("El cliente reporta fallo total")
    );
    assert!(
        summary
            .message_for_client
            .unwrap()
            .ends_with("en los próximos días.")
    );

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn get_ia_duration() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/ticket/INST-7902/ia/duration");
    let call = || {
        client
            .get_ia_duration()
            .ticket_id(TICKET)
            .ticketing_provider(PROVIDER)
            .send()
    };

    let example = json!({
        "estimated_resolution_date": "15/04/2026 14:30",
        "estimated_minutes": 301766.34
    });
    let duration = success(&server, &wire, 200, Some(example), call).await;
    assert_eq!(
        duration.estimated_resolution_date.as_deref(),
        Some("15/04/2026 14:30")
    );
    assert_eq!(duration.estimated_minutes, Some(301766.34));

    errors(&server, &wire, ALL_ERRORS, call).await;
}

#[tokio::test]
async fn create_remote_link() {
    let (server, client) = setup().await;
    // The curl line sends no body and no Content-Type.
    let wire = Wire::new("POST", "/v2/remotelink");
    let call = || {
        client
            .create_remote_link()
            .ticketing_provider(PROVIDER)
            .send()
    };

    let example = json!({ "message": "remote issue link created successfully." });
    let created = success(&server, &wire, 201, Some(example), call).await;
    assert_eq!(
        created.message.as_deref(),
        Some("remote issue link created successfully.")
    );

    // Only the 201 is published; the spec's errors are x-inferred.
    errors(&server, &wire, ALL_ERRORS, call).await;
}

// ---------------------------------------------------------------------------
// Hostile responses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn null_custom_fields_parse_as_none() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/v2/orgs/yoigo/ticket/INST-7902");
    let mut example = ticket_example();
    example["customFields"] = Value::Null;
    let mock = wire.mock(&server, 200, Some(example)).await;
    let result = client
        .get_ticket()
        .org(ORG)
        .ticket_id(TICKET)
        .ticketing_provider(PROVIDER)
        .send()
        .await;
    mock.assert_async().await;
    let ticket = result.expect("customFields: null is allowed").into_inner();
    assert_eq!(ticket.key.as_deref(), Some("INST-7902"));
    assert_eq!(ticket.custom_fields, None);
}

/// Serves `status` with a non-JSON body of `content_type` to `getTicket`
/// (once: no retries) and returns the error's report, after checking the
/// error keeps the status and the body as received.
async fn non_json_error(status: u16, content_type: &str, body: &str) -> String {
    let (server, client) = setup().await;
    let client = client.with_retry(RetryPolicy::none());
    let (content_type, served) = (content_type.to_string(), body.to_string());
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/orgs/yoigo/ticket/INST-7902")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("ticketing-provider", PROVIDER_HEADER);
            then.status(status)
                .header("content-type", content_type)
                .body(served);
        })
        .await;
    let result = client
        .get_ticket()
        .org(ORG)
        .ticket_id(TICKET)
        .ticketing_provider(PROVIDER)
        .send()
        .await;
    mock.assert_async().await;
    match result {
        Ok(rv) => panic!("a {status} gave Ok: {rv:?}"),
        Err(e) => {
            assert_eq!(e.response_status().map(|s| s.as_u16()), Some(status));
            assert_eq!(e.response_body().map(|b| &b[..]), Some(body.as_bytes()));
            e.report().to_string()
        }
    }
}

#[tokio::test]
async fn html_502_is_an_error_with_status_and_body() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>upstream unavailable</p></body></html>";
    let message = non_json_error(502, "text/html", html).await;
    assert!(message.contains("502"), "{message}");
    assert!(message.contains(html), "{message}");
}

#[tokio::test]
async fn plain_text_500_is_an_error_with_status_and_body() {
    let text = "Internal failure: upstream Jira timed out";
    let message = non_json_error(500, "text/plain", text).await;
    assert!(message.contains("500"), "{message}");
    assert!(message.contains(text), "{message}");
}

// ---------------------------------------------------------------------------
// Coverage
// ---------------------------------------------------------------------------

/// The spec has exactly the operations of the `OPERATIONS` registry, and
/// each is registered with its own test function (named after it).
#[test]
fn every_operation_has_a_wire_test() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/ticketing-v2.yaml");
    let spec: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut in_spec: Vec<&str> = spec["paths"]
        .as_mapping()
        .unwrap()
        .values()
        .flat_map(|item| item.as_mapping().unwrap().values())
        .filter_map(|op| op.get("operationId")?.as_str())
        .collect();
    in_spec.sort_unstable();
    let mut registered: Vec<&str> = OPERATIONS.iter().map(|(id, _, _)| *id).collect();
    registered.sort_unstable();
    assert_eq!(
        registered, in_spec,
        "OPERATIONS vs the operationIds of {path}"
    );
    for (id, test, _) in OPERATIONS {
        assert_eq!(
            *test,
            id.to_snake_case(),
            "{id} is registered with `{test}`"
        );
    }
}

/// An open enum round-trips through text: a listed value parses to its
/// variant, any other to `Unknown`, and `Unknown`'s text parses back to it
/// (`FromStr` and both `TryFrom`s, which the builders' setters use).
#[test]
fn open_enums_round_trip_through_text() {
    assert_eq!(
        "JAM".parse::<TicketingProvider>().ok(),
        Some(TicketingProvider::Jam)
    );
    let unknown = TicketingProvider::Unknown("JFUTURE".to_owned());
    assert_eq!(
        unknown.to_string().parse::<TicketingProvider>().ok(),
        Some(unknown.clone())
    );
    assert_eq!(
        TicketingProvider::try_from("JFUTURE").ok(),
        Some(unknown.clone())
    );
    assert_eq!(
        TicketingProvider::try_from("JFUTURE".to_owned()).ok(),
        Some(unknown)
    );
    assert_eq!(
        serde_json::from_value::<TicketingProvider>(json!("JFUTURE")).unwrap(),
        "JFUTURE".parse::<TicketingProvider>().unwrap()
    );
}
