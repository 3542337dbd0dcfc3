//! The built `ticketing` binary against a loopback server.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use httpmock::{Method, MockServer};
use serde_json::{Value, json};

const TOKEN: &str = "eyJ.secret-token.sig";

/// The binary with a clean environment: no token or provider from the
/// developer's shell.
fn ticketing(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ticketing"));
    command
        .args(args)
        .env_remove("MASSTACK_TOKEN")
        .env_remove("TICKETING_PROVIDER");
    command
}

fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().unwrap();
    (
        status.code().unwrap(),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

fn ticket() -> Value {
    json!({
        "key": "INST-7902",
        "project": "INST",
        "ticketType": "Incidencia",
        "summary": "Cita - Y28257924",
        "customFields": { "brand": "Yoigo" }
    })
}

#[test]
fn a_read_prints_pretty_json_and_sends_token_and_provider_from_the_environment() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(Method::GET)
            .path("/v2/orgs/yoigo/ticket/INST-7902")
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("ticketing-provider", "JCC")
            .header_missing("api-version");
        then.status(200).json_body(ticket());
    });
    let (code, stdout, stderr) = run(ticketing(&[
        "--base-url",
        &server.base_url(),
        "v2",
        "get-ticket",
        "--org",
        "yoigo",
        "--ticket-id",
        "INST-7902",
    ])
    .env("MASSTACK_TOKEN", TOKEN)
    .env("TICKETING_PROVIDER", "JCC"));
    mock.assert();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), ticket());
    assert!(
        stdout.contains("\n  \"key\": \"INST-7902\""),
        "pretty JSON: {stdout}"
    );
}

#[test]
fn a_create_sends_the_body_file_or_standard_input() {
    let server = MockServer::start();
    let body = json!({
        "project": "INST",
        "ticketType": "Incidencia",
        "summary": "Cita - Y28257924",
        "description": "Cita - Cliente solicita contacto en fecha concreta - Y28257924"
    });
    let mock = server.mock(|when, then| {
        when.method(Method::POST)
            .path("/v2/orgs/yoigo/ticket")
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("content-type", "application/json")
            .json_body(body.clone());
        then.status(201)
            .json_body(json!({ "id": 10001, "key": "INST-7903" }));
    });
    let dir = std::env::temp_dir().join(format!("ticketing-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ticket.json");
    std::fs::write(&file, body.to_string()).unwrap();
    let base = server.base_url();
    let common = [
        "--base-url",
        &base,
        "--token",
        TOKEN,
        "v2",
        "create-ticket",
        "--org",
        "yoigo",
        "--provider",
        "JAM",
        "--body-file",
    ];

    let mut args = common.to_vec();
    args.push(file.to_str().unwrap());
    let (code, stdout, stderr) = run(&mut ticketing(&args));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        serde_json::from_str::<Value>(&stdout).unwrap(),
        json!({ "id": 10001, "key": "INST-7903" })
    );

    let mut args = common.to_vec();
    args.push("-");
    let mut child = ticketing(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    std::fs::remove_dir_all(&dir).unwrap();
    mock.assert_calls(2);
}

#[test]
fn an_api_error_exits_1_with_the_error_response_on_stderr() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(Method::GET);
        then.status(404).json_body(json!({
            "code": "0004", "status": "NOT_FOUND", "message": "Not found", "detailMsg": "Resource not found"
        }));
    });
    let (code, stdout, stderr) = run(&mut ticketing(&[
        "--base-url",
        &server.base_url(),
        "v2",
        "get-ticket",
        "--org",
        "yoigo",
        "--ticket-id",
        "INST-0",
        "--provider",
        "JAM",
    ]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("404"), "{stderr}");
    assert!(stderr.contains("\"code\": \"0004\""), "{stderr}");
    assert!(stderr.contains("\"status\": \"NOT_FOUND\""), "{stderr}");
}

#[test]
fn a_usage_error_exits_2_and_names_the_missing_option() {
    let (code, _, stderr) = run(&mut ticketing(&[
        "v2",
        "get-ticket",
        "--ticket-id",
        "INST-7902",
        "--provider",
        "JAM",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("--org <org>"), "{stderr}");

    let (code, _, stderr) = run(&mut ticketing(&[
        "v2",
        "get-ticket",
        "--org",
        "yoigo",
        "--ticket-id",
        "INST-7902",
        "--provider",
        "XYZ",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("[possible values: JAM, JCC, TGJ, JNEXT]"),
        "{stderr}"
    );

    let (code, _, stderr) = run(&mut ticketing(&[
        "--env",
        "production",
        "v2",
        "get-ticket-types",
        "--provider",
        "JAM",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown environment `production`"),
        "{stderr}"
    );
}

#[test]
fn a_network_failure_exits_3_and_says_what_it_tried_to_reach_without_the_token() {
    // Port 9 (discard) on loopback: nothing listens there.
    let (code, _, stderr) = run(&mut ticketing(&[
        "--base-url",
        "http://127.0.0.1:9",
        "--token",
        TOKEN,
        "ossj",
        "get-trouble-ticket",
        "--ticket-id",
        "INST-7902",
    ]));
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("could not reach http://127.0.0.1:9/troubleTicket/INST-7902"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret-token"), "{stderr}");
}

fn ossj_ticket(state: &str) -> Value {
    json!({ "id": "INST-7902", "baseTroubleTicketState": state, "attachments": [] })
}

#[test]
fn a_forbidden_transaction_is_refused_before_any_request() {
    let server = MockServer::start();
    let read = server.mock(|when, then| {
        when.method(Method::GET).path("/troubleTicket/INST-7902");
        then.status(200).json_body(ossj_ticket("OPENACTIVE"));
    });
    let write = server.mock(|when, then| {
        when.method(Method::PATCH);
        then.status(200).json_body(ossj_ticket("CLOSED"));
    });
    let (code, _, stderr) = run(&mut ticketing(&[
        "--base-url",
        &server.base_url(),
        "ossj",
        "apply",
        "TU09",
        "--as",
        "TU",
        "--ticket-id",
        "INST-7902",
        "--dialog",
        "Cerramos.",
    ]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "TU09 (Closes ticket) is not allowed from state OPENACTIVE; the TU may send from OPENACTIVE: TU10"
        ),
        "{stderr}"
    );
    read.assert();
    write.assert_calls(0);

    // The right role, the wrong role.
    let (code, _, stderr) = run(&mut ticketing(&[
        "--base-url",
        &server.base_url(),
        "ossj",
        "apply",
        "TO05",
        "--as",
        "TU",
        "--ticket-id",
        "INST-7902",
    ]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("is sent by the TO, but this client acts as the TU"),
        "{stderr}"
    );
    write.assert_calls(0);
}

#[test]
fn an_allowed_transaction_is_applied() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(Method::GET).path("/troubleTicket/INST-7902");
        then.status(200).json_body(ossj_ticket("OPENACTIVE"));
    });
    let write = server.mock(|when, then| {
        when.method(Method::PATCH)
            .path("/troubleTicket/INST-7902")
            .json_body(json!({
                "baseTroubleTicketState": "DEFERRED.AWAITING-INFORMATION",
                "dialog": "Número de serie de la ONT, por favor."
            }));
        then.status(200)
            .json_body(ossj_ticket("DEFERRED.AWAITING-INFORMATION"));
    });
    let (code, stdout, stderr) = run(&mut ticketing(&[
        "--base-url",
        &server.base_url(),
        "ossj",
        "apply",
        "TO05",
        "--as",
        "TO",
        "--ticket-id",
        "INST-7902",
        "--dialog",
        "Número de serie de la ONT, por favor.",
    ]));
    assert_eq!(code, 0, "{stderr}");
    write.assert();
    assert_eq!(
        serde_json::from_str::<Value>(&stdout).unwrap()["baseTroubleTicketState"],
        "DEFERRED.AWAITING-INFORMATION"
    );
}

#[test]
fn the_token_is_never_shown_in_help() {
    let (code, stdout, _) =
        run(ticketing(&["v2", "get-ticket", "--help"]).env("MASSTACK_TOKEN", TOKEN));
    assert_eq!(code, 0);
    assert!(stdout.contains("[env: MASSTACK_TOKEN]"), "{stdout}");
    assert!(!stdout.contains("secret-token"), "{stdout}");
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, stdout, stderr) = run(&mut ticketing(&["completions", shell]));
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("get-ticket"), "{shell}");
        assert!(stdout.contains("apply"), "{shell}");
    }
}

#[test]
fn help_snapshots() {
    let (code, stdout, _) = run(&mut ticketing(&["--help"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!("ticketing_help", stdout);

    let (code, stdout, _) = run(&mut ticketing(&["v2", "--help"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!("ticketing_v2_help", stdout);

    let (code, stdout, _) = run(&mut ticketing(&["v2", "get-ticket", "--help"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!("ticketing_v2_get_ticket_help", stdout);

    let (code, stdout, _) = run(&mut ticketing(&["ossj", "apply", "--help"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!("ticketing_ossj_apply_help", stdout);
}
