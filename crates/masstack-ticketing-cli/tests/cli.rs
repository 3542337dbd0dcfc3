//! The built `ticketing` binary against loopback servers over real TLS
//! (a test CA given with `--ca-cert`), as a user runs it.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use common::ticketing;
use httpmock::Method;
use masstack_testkit::{ClientAuth, HttpsMock, Reply, TestPki, TestServer};
use predicates::prelude::*;
use serde_json::{Value, json};

const TOKEN: &str = "eyJ.secret-token.sig";

/// A PEM file in a directory removed with the returned guard.
fn pem_file(name: &str, pem: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, pem).unwrap();
    (dir, path)
}

/// `ticketing --base-url <https url> --ca-cert <file>` for a server.
fn against(server: &HttpsMock, ca: &Path) -> Command {
    let mut command = ticketing();
    command
        .arg("--base-url")
        .arg(server.url())
        .arg("--ca-cert")
        .arg(ca);
    command
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A body as a server sends it: its own field order, a `null`, and a field
/// the spec does not list.
const TICKET_AS_SENT: &str = r#"{"summary":"Cita - Y28257924","key":"INST-7902","detailFromAFutureRelease":{"b":2,"a":1},"description":null,"customFields":{"brand":"Yoigo"}}"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_read_over_https_prints_the_servers_json_as_received() {
    let server = HttpsMock::start().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path("/v2/orgs/yoigo/ticket/INST-7902")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("ticketing-provider", "JCC")
                .header_missing("api-version");
            then.status(200)
                .header("content-type", "application/json")
                .body(TICKET_AS_SENT);
        })
        .await;
    let (_dir, ca) = pem_file("ca.pem", &server.ca_pem());
    let output = against(&server, &ca)
        .args([
            "v2",
            "get-ticket",
            "--org",
            "yoigo",
            "--ticket-id",
            "INST-7902",
        ])
        .env("MASSTACK_TOKEN", TOKEN)
        .env("TICKETING_PROVIDER", "JCC")
        .output()
        .unwrap();
    mock.assert_async().await;
    assert!(output.status.success(), "{}", stderr_of(&output));
    // Pretty, in the server's order, with the null and the unlisted field.
    let expected = r#"{
  "summary": "Cita - Y28257924",
  "key": "INST-7902",
  "detailFromAFutureRelease": {
    "b": 2,
    "a": 1
  },
  "description": null,
  "customFields": {
    "brand": "Yoigo"
  }
}
"#;
    assert_eq!(stdout_of(&output), expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_options_go_before_or_after_the_subcommand() {
    let server = HttpsMock::start().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path("/v2/orgs/yoigo/ticket/INST-7902")
                .header("ticketing-provider", "TGJ")
                .header("authorization", format!("Bearer {TOKEN}"));
            then.status(200).json_body(json!({ "key": "INST-7902" }));
        })
        .await;
    let (_dir, ca) = pem_file("ca.pem", &server.ca_pem());
    let ca = ca.to_str().unwrap();
    let url = server.url();
    let op = ["get-ticket", "--org", "yoigo", "--ticket-id", "INST-7902"];
    let connection = [
        "--provider",
        "TGJ",
        "--token",
        TOKEN,
        "--base-url",
        &url,
        "--ca-cert",
        ca,
    ];
    let before: Vec<&str> = connection.iter().copied().chain(["v2"]).chain(op).collect();
    let between: Vec<&str> = ["v2"].into_iter().chain(connection).chain(op).collect();
    let after: Vec<&str> = ["v2"].into_iter().chain(op).chain(connection).collect();
    for args in [before, between, after] {
        ticketing().args(&args).assert().success();
    }
    mock.assert_calls_async(3).await;
}

#[test]
fn a_v2_operation_without_a_provider_is_a_usage_error() {
    ticketing()
        .args(["--base-url", "http://127.0.0.1:9", "v2", "get-ticket", "--org", "yoigo", "--ticket-id", "INST-1"])
        .assert()
        .code(2)
        .stderr("ticketing: v2 get-ticket needs --provider (JAM, JCC, TGJ or JNEXT) or TICKETING_PROVIDER\n");
    ticketing()
        .args([
            "v2",
            "get-ticket",
            "--org",
            "yoigo",
            "--ticket-id",
            "INST-1",
            "--provider",
            "XYZ",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "[possible values: JAM, JCC, TGJ, JNEXT]",
        ));
}

#[test]
fn a_missing_operation_option_is_named() {
    ticketing()
        .args([
            "v2",
            "get-ticket",
            "--ticket-id",
            "INST-7902",
            "--provider",
            "JAM",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--org <org>"));
}

#[test]
fn an_environment_an_api_does_not_document_suggests_base_url() {
    ticketing()
        .args(["--env", "production", "v2", "get-ticket-types", "--provider", "JAM"])
        .assert()
        .code(2)
        .stderr("ticketing: v2 documents no `production` server (only: staging); give its URL with --base-url\n");
    // The names come from both specs' servers.
    ticketing()
        .args(["--env", "nowhere", "v2", "get-ticket-types"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "[possible values: staging, production]",
        ));
}

#[test]
fn an_empty_or_malformed_token_is_refused_before_sending() {
    ticketing()
        .args([
            "--base-url",
            "http://127.0.0.1:9",
            "ossj",
            "get-trouble-ticket",
            "--ticket-id",
            "INST-1",
        ])
        .env("MASSTACK_TOKEN", "")
        .assert()
        .code(2)
        .stderr("ticketing: the token (--token or MASSTACK_TOKEN) is empty\n");
    ticketing()
        .args([
            "--base-url",
            "http://127.0.0.1:9",
            "--token",
            "abc\ndef",
            "ossj",
            "get-trouble-ticket",
            "--ticket-id",
            "INST-1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "holds characters an HTTP header cannot carry",
        ));
}

fn ticket_body() -> Value {
    json!({
        "project": "INST",
        "ticketType": "Incidencia",
        "summary": "Cita - Y28257924",
        "description": "Cita - Cliente solicita contacto en fecha concreta - Y28257924"
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_sends_the_body_file_or_standard_input() {
    let server = HttpsMock::start().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/v2/orgs/yoigo/ticket")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("content-type", "application/json")
                .json_body(ticket_body());
            then.status(201)
                .json_body(json!({ "id": 10001, "key": "INST-7903" }));
        })
        .await;
    let (dir, ca) = pem_file("ca.pem", &server.ca_pem());
    let file = dir.path().join("ticket.json");
    std::fs::write(&file, ticket_body().to_string()).unwrap();
    let create = |body: &str| {
        let mut command = against(&server, &ca);
        command.args([
            "--token",
            TOKEN,
            "v2",
            "create-ticket",
            "--org",
            "yoigo",
            "--provider",
            "JAM",
            "--body-file",
            body,
        ]);
        command
    };
    create(file.to_str().unwrap())
        .assert()
        .success()
        .stdout("{\n  \"id\": 10001,\n  \"key\": \"INST-7903\"\n}\n");
    create("-")
        .write_stdin(ticket_body().to_string())
        .assert()
        .success();
    mock.assert_calls_async(2).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn body_files_are_checked_before_anything_is_sent() {
    let server = HttpsMock::start().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).json_body(json!({ "key": "INST-7903" }));
        })
        .await;
    let (dir, ca) = pem_file("ca.pem", &server.ca_pem());
    let create = |extra: &[&str]| {
        let mut command = against(&server, &ca);
        command
            .args(["v2", "create-ticket", "--org", "yoigo", "--provider", "JAM"])
            .args(extra);
        command
    };

    // A body file and a per-field option: which one wins would be a guess.
    create(&["--body-file", "-", "--summary", "other"])
        .write_stdin("{}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the argument '--body-file <FILE>' cannot be used with '--summary <summary>'",
        ));

    // A field the body does not have is named, not silently dropped.
    create(&["--body-file", "-"])
        .write_stdin(r#"{"summary":"x","unknown":1}"#)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "this field is not part of the operation's body: `$.unknown`",
        ));

    // A body of the wrong JSON type says so plainly.
    let file = dir.path().join("list.json");
    std::fs::write(&file, "[1, 2]").unwrap();
    create(&["--body-file", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the body must be a JSON object (`Ticket`), but it is a JSON array",
        ));

    // A file that is not there.
    create(&["--body-file", "/nonexistent/ticket.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "failed to read /nonexistent/ticket.json",
        ));

    any.assert_calls_async(0).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_error_exits_1_with_the_error_response_as_received() {
    let server = HttpsMock::start().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET);
            then.status(404)
                .header("content-type", "application/json")
                .body(r#"{"code":"0004","status":"NOT_FOUND","message":"Not found","detailMsg":null}"#);
        })
        .await;
    let (_dir, ca) = pem_file("ca.pem", &server.ca_pem());
    against(&server, &ca)
        .args(["v2", "get-ticket", "--org", "yoigo", "--ticket-id", "INST-0", "--provider", "JAM"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("ticketing: the API answered HTTP 404 Not Found\n{\n  \"code\": \"0004\",\n  \"status\": \"NOT_FOUND\",\n  \"message\": \"Not found\",\n  \"detailMsg\": null\n}\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn escape_codes_from_the_server_are_neutralised() {
    let server = HttpsMock::start().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET);
            then.status(500)
                .header("content-type", "text/plain")
                .body("\u{1b}[2J\u{1b}[1;1Hall systems nominal\r\u{7}");
        })
        .await;
    let (_dir, ca) = pem_file("ca.pem", &server.ca_pem());
    let output = against(&server, &ca)
        .args([
            "--retries",
            "0",
            "v2",
            "get-ticket",
            "--org",
            "yoigo",
            "--ticket-id",
            "INST-1",
            "--provider",
            "JAM",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(
        !stderr.bytes().any(|b| b == 0x1b || b == b'\r' || b == 0x07),
        "control bytes reached the terminal: {stderr:?}"
    );
    assert!(
        stderr.contains(r"body (text/plain): \u{1b}[2J\u{1b}[1;1Hall systems nominal\r\u{7}"),
        "{stderr}"
    );
}

#[test]
fn a_network_failure_exits_3_and_says_what_it_tried_to_reach_without_the_token() {
    // Port 9 (discard) on loopback: nothing listens there.
    ticketing()
        .args([
            "--base-url",
            "http://127.0.0.1:9",
            "--token",
            TOKEN,
            "--retries",
            "0",
        ])
        .args(["ossj", "get-trouble-ticket", "--ticket-id", "INST-7902"])
        .assert()
        .code(3)
        .stderr(predicate::str::starts_with(
            "ticketing: could not reach http://127.0.0.1:9/troubleTicket/INST-7902",
        ))
        .stderr(predicate::str::contains("Connection refused"))
        .stderr(predicate::str::contains("secret-token").not());
}

/// A variable set but empty is unset, as curl and OpenSSL read theirs
/// (clap used to refuse `""` naming a flag nobody typed); a non-empty
/// value that is wrong names the variable.
#[test]
fn empty_variables_are_unset_and_wrong_ones_are_named() {
    let unreachable = || {
        let mut command = ticketing();
        command.args([
            "--base-url",
            "http://127.0.0.1:9",
            "--token",
            TOKEN,
            "--retries",
            "0",
            "v2",
            "get-ticket-types",
            "--provider",
            "JAM",
        ]);
        command
    };
    for name in [
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "MASSTACK_CLIENT_CERT",
        "MASSTACK_CLIENT_KEY",
        "MASSTACK_TIMEOUT",
        "MASSTACK_RETRIES",
        "TICKETING_PROVIDER",
    ] {
        // Exit 3: the request was made (nothing listens on port 9).
        let output = unreachable().env(name, "").output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(3),
            "{name}=: {}",
            stderr_of(&output)
        );
    }
    unreachable()
        .env("MASSTACK_TIMEOUT", "soon")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "environment variable MASSTACK_TIMEOUT",
        ));
    // Typed on the command line, the flag is the culprit, not the variable.
    ticketing()
        .args(["--timeout", "soon", "v2", "get-ticket-types"])
        .env("MASSTACK_TIMEOUT", "5")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("MASSTACK_TIMEOUT").not());
    // Half of a pair from the environment: the note names it.
    unreachable()
        .env("MASSTACK_CLIENT_CERT", "/tmp/cert.pem")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--client-cert comes from the environment variable MASSTACK_CLIENT_CERT, which needs --client-key or MASSTACK_CLIENT_KEY too"));
    unreachable()
        .env("SSL_CERT_FILE", "/nonexistent/ca.pem")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SSL_CERT_FILE"));
}

/// An answer whose body stops after the headers: exit 3 (the network, as a
/// script that retries expects), and the message says the server answered.
#[test]
fn a_body_that_stalls_exits_3_saying_the_answer_started() {
    let server = masstack_testkit::StallingServer::start(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n[",
        Duration::from_secs(3),
    );
    ticketing()
        .args(["--base-url", &server.url()])
        .args(["--token", TOKEN, "--timeout", "0.5", "--retries", "0"])
        .args(["v2", "get-ticket-types", "--provider", "JAM"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "started with HTTP 200 OK, then its body stopped",
        ));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_untrusted_server_certificate_exits_3_naming_the_problem() {
    let server = HttpsMock::start().await;
    ticketing()
        .args([
            "--base-url",
            &server.url(),
            "ossj",
            "get-trouble-ticket",
            "--ticket-id",
            "INST-7902",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "invalid peer certificate: UnknownIssuer",
        ));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ia_operations_take_a_client_certificate() {
    let pki = TestPki::new("internal");
    let server = TestServer::tls(&pki, ClientAuth::Required, |_, _| {
        Reply::json(
            200,
            r#"{"messageForClient":"En curso","operativeSummary":"Técnico asignado"}"#,
        )
    })
    .await;
    let robot = pki.client("ia-robot");
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let ca = write("ca.pem", &pki.ca_pem());
    let cert = write("robot.pem", &robot.cert_pem);
    let key = write("robot.key", &robot.key_pem);
    let summary = |extra: &[&Path]| {
        let mut command = ticketing();
        command
            .args(["--base-url", &server.url(), "--ca-cert"])
            .arg(&ca)
            .args([
                "--retries",
                "0",
                "v2",
                "get-ia-summary",
                "--ticket-id",
                "INST-7902",
                "--provider",
                "JAM",
            ]);
        if let [cert, key] = extra {
            command
                .arg("--client-cert")
                .arg(cert)
                .arg("--client-key")
                .arg(key);
        }
        command
    };
    summary(&[&cert, &key])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\"operativeSummary\": \"Técnico asignado\"",
        ));
    assert_eq!(server.requests()[0].header("authorization"), None);
    summary(&[]).assert().code(3);
    assert_eq!(
        server.hits(),
        1,
        "without a certificate the handshake fails"
    );
    // Both halves of the identity, or neither.
    ticketing()
        .args([
            "--client-cert",
            cert.to_str().unwrap(),
            "v2",
            "get-ticket-types",
            "--provider",
            "JAM",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--client-key <FILE>"));
}

#[tokio::test(flavor = "multi_thread")]
async fn retries_and_timeout_are_options() {
    let pki = TestPki::new("internal");
    let (_dir, ca) = pem_file("ca.pem", &pki.ca_pem());
    let flaky = TestServer::tls(&pki, ClientAuth::None, |_, i| match i {
        0 => Reply::status(503),
        _ => Reply::json(200, r#"{"key":"INST-7902"}"#),
    })
    .await;
    let get = |server: &TestServer, extra: &[&str]| {
        let mut command = ticketing();
        command
            .args(["--base-url", &server.url(), "--ca-cert"])
            .arg(&ca)
            .args(extra)
            .args([
                "v2",
                "get-ticket",
                "--org",
                "yoigo",
                "--ticket-id",
                "INST-7902",
                "--provider",
                "JAM",
            ]);
        command
    };
    get(&flaky, &["--retries", "1"]).assert().success();
    assert_eq!(flaky.hits(), 2, "one retry after the 503");

    let down = TestServer::tls(&pki, ClientAuth::None, |_, _| Reply::status(503)).await;
    get(&down, &["--retries", "0"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("HTTP 503"));
    assert_eq!(down.hits(), 1, "--retries 0 sends once");

    let slow = TestServer::tls(&pki, ClientAuth::None, |_, _| {
        Reply::json(200, "{}").delay(Duration::from_secs(5))
    })
    .await;
    get(&slow, &["--retries", "0", "--timeout", "0.3"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("operation timed out"));
}

#[tokio::test(flavor = "multi_thread")]
async fn verbose_logs_each_request_without_the_token() {
    let server = HttpsMock::start().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET);
            then.status(200).json_body(json!({ "key": "INST-7902" }));
        })
        .await;
    let (_dir, ca) = pem_file("ca.pem", &server.ca_pem());
    let output = against(&server, &ca)
        .args([
            "-v",
            "--token",
            TOKEN,
            "v2",
            "get-ticket",
            "--org",
            "yoigo",
            "--ticket-id",
            "INST-7902",
            "--provider",
            "JAM",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let log = stderr_of(&output);
    for field in [
        "masstack_request{",
        "operation=\"getTicket\"",
        "method=GET",
        "path=\"/v2/orgs/yoigo/ticket/INST-7902\"",
        "status=200",
        "attempts=1",
        "latency_ms=",
    ] {
        assert!(log.contains(field), "{field} missing from {log}");
    }
    assert!(!log.contains("secret-token"), "{log}");
    assert_eq!(
        serde_json::from_str::<Value>(&stdout_of(&output)).unwrap()["key"],
        "INST-7902"
    );
    // Without -v (and RUST_LOG), nothing is logged.
    let quiet = against(&server, &ca)
        .args([
            "v2",
            "get-ticket",
            "--org",
            "yoigo",
            "--ticket-id",
            "INST-7902",
            "--provider",
            "JAM",
        ])
        .output()
        .unwrap();
    assert_eq!(stderr_of(&quiet), "");
}

fn ossj_ticket(state: &str) -> Value {
    json!({ "id": "INST-7902", "baseTroubleTicketState": state, "attachments": [] })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forbidden_transaction_is_refused_before_any_request() {
    let server = HttpsMock::start().await;
    let read = server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/troubleTicket/INST-7902");
            then.status(200).json_body(ossj_ticket("OPENACTIVE"));
        })
        .await;
    let write = server
        .mock_async(|when, then| {
            when.method(Method::PATCH);
            then.status(200).json_body(ossj_ticket("CLOSED"));
        })
        .await;
    let (_dir, ca) = pem_file("ca.pem", &server.ca_pem());
    against(&server, &ca)
        .args(["ossj", "apply", "TU09", "--as", "TU", "--ticket-id", "INST-7902", "--dialog", "Cerramos."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "TU09 (Closes ticket) is not allowed from state OPENACTIVE; the TU may send from OPENACTIVE: TU10",
        ));
    read.assert_async().await;

    // The wrong role.
    against(&server, &ca)
        .args([
            "ossj",
            "apply",
            "TO05",
            "--as",
            "TU",
            "--ticket-id",
            "INST-7902",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is sent by the TO, but this client acts as the TU",
        ));
    write.assert_calls_async(0).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_allowed_transaction_is_applied() {
    let server = HttpsMock::start().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/troubleTicket/INST-7902");
            then.status(200).json_body(ossj_ticket("OPENACTIVE"));
        })
        .await;
    let write = server
        .mock_async(|when, then| {
            when.method(Method::PATCH)
                .path("/troubleTicket/INST-7902")
                .json_body(json!({
                    "baseTroubleTicketState": "DEFERRED.AWAITING-INFORMATION",
                    "dialog": "Número de serie de la ONT, por favor."
                }));
            then.status(200)
                .json_body(ossj_ticket("DEFERRED.AWAITING-INFORMATION"));
        })
        .await;
    let (_dir, ca) = pem_file("ca.pem", &server.ca_pem());
    let output = against(&server, &ca)
        .args([
            "ossj",
            "apply",
            "TO05",
            "--as",
            "TO",
            "--ticket-id",
            "INST-7902",
        ])
        .args(["--dialog", "Número de serie de la ONT, por favor."])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    write.assert_async().await;
    assert_eq!(
        serde_json::from_str::<Value>(&stdout_of(&output)).unwrap()["baseTroubleTicketState"],
        "DEFERRED.AWAITING-INFORMATION"
    );

    // A transaction body from standard input, read like any body file.
    against(&server, &ca)
        .args([
            "ossj",
            "apply",
            "TO05",
            "--as",
            "TO",
            "--ticket-id",
            "INST-7902",
            "--body-file",
            "-",
        ])
        .write_stdin(r#"{"dialog":"Número de serie de la ONT, por favor.","extra":true}"#)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`$.extra`"));
    write.assert_calls_async(1).await;
}

#[test]
fn the_token_is_never_shown_in_help() {
    ticketing()
        .args(["v2", "get-ticket", "--help"])
        .env("MASSTACK_TOKEN", TOKEN)
        .assert()
        .success()
        .stdout(predicate::str::contains("[env: MASSTACK_TOKEN]"))
        .stdout(predicate::str::contains("secret-token").not());
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        ticketing()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("get-ticket"))
            .stdout(predicate::str::contains("apply"));
    }
}

fn help(args: &[&str]) -> String {
    let output = ticketing().args(args).output().unwrap();
    assert!(output.status.success());
    stdout_of(&output)
}

#[test]
fn help_snapshots() {
    let root = help(&["--help"]);
    // Unset variables are shown without a dangling `=`.
    assert!(root.contains("[env: TICKETING_PROVIDER]"), "{root}");
    assert!(!root.contains("=]"), "{root}");
    insta::assert_snapshot!("ticketing_help", root);
    insta::assert_snapshot!("ticketing_v2_help", help(&["v2", "--help"]));
    insta::assert_snapshot!(
        "ticketing_v2_get_ticket_help",
        help(&["v2", "get-ticket", "--help"])
    );
    insta::assert_snapshot!(
        "ticketing_ossj_apply_help",
        help(&["ossj", "apply", "--help"])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_that_stops_early_does_not_make_it_panic() {
    use std::io::Read;
    let server = HttpsMock::start().await;
    let big: Vec<Value> = (0..20_000)
        .map(|i| json!({ "key": format!("INST-{i}") }))
        .collect();
    server
        .mock_async(|when, then| {
            when.method(Method::GET);
            then.status(200)
                .json_body(json!({ "tickets": big, "total": 20_000 }));
        })
        .await;
    let (_dir, ca) = pem_file("ca.pem", &server.ca_pem());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ticketing"))
        .args([
            "--base-url",
            &server.url(),
            "--ca-cert",
            ca.to_str().unwrap(),
        ])
        .args([
            "v2",
            "search-tickets-by-jql",
            "--org",
            "yoigo",
            "--jql",
            "project = INST",
            "--provider",
            "JAM",
        ])
        .env_remove("MASSTACK_TOKEN")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    let read = child.stdout.take().unwrap().read(&mut first).unwrap();
    // The pipe is closed here, like `| head -c 16`.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(read > 0, "nothing was printed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}
