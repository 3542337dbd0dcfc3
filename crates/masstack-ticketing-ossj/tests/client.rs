//! The OSSJ client on the wire, against a loopback server: every operation's
//! request (method, path, auth, content type, body), every response example
//! in the spec, the hooks (token source, no `api-version`, a tracing span per
//! call), configuration, and hostile responses.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use httpmock::Method;
use masstack_testkit::HttpsMock;
use masstack_ticketing_ossj::types::{ErrorResponse, TroubleTicketAttachment, TroubleTicketState};
use masstack_ticketing_ossj::{
    Client, ClientConfig, ClientInfo, Environment, Error, ErrorDetails, RetryPolicy, Token,
    TokenError, examples, token_fn,
};
use serde_json::{Value, json};

const TICKET: &str = "INST-7902";

fn spec() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/ticketing-ossj.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The example of `status` for the operation at `path`/`method`, `$ref`s
/// to `components/responses` followed.
fn response_example(spec: &Value, path: &str, method: &str, status: &str) -> Value {
    let pointer = format!(
        "/paths/{}/{method}/responses/{status}",
        path.replace('/', "~1")
    );
    let response = spec
        .pointer(&pointer)
        .unwrap_or_else(|| panic!("{pointer}"));
    let response = masstack_openapi::refs::resolve(spec, response).unwrap();
    response["content"]["application/json"]["example"].clone()
}

/// httpmock behind real TLS; the client trusts its test CA through configuration.
fn client(server: &HttpsMock) -> Client {
    Client::from_config(server.config().bearer_token("t0ken")).unwrap()
}

#[tokio::test]
async fn create_sends_the_published_body_and_parses_the_201_example() {
    let spec = spec();
    let server = HttpsMock::start().await;
    let body = spec
        .pointer("/components/schemas/TroubleTicketCreate/example")
        .unwrap()
        .clone();
    let created = response_example(&spec, "/troubleTicket", "post", "201");
    let mock = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/troubleTicket")
                .header("authorization", "Bearer t0ken")
                .header("content-type", "application/json")
                .header_missing("api-version")
                .json_body(body.clone());
            then.status(201).json_body(created.clone());
        })
        .await;
    let ticket = client(&server)
        .create_trouble_ticket()
        .body(examples::trouble_ticket_create())
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(ticket.status(), 201);
    assert_eq!(serde_json::to_value(ticket.into_inner()).unwrap(), created);
}

#[tokio::test]
async fn get_reads_a_ticket_by_its_jira_key() {
    let spec = spec();
    let server = HttpsMock::start().await;
    let example = response_example(&spec, "/troubleTicket/{ticketId}", "get", "200");
    let mock = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(format!("/troubleTicket/{TICKET}"))
                .header("authorization", "Bearer t0ken")
                .header_missing("api-version");
            then.status(200).json_body(example.clone());
        })
        .await;
    let ticket = client(&server)
        .get_trouble_ticket()
        .ticket_id(TICKET)
        .send()
        .await
        .unwrap()
        .into_inner();
    mock.assert_async().await;
    assert_eq!(ticket.id, example["id"].as_str().unwrap());
    assert_eq!(
        ticket.base_trouble_ticket_state.to_string(),
        example["baseTroubleTicketState"].as_str().unwrap()
    );
}

#[tokio::test]
async fn update_sends_a_transaction_body_and_parses_the_200_example() {
    let spec = spec();
    let server = HttpsMock::start().await;
    let body = spec
        .pointer("/components/schemas/TOInformationRequestExample/example")
        .unwrap()
        .clone();
    let example = response_example(&spec, "/troubleTicket/{ticketId}", "patch", "200");
    let mock = server
        .mock_async(|when, then| {
            when.method(Method::PATCH)
                .path(format!("/troubleTicket/{TICKET}"))
                .header("authorization", "Bearer t0ken")
                .header("content-type", "application/json")
                .json_body(body.clone());
            then.status(200).json_body(example.clone());
        })
        .await;
    let update = serde_json::from_value(body.clone()).unwrap();
    let ticket = client(&server)
        .update_trouble_ticket()
        .ticket_id(TICKET)
        .body::<masstack_ticketing_ossj::types::TroubleTicketUpdate>(update)
        .send()
        .await
        .unwrap()
        .into_inner();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(ticket).unwrap(), example);
}

#[tokio::test]
async fn every_documented_error_comes_back_as_the_typed_error_response() {
    let spec = spec();
    let server = HttpsMock::start().await;
    let client = client(&server);
    let mut checked = 0;
    for (path, method) in [
        ("/troubleTicket", "post"),
        ("/troubleTicket/{ticketId}", "get"),
        ("/troubleTicket/{ticketId}", "patch"),
    ] {
        let responses = spec
            .pointer(&format!(
                "/paths/{}/{method}/responses",
                path.replace('/', "~1")
            ))
            .unwrap()
            .as_object()
            .unwrap();
        for status in responses
            .keys()
            .filter(|s| s.starts_with('4') || s.starts_with('5'))
        {
            let example = response_example(&spec, path, method, status);
            let code: u16 = status.parse().unwrap();
            let mock = server
                .mock_async(|when, then| {
                    when.any_request();
                    then.status(code).json_body(example.clone());
                })
                .await;
            let result = match method {
                "post" => {
                    client
                        .create_trouble_ticket()
                        .body(examples::trouble_ticket_create())
                        .send()
                        .await
                }
                "get" => client.get_trouble_ticket().ticket_id(TICKET).send().await,
                _ => {
                    let update = serde_json::from_value::<
                        masstack_ticketing_ossj::types::TroubleTicketUpdate,
                    >(
                        json!({ "baseTroubleTicketState": "OPENACTIVE" })
                    )
                    .unwrap();
                    client
                        .update_trouble_ticket()
                        .ticket_id(TICKET)
                        .body(update)
                        .send()
                        .await
                }
            };
            match result {
                Err(Error::ErrorResponse(e)) => {
                    assert_eq!(e.status(), code, "{method} {path} {status}");
                    let documented: ErrorResponse = serde_json::from_value(example).unwrap();
                    assert_eq!(e.into_inner(), documented, "{method} {path} {status}");
                }
                other => panic!("{method} {path} {status}: {other:?}"),
            }
            mock.delete_async().await;
            checked += 1;
        }
    }
    assert_eq!(checked, 10, "400/401/500, 401/404/500, 400/401/404/500");
}

#[tokio::test]
async fn a_token_source_is_asked_before_every_request() {
    let server = HttpsMock::start().await;
    let first = server
        .mock_async(|when, then| {
            when.header("authorization", "Bearer token-1");
            then.status(200)
                .json_body(json!({ "id": TICKET, "baseTroubleTicketState": "OPENACTIVE" }));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.header("authorization", "Bearer token-2");
            then.status(200)
                .json_body(json!({ "id": TICKET, "baseTroubleTicketState": "CLEARED" }));
        })
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let source = token_fn(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move { Ok(Token::new(format!("token-{n}"))) }
    });
    let client = Client::from_config(server.config().token_source(source)).unwrap();
    for _ in 0..2 {
        client
            .get_trouble_ticket()
            .ticket_id(TICKET)
            .send()
            .await
            .unwrap();
    }
    first.assert_async().await;
    second.assert_async().await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failing_token_source_stops_the_request_without_leaking_anything() {
    let server = HttpsMock::start().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let source = token_fn(|| async { Err(TokenError("the identity service is down".into())) });
    let client = Client::from_config(server.config().token_source(source)).unwrap();
    let err = client
        .get_trouble_ticket()
        .ticket_id(TICKET)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Error: the token source failed: the identity service is down"
    );
    any.assert_calls_async(0).await;
}

#[test]
fn the_token_never_shows_in_debug_output() {
    let secret = "eyJhbGciOiJSUzI1NiJ9.secret-payload.signature";
    let config = ClientConfig::new("https://ticketing-ossj.sta.masstack.com/").bearer_token(secret);
    let client = Client::from_config(config.clone()).unwrap();
    for text in [
        format!("{config:?}"),
        format!("{client:?}"),
        format!("{:?}", Token::new(secret)),
    ] {
        assert!(!text.contains("secret-payload"), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }
}

#[test]
fn environments_come_from_the_spec_servers() {
    assert_eq!(
        Environment::ALL,
        [Environment::Production, Environment::Staging]
    );
    assert_eq!(
        Environment::Production.base_url(),
        "https://ticketing-ossj.masstack.com"
    );
    assert_eq!(
        Environment::Staging.base_url(),
        "https://ticketing-ossj.sta.masstack.com"
    );
    assert_eq!("staging".parse::<Environment>(), Ok(Environment::Staging));
    assert_eq!(
        "prod".parse::<Environment>().unwrap_err(),
        "unknown environment `prod`; expected one of: `production`, `staging`"
    );
    let client = Client::from_config(Environment::Staging.config()).unwrap();
    assert_eq!(client.baseurl(), "https://ticketing-ossj.sta.masstack.com");
}

#[test]
fn a_bad_base_url_is_a_clear_error() {
    let err = Client::from_config(ClientConfig::new("ticketing-ossj.masstack.com")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid base URL `ticketing-ossj.masstack.com`: relative URL without a base"
    );
    let err = Client::from_config(ClientConfig::new("ftp://example.com")).unwrap_err();
    assert!(
        err.to_string().contains("the scheme must be http or https"),
        "{err}"
    );
}

#[tokio::test]
async fn a_timeout_is_reported_as_a_communication_error() {
    let server = HttpsMock::start().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .delay(std::time::Duration::from_millis(500));
        })
        .await;
    let config = server
        .config()
        .timeout(std::time::Duration::from_millis(50));
    let err = Client::from_config(config)
        .unwrap()
        .get_trouble_ticket()
        .ticket_id(TICKET)
        .send()
        .await
        .unwrap_err();
    match err {
        Error::CommunicationError(e) => assert!(e.is_timeout(), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_html_error_page_keeps_its_status_and_text() {
    let server = HttpsMock::start().await;
    for (status, body) in [
        (502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
        (500, "<html><body>upstream exploded</body></html>"),
    ] {
        let mock = server
            .mock_async(|when, then| {
                when.any_request();
                then.status(status)
                    .header("content-type", "text/html")
                    .body(body);
            })
            .await;
        let err = client(&server)
            .with_retry(RetryPolicy::none())
            .get_trouble_ticket()
            .ticket_id(TICKET)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.response_status().map(|s| s.as_u16()), Some(status));
        let text = err.report().to_string();
        assert!(text.contains(&status.to_string()), "{text}");
        assert!(text.contains(body), "{text}");
        assert!(text.contains("text/html"), "{text}");
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn attachments_go_out_as_base64_and_come_back_as_bytes() {
    let bytes = b"OLT-MAD-ALC-01 \x00\xff report";
    let attachment =
        TroubleTicketAttachment::from_bytes("report.bin", "application/octet-stream", bytes);
    assert_eq!(attachment.content, "T0xULU1BRC1BTEMtMDEgAP8gcmVwb3J0");
    assert_eq!(attachment.decoded().unwrap(), bytes);

    let dir = std::env::temp_dir().join(format!("masstack-attachment-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("informe.txt");
    std::fs::write(&file, "Splitter sustituido.\n").unwrap();
    let from_file = TroubleTicketAttachment::from_file(&file, "text/plain").unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(from_file.name, "informe.txt");
    assert_eq!(from_file.decoded().unwrap(), b"Splitter sustituido.\n");

    let mut broken = attachment.clone();
    broken.content = "not base64!".into();
    assert!(
        broken
            .decoded()
            .unwrap_err()
            .to_string()
            .starts_with("attachment `report.bin` is not valid base64")
    );
}

#[test]
fn unknown_states_are_kept_known_ones_are_typed() {
    let known: TroubleTicketState = serde_json::from_value(json!("CLEARED")).unwrap();
    assert_eq!(known, TroubleTicketState::Cleared);
    let unknown: TroubleTicketState = serde_json::from_value(json!("PENDING.PARTS")).unwrap();
    assert_eq!(unknown, TroubleTicketState::Unknown("PENDING.PARTS".into()));
    assert_eq!(unknown.to_string(), "PENDING.PARTS");
    assert_eq!(
        serde_json::to_value(&unknown).unwrap(),
        json!("PENDING.PARTS")
    );
    // Not a string at all is still an error, not an unknown value.
    assert!(serde_json::from_value::<TroubleTicketState>(json!(7)).is_err());
    // Parsing from text round-trips too: a listed value is typed, any
    // other kept.
    assert_eq!(
        "PENDING.PARTS".parse::<TroubleTicketState>().ok(),
        Some(unknown)
    );
    assert_eq!(
        "CLEARED".parse::<TroubleTicketState>().ok(),
        Some(TroubleTicketState::Cleared)
    );
}

mod tracing_capture {
    //! A minimal subscriber that records spans and their fields.

    use super::*;
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// Span name and its recorded fields, as `(name, debug value)`.
    pub type SpanRecord = (String, Vec<(String, String)>);

    #[derive(Default, Clone)]
    pub struct Capture(pub Arc<Mutex<Vec<SpanRecord>>>);

    struct Fields<'a>(&'a mut Vec<(String, String)>);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.push((field.name().to_owned(), format!("{value:?}")));
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, attrs: &Attributes<'_>) -> Id {
            let mut spans = self.0.lock().unwrap();
            let mut fields = Vec::new();
            attrs.record(&mut Fields(&mut fields));
            spans.push((attrs.metadata().name().to_owned(), fields));
            Id::from_u64(spans.len() as u64)
        }
        fn record(&self, id: &Id, values: &Record<'_>) {
            let mut spans = self.0.lock().unwrap();
            let span = &mut spans[id.into_u64() as usize - 1];
            values.record(&mut Fields(&mut span.1));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, _: &Event<'_>) {}
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[tokio::test]
async fn each_call_gets_a_span_with_operation_status_and_latency() {
    let server = HttpsMock::start().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .json_body(json!({ "id": TICKET, "baseTroubleTicketState": "OPENACTIVE" }));
        })
        .await;
    let capture = tracing_capture::Capture::default();
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(capture.clone()));
    client(&server)
        .get_trouble_ticket()
        .ticket_id(TICKET)
        .send()
        .await
        .unwrap();

    let spans = capture.0.lock().unwrap();
    let (_, fields) = spans
        .iter()
        .find(|(name, _)| name == "masstack_request")
        .expect("a masstack_request span");
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(field("operation"), Some("\"getTroubleTicket\""));
    assert_eq!(field("method"), Some("GET"));
    assert_eq!(field("path"), Some("\"/troubleTicket/INST-7902\""));
    assert_eq!(field("status"), Some("200"));
    assert!(
        field("latency_ms").is_some_and(|v| v.parse::<u64>().is_ok()),
        "{fields:?}"
    );
    let all = format!("{spans:?}");
    assert!(
        !all.contains("t0ken"),
        "the token leaked into a span: {all}"
    );
}
