//! The client against servers like the real ones: HTTPS with certificates
//! made at test time (HTTP/2 over ALPN, an unknown CA, mutual TLS), gzip,
//! redirects, retries counted on the server side, the body limit, and
//! errors that keep everything the server said.

use std::time::{Duration, Instant};

use masstack_testkit::{ClientAuth, Reply, StallingServer, TestPki, TestServer, TlsFront};
use masstack_ticketing::types::{Ticket, TicketingProvider};
use masstack_ticketing::{Client, ClientConfig, ConfigError, Error, ErrorDetails, RetryPolicy};

const TOKEN: &str = "t0ken";
const TICKET: &str = "INST-7902";

fn ticket_json() -> String {
    serde_json::json!({ "key": TICKET, "summary": "Cita - Y28257924" }).to_string()
}

/// Fast retries, so the tests do not sleep for the default backoff.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20))
}

fn client(config: ClientConfig) -> Client {
    Client::from_config(config.retry(fast_retries())).expect("a valid configuration")
}

async fn get_ticket(
    client: &Client,
) -> Result<Ticket, Error<masstack_ticketing::types::ErrorResponse>> {
    client
        .get_ticket()
        .org("yoigo")
        .ticket_id(TICKET)
        .ticketing_provider(TicketingProvider::Jam)
        .send()
        .await
        .map(|rv| rv.into_inner())
}

async fn https_server(
    pki: &TestPki,
    script: impl Fn(usize) -> Reply + Send + Sync + 'static,
) -> TestServer {
    TestServer::tls(pki, ClientAuth::None, move |_, i| script(i)).await
}

// ---------------------------------------------------------------------------
// TLS
// ---------------------------------------------------------------------------

#[tokio::test]
async fn https_with_the_ca_given_in_configuration_speaks_http2() {
    let pki = TestPki::new("internal");
    let server = https_server(&pki, |_| Reply::json(200, ticket_json())).await;
    let client = client(
        ClientConfig::new(server.url())
            .bearer_token(TOKEN)
            .ca_cert_pem(pki.ca_pem()),
    );
    let ticket = get_ticket(&client)
        .await
        .expect("HTTPS works with the test CA");
    assert_eq!(ticket.key.as_deref(), Some(TICKET));
    let seen = &server.requests()[0];
    assert_eq!(
        seen.version,
        http::Version::HTTP_2,
        "ALPN negotiated HTTP/2"
    );
    assert_eq!(seen.header("authorization"), Some("Bearer t0ken"));
    assert_eq!(seen.header("api-version"), None);
}

#[tokio::test]
async fn a_ca_bundle_file_is_trusted() {
    let pki = TestPki::new("internal");
    let other = TestPki::new("other");
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle.pem");
    // A bundle: an unrelated CA first, then the one that signed the server.
    std::fs::write(&bundle, format!("{}{}", other.ca_pem(), pki.ca_pem())).unwrap();
    let server = https_server(&pki, |_| Reply::json(200, ticket_json())).await;
    let client = client(ClientConfig::new(server.url()).ca_cert_file(&bundle));
    get_ticket(&client)
        .await
        .expect("trusted through the bundle");
}

#[tokio::test]
async fn an_unknown_ca_fails_naming_the_certificate_problem_without_retrying() {
    let pki = TestPki::new("internal");
    let backend = TestServer::plain(|_, _| Reply::json(200, ticket_json())).await;
    let backend_addr = backend.url().trim_start_matches("http://").parse().unwrap();
    let front = TlsFront::start(backend_addr, &pki, ClientAuth::None).await;
    let stranger = TestPki::new("stranger");
    // Retries on (the default budget): a certificate problem is not retried.
    let client = client(ClientConfig::new(front.url()).ca_cert_pem(stranger.ca_pem()));
    let err = get_ticket(&client).await.unwrap_err();
    let report = err.report().to_string();
    assert!(
        report.starts_with(&format!("could not reach {}/", front.url())),
        "{report}"
    );
    assert!(
        report.contains("invalid peer certificate: UnknownIssuer"),
        "{report}"
    );
    assert_eq!(
        backend.hits(),
        0,
        "nothing was sent over an untrusted connection"
    );
    // The server records the client's alert after the client has returned.
    for _ in 0..100 {
        if !front.handshake_failures().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let failures = front.handshake_failures();
    assert_eq!(failures.len(), 1, "one handshake, no retry: {failures:?}");
    assert!(
        failures[0].contains("UnknownCA"),
        "the server saw the client's alert: {failures:?}"
    );
}

#[test]
fn unusable_tls_files_are_named_when_the_client_is_built() {
    let missing =
        Client::from_config(ClientConfig::new("https://x").ca_cert_file("/nonexistent/ca.pem"));
    let err = missing.expect_err("a missing CA file is refused");
    assert!(matches!(err, ConfigError::Tls { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "CA certificate `/nonexistent/ca.pem`: No such file or directory (os error 2)"
    );

    let dir = tempfile::tempdir().unwrap();
    let not_pem = dir.path().join("ca.pem");
    std::fs::write(&not_pem, "not a certificate").unwrap();
    let err = Client::from_config(ClientConfig::new("https://x").ca_cert_file(&not_pem))
        .expect_err("a file without certificates is refused");
    assert_eq!(
        err.to_string(),
        format!(
            "CA certificate `{}`: it holds no PEM certificate",
            not_pem.display()
        )
    );

    let pki = TestPki::new("internal");
    let leaf = pki.client("robot");
    let err = Client::from_config(
        ClientConfig::new("https://x").identity_pem(leaf.cert_pem.clone(), "garbage"),
    )
    .expect_err("a key that does not parse is refused");
    assert!(
        err.to_string().starts_with("client certificate the client certificate given as PEM text with the client key given as PEM text:"),
        "{err}"
    );
}

async fn ia_summary(
    client: &Client,
) -> Result<(), Error<masstack_ticketing::types::ErrorResponse>> {
    client
        .get_ia_summary()
        .ticket_id(TICKET)
        .ticketing_provider(TicketingProvider::Jam)
        .send()
        .await
        .map(|_| ())
}

#[tokio::test]
async fn the_ia_operations_accept_a_client_certificate_instead_of_a_token() {
    let pki = TestPki::new("internal");
    let server = TestServer::tls(&pki, ClientAuth::Required, |_, _| {
        Reply::json(
            200,
            r#"{"messageForClient":"En curso","operativeSummary":"Técnico asignado"}"#,
        )
    })
    .await;
    let robot = pki.client("ia-robot");
    let with_identity = client(
        ClientConfig::new(server.url())
            .ca_cert_pem(pki.ca_pem())
            .identity_pem(robot.cert_pem.clone(), robot.key_pem.clone()),
    );
    ia_summary(&with_identity).await.expect("mTLS accepted");
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/v2/ticket/INST-7902/ia/summary");
    assert_eq!(
        seen[0].header("authorization"),
        None,
        "no token, no Authorization header"
    );

    let without = client(
        ClientConfig::new(server.url())
            .ca_cert_pem(pki.ca_pem())
            .retry(RetryPolicy::none()),
    );
    let err = ia_summary(&without).await.unwrap_err();
    assert!(matches!(err, Error::CommunicationError(_)), "{err:?}");
    assert_eq!(
        server.hits(),
        1,
        "the server refused the connection, not a request"
    );
}

// ---------------------------------------------------------------------------
// gzip, redirects
// ---------------------------------------------------------------------------

#[tokio::test]
async fn gzip_responses_are_accepted() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(ticket_json().as_bytes()).unwrap();
    let compressed = gz.finish().unwrap();
    let server = TestServer::plain(move |_, _| {
        Reply::json(200, "")
            .header("content-encoding", "gzip")
            .body(compressed.clone())
    })
    .await;
    let ticket = get_ticket(&client(ClientConfig::new(server.url())))
        .await
        .unwrap();
    assert_eq!(ticket.key.as_deref(), Some(TICKET));
    let accept = server.requests()[0]
        .header("accept-encoding")
        .map(str::to_owned);
    assert!(accept.is_some_and(|a| a.contains("gzip")));
}

#[tokio::test]
async fn a_redirect_to_another_origin_does_not_carry_the_token() {
    let elsewhere = TestServer::plain(|_, _| Reply::json(200, ticket_json())).await;
    let target = format!("{}/v2/orgs/yoigo/ticket/{TICKET}", elsewhere.url());
    let origin =
        TestServer::plain(move |_, _| Reply::status(307).header("location", target.clone())).await;
    let ticket = get_ticket(&client(ClientConfig::new(origin.url()).bearer_token(TOKEN)))
        .await
        .unwrap();
    assert_eq!(ticket.key.as_deref(), Some(TICKET));
    assert_eq!(
        origin.requests()[0].header("authorization"),
        Some("Bearer t0ken")
    );
    let followed = &elsewhere.requests()[0];
    assert_eq!(followed.path, "/v2/orgs/yoigo/ticket/INST-7902");
    assert_eq!(
        followed.header("authorization"),
        None,
        "the token stayed with its origin"
    );
}

// ---------------------------------------------------------------------------
// Retries, counted on the server side
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_get_is_retried_on_503_then_succeeds() {
    let server = TestServer::plain(|_, i| match i {
        0 | 1 => Reply::status(503),
        _ => Reply::json(200, ticket_json()),
    })
    .await;
    get_ticket(&client(ClientConfig::new(server.url())))
        .await
        .expect("the third attempt succeeds");
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn the_retry_budget_is_respected() {
    let server = TestServer::plain(|_, _| Reply::status(502)).await;
    let client =
        Client::from_config(ClientConfig::new(server.url()).retry(fast_retries().max_retries(4)))
            .unwrap();
    let err = get_ticket(&client).await.unwrap_err();
    assert_eq!(err.response_status().map(|s| s.as_u16()), Some(502));
    assert_eq!(server.hits(), 5, "one attempt and four retries");

    let server = TestServer::plain(|_, _| Reply::status(502)).await;
    let client =
        Client::from_config(ClientConfig::new(server.url()).retry(RetryPolicy::none())).unwrap();
    get_ticket(&client).await.unwrap_err();
    assert_eq!(server.hits(), 1, "retries disabled");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = TestServer::plain(|_, i| match i {
        0 => Reply::status(429).header("retry-after", "1"),
        _ => Reply::json(200, ticket_json()),
    })
    .await;
    let start = Instant::now();
    get_ticket(&client(ClientConfig::new(server.url())))
        .await
        .unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_returned_with_its_body() {
    let server = TestServer::plain(|_, _| {
        Reply::json(429, r#"{"error":"rate limited"}"#).header("retry-after", "3600")
    })
    .await;
    let err = get_ticket(&client(ClientConfig::new(server.url())))
        .await
        .unwrap_err();
    assert_eq!(server.hits(), 1, "an hour is beyond the cap: no retry");
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err:?}");
    assert_eq!(err.response_status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(
        err.response_body().map(|b| &b[..]),
        Some(&br#"{"error":"rate limited"}"#[..])
    );
    let report = err.report().to_string();
    assert!(report.contains("HTTP 429 Too Many Requests"), "{report}");
    assert!(report.contains("Retry-After: 3600"), "{report}");
    assert!(report.contains(r#"{"error":"rate limited"}"#), "{report}");
}

async fn create_ticket(
    client: &Client,
) -> Result<Option<String>, Error<masstack_ticketing::types::ErrorResponse>> {
    client
        .create_ticket()
        .org("yoigo")
        .ticketing_provider(TicketingProvider::Jam)
        .body(Ticket::builder().summary(Some("Cita".to_owned())))
        .send()
        .await
        .map(|rv| rv.into_inner().key)
}

#[tokio::test]
async fn a_post_is_not_retried_unless_the_caller_opts_in() {
    let script = |_: &masstack_testkit::Seen, i: usize| match i {
        0 => Reply::status(503),
        _ => Reply::json(201, r#"{"id":10001,"key":"INST-7903"}"#),
    };
    let server = TestServer::plain(script).await;
    let client = client(ClientConfig::new(server.url()));
    let err = create_ticket(&client).await.unwrap_err();
    assert_eq!(err.response_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        server.hits(),
        1,
        "a retried create could make a duplicate ticket"
    );

    let server = TestServer::plain(script).await;
    let client = self::client(ClientConfig::new(server.url()));
    let key = create_ticket(&client.with_retry(fast_retries().retry_non_idempotent(true)))
        .await
        .expect("opted in for this call");
    assert_eq!(key.as_deref(), Some("INST-7903"));
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let err = get_ticket(&client(ClientConfig::new(format!(
        "http://127.0.0.1:{port}"
    ))))
    .await
    .unwrap_err();
    let report = err.report().to_string();
    assert!(
        report.starts_with(&format!("could not reach http://127.0.0.1:{port}/")),
        "{report}"
    );
    assert!(report.contains("Connection refused"), "{report}");
}

// ---------------------------------------------------------------------------
// Limits and honest results
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_body_over_the_limit_fails_saying_so() {
    let big = format!(
        r#"{{"key":"{TICKET}","description":"{}"}}"#,
        "x".repeat(2 << 20)
    );
    let declared = big.len();
    let server = TestServer::plain(move |_, _| Reply::json(200, big.clone())).await;
    let client = client(ClientConfig::new(server.url()).max_response_bytes(1 << 20));
    let err = get_ticket(&client).await.unwrap_err();
    let Error::Custom(message) = &err else {
        panic!("{err:?}")
    };
    assert!(
        message.starts_with("the response to getTicket (HTTP 200 OK from GET http://127.0.0.1:"),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "is larger than the limit of 1048576 bytes (Content-Length: {declared})"
        )),
        "{message}"
    );
    assert!(
        message.contains("ClientConfig::max_response_bytes"),
        "{message}"
    );
}

#[tokio::test]
async fn a_compressed_body_is_limited_after_decompression() {
    use std::io::Write;
    // 64 KiB on the wire, 8 MiB once inflated.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(
        format!(
            r#"{{"key":"{TICKET}","description":"{}"}}"#,
            "x".repeat(8 << 20)
        )
        .as_bytes(),
    )
    .unwrap();
    let compressed = gz.finish().unwrap();
    assert!(compressed.len() < 64 << 10);
    let server = TestServer::plain(move |_, _| {
        Reply::json(200, "")
            .header("content-encoding", "gzip")
            .body(compressed.clone())
    })
    .await;
    let err = get_ticket(&client(
        ClientConfig::new(server.url()).max_response_bytes(1 << 20),
    ))
    .await
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("is larger than the limit of 1048576 bytes;"),
        "{message}"
    );
}

#[tokio::test]
async fn null_for_an_optional_array_is_read_as_absent() {
    let server = TestServer::plain(|_, _| {
        Reply::json(
            200,
            format!(r#"{{"key":"{TICKET}","components":null,"customFields":null}}"#),
        )
    })
    .await;
    let ticket = get_ticket(&client(ClientConfig::new(server.url())))
        .await
        .expect("null is absent");
    assert!(ticket.components.is_empty());
    assert_eq!(ticket.custom_fields, None);
}

#[tokio::test]
async fn a_body_that_does_not_parse_names_the_json_path_and_the_status() {
    let body = format!(r#"{{"key":"{TICKET}","components":["FTTH","ONT",42]}}"#);
    let served = body.clone();
    let server = TestServer::plain(move |_, _| Reply::json(200, served.clone())).await;
    let err = get_ticket(&client(ClientConfig::new(server.url())))
        .await
        .unwrap_err();
    let Error::InvalidResponsePayload(kept, cause) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(&kept[..], body.as_bytes(), "the body is kept");
    let cause = cause.to_string();
    assert!(
        cause.starts_with(&format!("HTTP 200 OK from GET {}/v2/orgs/yoigo/ticket/INST-7902 (getTicket): the body does not match the spec at $.components[2]: invalid type: integer `42`, expected a string", server.url())),
        "{cause}"
    );
    assert_eq!(err.response_status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn an_undocumented_2xx_with_the_documented_body_is_a_success() {
    // createTicket documents 201; a 200 with the same body must not lose the key.
    let server =
        TestServer::plain(|_, _| Reply::json(200, r#"{"id":10001,"key":"INST-7903"}"#)).await;
    let client = client(ClientConfig::new(server.url()));
    let created = client
        .create_ticket()
        .org("yoigo")
        .ticketing_provider(TicketingProvider::Jam)
        .body(Ticket::builder())
        .send()
        .await
        .expect("a 200 with a TicketCreated body is a success");
    assert_eq!(created.status().as_u16(), 200, "the real status is kept");
    assert_eq!(created.key.as_deref(), Some("INST-7903"));
}

#[tokio::test]
async fn an_undocumented_2xx_with_another_body_keeps_it_in_the_error() {
    let server = TestServer::plain(|_, _| Reply::json(202, r#"{"queued":true}"#)).await;
    let err = create_ticket(&client(ClientConfig::new(server.url())))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err:?}");
    assert_eq!(err.response_status().map(|s| s.as_u16()), Some(202));
    assert_eq!(
        err.response_body().map(|b| &b[..]),
        Some(&br#"{"queued":true}"#[..])
    );
}

#[tokio::test]
async fn a_json_error_that_is_not_error_response_names_its_status() {
    let server = TestServer::plain(|_, _| Reply::json(401, r#"{"error":"invalid_token"}"#)).await;
    let err = get_ticket(&client(ClientConfig::new(server.url()).bearer_token(TOKEN)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err:?}");
    assert_eq!(err.response_status().map(|s| s.as_u16()), Some(401));
    let report = err.report().to_string();
    assert!(
        report.starts_with("the API answered HTTP 401 Unauthorized"),
        "{report}"
    );
    assert!(report.contains(r#"{"error":"invalid_token"}"#), "{report}");

    // The documented error type still comes back typed.
    let server = TestServer::plain(|_, _| {
        Reply::json(
            401,
            r#"{"code":"0001","status":"UNAUTHORIZED","message":"Unauthorized","detailMsg":null}"#,
        )
    })
    .await;
    let err = get_ticket(&client(ClientConfig::new(server.url())))
        .await
        .unwrap_err();
    let Error::ErrorResponse(rv) = err else {
        panic!("{err:?}")
    };
    assert_eq!(rv.message, "Unauthorized");
}

#[tokio::test]
async fn escape_codes_in_a_body_are_neutralised_in_reports() {
    let server = TestServer::plain(|_, _| {
        Reply::status(500)
            .header("content-type", "text/plain")
            .body("\u{1b}[2J\u{1b}[Hall good\r")
    })
    .await;
    let err = get_ticket(&client(
        ClientConfig::new(server.url()).retry(RetryPolicy::none()),
    ))
    .await
    .unwrap_err();
    let report = err.report().to_string();
    assert!(
        !report.contains('\u{1b}') && !report.contains('\r'),
        "{report:?}"
    );
    assert!(
        report.ends_with(r"body (text/plain): \u{1b}[2J\u{1b}[Hall good\r"),
        "{report}"
    );
}

#[tokio::test]
async fn each_failure_reads_differently() {
    // A timeout.
    let slow =
        TestServer::plain(|_, _| Reply::json(200, ticket_json()).delay(Duration::from_secs(5)))
            .await;
    let err = get_ticket(&client(
        ClientConfig::new(slow.url())
            .timeout(Duration::from_millis(200))
            .retry(RetryPolicy::none()),
    ))
    .await
    .unwrap_err();
    let timeout = err.report().to_string();
    assert!(timeout.contains("operation timed out"), "{timeout}");

    // A name that does not resolve.
    let err = get_ticket(&client(
        ClientConfig::new("http://ticketing.invalid").retry(RetryPolicy::none()),
    ))
    .await
    .unwrap_err();
    let dns = err.report().to_string();
    assert!(dns.contains("dns error"), "{dns}");

    // A refused connection.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = get_ticket(&client(
        ClientConfig::new(format!("http://127.0.0.1:{port}")).retry(RetryPolicy::none()),
    ))
    .await
    .unwrap_err();
    let refused = err.report().to_string();
    assert!(refused.contains("Connection refused"), "{refused}");

    let markers = ["operation timed out", "dns error", "Connection refused"];
    for (i, report) in [&timeout, &dns, &refused].into_iter().enumerate() {
        for (j, marker) in markers.iter().enumerate() {
            assert_eq!(report.contains(marker), i == j, "{marker:?} in {report}");
        }
    }
}

/// A server that sends the status, the headers and part of the body, then
/// nothing: the call ends at the timeout, and the error says the server
/// answered (status kept), not that it could not be reached.
#[tokio::test]
async fn a_body_that_stalls_after_the_headers_keeps_the_status() {
    let stalled = StallingServer::start(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"key\":",
        Duration::from_secs(3),
    );
    let started = Instant::now();
    let err = get_ticket(&client(
        ClientConfig::new(stalled.url())
            .timeout(Duration::from_millis(600))
            .retry(RetryPolicy::none()),
    ))
    .await
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.response_status(), Some(http::StatusCode::OK), "{err:?}");
    assert_eq!(err.response_body().map(|b| &b[..]), Some(&b"{\"key\":"[..]));
    let report = err.report().to_string();
    assert!(
        report.starts_with("the answer to getTicket (GET http://127.0.0.1:"),
        "{report}"
    );
    assert!(
        report.contains("started with HTTP 200 OK, then its body stopped for 0."),
        "{report}"
    );
    assert!(
        report.contains("(7 bytes received of 100 announced)"),
        "{report}"
    );
    assert!(!report.contains("could not reach"), "{report}");
}
