//! Bad requests get the documented errors, with a `detailMsg` that names
//! what is wrong and where.

mod support;

use masstack_sandbox::Sandbox;
use reqwest::Method as M;
use serde_json::{Value, json};

struct Answer {
    status: u16,
    body: Value,
}

async fn send(
    sandbox: &Sandbox,
    method: reqwest::Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Answer {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut request = http.request(method, format!("{}{path}", sandbox.base_url()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    Answer { status, body }
}

const AUTH: (&str, &str) = ("authorization", "Bearer sandbox");
const JAM: (&str, &str) = ("ticketing-provider", "JAM");

fn detail(a: &Answer) -> &str {
    a.body["detailMsg"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_missing_or_bad_token_is_401_saying_why() {
    let s = Sandbox::start().await.unwrap();
    let a = send(&s, M::GET, "/v2/orgs/yoigo/ticket/INST-7902", &[], None).await;
    assert_eq!((a.status, a.body["code"].as_str()), (401, Some("0003")));
    assert!(detail(&a).starts_with("no Authorization header"));
    let a = send(
        &s,
        M::GET,
        "/v2/orgs/yoigo/ticket/INST-7902",
        &[("authorization", "Basic abc"), JAM],
        None,
    )
    .await;
    assert_eq!(a.status, 401);
    let a = send(
        &s,
        M::GET,
        "/v2/orgs/yoigo/ticket/INST-7902",
        &[("authorization", "Bearer a b"), JAM],
        None,
    )
    .await;
    assert_eq!(a.status, 401);
    assert!(detail(&a).starts_with("the bearer token is malformed"));
}

#[tokio::test]
async fn a_missing_or_bad_provider_header_is_400_naming_it() {
    let s = Sandbox::start().await.unwrap();
    let a = send(&s, M::GET, "/v2/orgs/yoigo/ticket/INST-7902", &[AUTH], None).await;
    assert_eq!(
        (a.status, detail(&a)),
        (400, "header `ticketing-provider` is required")
    );
    let a = send(
        &s,
        M::GET,
        "/v2/orgs/yoigo/ticket/INST-7902",
        &[AUTH, ("ticketing-provider", "jam")],
        None,
    )
    .await;
    assert_eq!(a.status, 400);
    assert!(
        detail(&a).starts_with("header `ticketing-provider`: \"jam\" is not one of"),
        "{}",
        detail(&a)
    );
}

#[tokio::test]
async fn a_missing_or_bad_jql_is_400_naming_the_parameter() {
    let s = Sandbox::start().await.unwrap();
    let a = send(
        &s,
        M::GET,
        "/v2/orgs/yoigo/search/ticket",
        &[AUTH, JAM],
        None,
    )
    .await;
    assert_eq!(detail(&a), "query parameter `jql` is required");
    let a = send(
        &s,
        M::GET,
        "/v2/orgs/yoigo/search/ticket?jql=project%20INST",
        &[AUTH, JAM],
        None,
    )
    .await;
    assert!(
        detail(&a).starts_with("query parameter `jql`: expected an operator"),
        "{}",
        detail(&a)
    );
}

#[tokio::test]
async fn a_bad_request_body_names_the_field_and_the_rule() {
    let s = Sandbox::start().await.unwrap();
    let create = "/troubleTicket";
    let mut body =
        serde_json::to_value(masstack_ticketing_ossj::examples::trouble_ticket_create()).unwrap();
    body["preferredPriority"] = json!(7);
    let a = send(&s, M::POST, create, &[AUTH], Some(&body.to_string())).await;
    assert_eq!(a.status, 400);
    assert_eq!(
        detail(&a),
        "request body: field `preferredPriority`: 7 is greater than the maximum of 3"
    );
    body.as_object_mut().unwrap().remove("mirrorKey");
    body["preferredPriority"] = json!(1);
    let a = send(&s, M::POST, create, &[AUTH], Some(&body.to_string())).await;
    assert_eq!(
        detail(&a),
        "request body: \"mirrorKey\" is a required property"
    );
    let a = send(&s, M::POST, create, &[AUTH], Some("{\"mirrorKey\": ")).await;
    assert!(
        detail(&a).starts_with("the request body is not valid JSON: EOF while parsing"),
        "{}",
        detail(&a)
    );
    let a = send(&s, M::POST, create, &[AUTH], None).await;
    assert!(detail(&a).starts_with("the request body is required"));
}

#[tokio::test]
async fn a_bad_v2_field_or_parameter_says_what_to_do() {
    let s = Sandbox::start().await.unwrap();
    let a = send(
        &s,
        M::POST,
        "/v2/orgs/yoigo/ticket",
        &[AUTH, JAM],
        Some(r#"{"project":"NOPE","ticketType":"x"}"#),
    )
    .await;
    assert!(
        detail(&a).starts_with(
            "field `project`: unknown project `NOPE`; known projects: EKT, MM, INST, MAS"
        ),
        "{}",
        detail(&a)
    );
    let a = send(
        &s,
        M::POST,
        "/v2/orgs/yoigo/ticket",
        &[AUTH, JAM],
        Some(r#"{"project":"INST","ticketType":"Avería"}"#),
    )
    .await;
    assert_eq!(
        detail(&a),
        "field `ticketType`: project INST has no type `Avería`; it offers: Incidencia, Petición"
    );
    let a = send(
        &s,
        M::POST,
        "/v2/ticket/INST-7902/attachment",
        &[AUTH, JAM],
        Some(r#"{"name":"a","data":"%%%"}"#),
    )
    .await;
    assert!(
        detail(&a).starts_with("field `data`: not base64"),
        "{}",
        detail(&a)
    );
    let a = send(&s, M::GET, "/v2/ticket/field/info", &[AUTH, JAM], None).await;
    assert_eq!(
        detail(&a),
        "give exactly one of the query parameters api_name, customfield_id, jira_label (got 0)"
    );
    let a = send(
        &s,
        M::GET,
        "/v2/orgs/yoigo/searchByIDParams",
        &[AUTH, JAM],
        None,
    )
    .await;
    assert_eq!(
        detail(&a),
        "give at least one of the query parameters customer_id, work_order_id, line, document_id"
    );
}

#[tokio::test]
async fn unknown_things_are_404_where_documented() {
    let s = Sandbox::start().await.unwrap();
    let a = send(
        &s,
        M::GET,
        "/v2/orgs/masmovil/ticket/INST-7902",
        &[AUTH, JAM],
        None,
    )
    .await;
    assert_eq!(
        (a.status, detail(&a)),
        (
            404,
            "no ticket `INST-7902` in org `masmovil` (it belongs to org `yoigo`)"
        )
    );
    let a = send(&s, M::GET, "/troubleTicket/INST-1", &[AUTH], None).await;
    assert_eq!(
        (a.status, a.body["status"].as_str()),
        (404, Some("NOT_FOUND"))
    );
    // updateTicket documents no 404.
    let a = send(
        &s,
        M::PATCH,
        "/v2/orgs/yoigo/ticket/INST-1",
        &[AUTH, JAM],
        Some("{}"),
    )
    .await;
    assert_eq!((a.status, detail(&a)), (400, "no ticket `INST-1`"));
    let a = send(&s, M::GET, "/v3/nowhere", &[AUTH], None).await;
    assert_eq!(
        (a.status, detail(&a)),
        (404, "no operation of either spec has the path /v3/nowhere")
    );
    let a = send(&s, M::DELETE, "/troubleTicket/INST-7902", &[AUTH], None).await;
    assert_eq!(
        (a.status, detail(&a)),
        (
            405,
            "DELETE /troubleTicket/INST-7902 is not an operation; this path takes GET, PATCH"
        )
    );
}

#[tokio::test]
async fn jql_on_a_field_jira_has_not_got_is_refused_naming_it() {
    let s = Sandbox::start().await.unwrap();
    let search = |jql: &str| {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("jql", jql)
            .finish();
        format!("/v2/orgs/yoigo/search/ticket?{query}")
    };
    let a = send(
        &s,
        reqwest::Method::GET,
        &search("project = INST AND foo = bar"),
        &[AUTH, JAM],
        None,
    )
    .await;
    assert_eq!(
        (a.status, a.body["code"].as_str(), detail(&a)),
        (
            400,
            Some("0015"),
            "query parameter `jql`: Field 'foo' does not exist or you do not have permission to view it."
        )
    );
    // Jira's own fields the sandbox does not model hold no value, as before.
    for (jql, total) in [("priority = High", 0), ("labels IS EMPTY", 1)] {
        let a = send(&s, reqwest::Method::GET, &search(jql), &[AUTH, JAM], None).await;
        assert_eq!(
            (a.status, a.body["total"].as_u64()),
            (200, Some(total)),
            "{jql}"
        );
    }
}
