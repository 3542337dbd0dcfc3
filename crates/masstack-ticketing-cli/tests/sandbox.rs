//! `ticketing sandbox` as a user runs it, and the CLI driven through whole
//! scenarios against it: the README's examples unchanged but for
//! `--base-url`, a ticket's life, the OSSJ lifecycle refused server-side.

#![cfg(feature = "sandbox")]

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use common::ticketing;
use serde_json::{Value, json};

/// A `ticketing sandbox` process, killed when dropped.
struct Running {
    child: Child,
    url: String,
    ca: Option<PathBuf>,
}

impl Running {
    fn start(args: &[&str]) -> Self {
        let mut child = Process::new(assert_cmd::cargo::cargo_bin("ticketing"))
            .arg("sandbox")
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let (mut url, mut ca) = (None, None);
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(u) = line.strip_prefix("v2 base URL:") {
                url = Some(u.trim().to_owned());
            }
            if let Some(path) = line.strip_prefix("CA certificate:") {
                ca = Some(PathBuf::from(path.trim()));
            }
            if line.starts_with("Faults:") {
                break;
            }
        }
        Self {
            child,
            url: url.expect("the sandbox prints its base URL"),
            ca,
        }
    }

    /// `ticketing --base-url <url> [--ca-cert <ca>]` with a clean
    /// environment and `token`.
    fn cli(&self, token: &str) -> Command {
        let mut command = ticketing();
        command
            .env("MASSTACK_TOKEN", token)
            .env("TICKETING_PROVIDER", "JAM")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .arg("--base-url")
            .arg(&self.url);
        if let Some(ca) = &self.ca {
            command.arg("--ca-cert").arg(ca);
        }
        command
    }

    /// Stops it as CI does (SIGTERM); returns its stderr.
    fn terminate(mut self) -> (bool, String) {
        let pid = self.child.id().to_string();
        assert!(
            Process::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let output = std::mem::replace(&mut self.child, Process::new("true").spawn().unwrap())
            .wait_with_output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `command`; its stdout as JSON, after checking the exit code.
fn json_of(command: &mut Command, code: i32) -> Value {
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "stderr: {stderr}");
    serde_json::from_slice(&output.stdout).unwrap_or(Value::Null)
}

fn file(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).unwrap();
    path
}

#[test]
fn the_readme_examples_work_against_the_sandbox() {
    let sandbox = Running::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let ticket = json_of(
        sandbox.cli("any-token").args([
            "v2",
            "get-ticket",
            "--org",
            "yoigo",
            "--ticket-id",
            "INST-7902",
        ]),
        0,
    );
    assert_eq!(ticket["summary"], "Cita - Y28257924");
    let created = json_of(
        sandbox.cli("any-token").args(["v2", "create-ticket", "--org", "yoigo", "--body-file"]).arg(file(
            dir.path(),
            "ticket.json",
            &json!({ "project": "INST", "ticketType": "Incidencia", "summary": "Cita - Y28257924" }),
        )),
        0,
    );
    assert_eq!(created["key"], "INST-7903");
    let trouble = json_of(
        sandbox
            .cli("any-token")
            .args(["ossj", "get-trouble-ticket", "--ticket-id", "INST-7902"]),
        0,
    );
    assert_eq!(trouble["baseTroubleTicketState"], "OPENACTIVE");
    let applied = json_of(
        sandbox.cli("any-token").args([
            "ossj",
            "apply",
            "TO05",
            "--as",
            "TO",
            "--ticket-id",
            "INST-7902",
            "--dialog",
            "¿Número de serie de la ONT?",
        ]),
        0,
    );
    assert_eq!(
        applied["baseTroubleTicketState"],
        "DEFERRED.AWAITING-INFORMATION"
    );
    let types = json_of(sandbox.cli("any-token").args(["v2", "get-ticket-types"]), 0);
    assert_eq!(types[0][0]["projectKey"], "EKT");

    let (clean, stderr) = sandbox.terminate();
    assert!(clean, "{stderr}");
    assert!(stderr.contains("sandbox stopped"), "{stderr}");
}

#[test]
fn a_ticket_s_life_through_the_cli() {
    let sandbox = Running::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cli = || sandbox.cli("sandbox");
    let created = json_of(
        cli().args(["v2", "create-ticket", "--org", "yoigo", "--body-file"]).arg(file(
            d,
            "t.json",
            &json!({ "project": "MAS", "ticketType": "Avería (FTTH)", "summary": "Sin señal", "customFields": { "line": "678900000" } }),
        )),
        0,
    );
    let key = created["key"].as_str().unwrap().to_owned();
    let comment = json_of(
        cli()
            .args(["v2", "create-comment", "--ticket-id", &key, "--body-file"])
            .arg(file(d, "c.json", &json!({ "body": "ONT sin luz PON" }))),
        0,
    );
    assert_eq!(comment["ticketId"], key.as_str());
    let attached = json_of(
        cli().args(["v2", "create-attachment", "--ticket-id", &key, "--body-file"]).arg(file(
            d,
            "a.json",
            &json!({ "name": "foto.jpg", "data": "/9j/4AAQSkZJRgABAQAAAQABAAD/", "mimeType": "image/jpeg" }),
        )),
        0,
    );
    assert_eq!(attached["size"], 21);
    json_of(
        cli()
            .args([
                "v2",
                "transition-ticket",
                "--org",
                "yoigo",
                "--ticket-id",
                &key,
                "--body-file",
            ])
            .arg(file(d, "tr.json", &json!({ "transitionId": 21 }))),
        0,
    );
    json_of(
        cli().args(["v2", "create-issue-link", "--body-file"]).arg(file(
            d,
            "l.json",
            &json!({ "type": { "name": "Duplicate" }, "inwardIssue": { "key": key }, "outwardIssue": { "key": "INST-7902" } }),
        )),
        0,
    );
    let found = json_of(
        cli().args([
            "v2",
            "search-tickets-by-jql",
            "--org",
            "yoigo",
            "--jql",
            "status = RESUELTO AND comment ~ 'sin luz'",
        ]),
        0,
    );
    assert_eq!(found["total"], 1);
    assert_eq!(found["tickets"][0]["key"], key.as_str());
    let found = json_of(
        cli().args([
            "v2",
            "search-tickets-by-id-params",
            "--org",
            "yoigo",
            "--line",
            "678900000",
        ]),
        0,
    );
    assert_eq!(found["tickets"][0]["key"], key.as_str());

    // A bad request: exit 1, the documented error on stderr.
    let output = cli()
        .args([
            "v2",
            "search-tickets-by-jql",
            "--org",
            "yoigo",
            "--jql",
            "status RESUELTO",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("HTTP 400")
            && stderr.contains("query parameter `jql`: expected an operator"),
        "{stderr}"
    );
}

#[test]
fn the_lifecycle_is_enforced_by_the_sandbox_too() {
    let sandbox = Running::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let create =
        serde_json::to_value(masstack_ticketing_ossj::examples::trouble_ticket_create()).unwrap();
    let opened = json_of(
        sandbox
            .cli("TU-team")
            .args(["ossj", "apply", "TU01", "--as", "TU", "--body-file"])
            .arg(file(d, "create.json", &create)),
        0,
    );
    let id = opened["id"].as_str().unwrap().to_owned();
    json_of(
        sandbox.cli("TO-team").args([
            "ossj",
            "apply",
            "TO07",
            "--as",
            "TO",
            "--ticket-id",
            &id,
            "--dialog",
            "Resuelto",
        ]),
        0,
    );

    // The generated subcommand sends the body as is: no client-side check.
    let output = sandbox
        .cli("TO-team")
        .args([
            "ossj",
            "update-trouble-ticket",
            "--ticket-id",
            &id,
            "--body-file",
        ])
        .arg(file(
            d,
            "u.json",
            &json!({ "baseTroubleTicketState": "DEFERRED.AWAITING-INFORMATION", "dialog": "?" }),
        ))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("HTTP 400"), "{stderr}");
    assert!(
        stderr.contains("TO05 (Requests additional information) is not allowed from state CLEARED; the ticket is in state CLEARED, where the TO may send: TO-CLOSES-AFTER-WARRANTY"),
        "{stderr}"
    );

    // The TU closes it; the TU token cannot play the TO.
    let output = sandbox
        .cli("TU-team")
        .args([
            "ossj",
            "update-trouble-ticket",
            "--ticket-id",
            &id,
            "--body-file",
        ])
        .arg(file(
            d,
            "w.json",
            &json!({ "baseTroubleTicketState": "DEFERRED.AWAITING-INFORMATION", "dialog": "?" }),
        ))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("is sent by the TO, but the token acts as the TU")
    );
    let closed = json_of(
        sandbox.cli("TU-team").args([
            "ossj",
            "apply",
            "TU09",
            "--as",
            "TU",
            "--ticket-id",
            &id,
            "--dialog",
            "OK",
        ]),
        0,
    );
    assert_eq!(closed["baseTroubleTicketState"], "CLOSED");
}

#[test]
fn with_tls_it_prints_the_ca_to_trust() {
    let sandbox = Running::start(&["--tls"]);
    assert!(
        sandbox.url.starts_with("https://127.0.0.1:"),
        "{}",
        sandbox.url
    );
    let ca = sandbox.ca.clone().expect("the CA path is printed");
    assert!(
        std::fs::read_to_string(&ca)
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    let ticket = json_of(
        sandbox.cli("x").args([
            "v2",
            "get-ticket",
            "--org",
            "yoigo",
            "--ticket-id",
            "INST-7902",
        ]),
        0,
    );
    assert_eq!(ticket["key"], "INST-7902");
}

#[test]
fn a_corrupt_state_file_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, "{ not json").unwrap();
    let output = Command::cargo_bin("ticketing")
        .unwrap()
        .args(["sandbox", "--port", "0", "--state"])
        .arg(&path)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the sandbox did not start: state file"),
        "{stderr}"
    );
    assert!(stderr.contains("is not a sandbox state file"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
}
