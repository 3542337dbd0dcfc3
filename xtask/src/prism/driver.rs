//! The driver of one spec: a binary crate beside the spec's client in the
//! corpus's scratch workspace, calling the client as a user would and
//! printing one JSON line per call (see [`super::verdict::Line`]).

use std::fmt::Write as _;

use super::plan::{Call, Plan};

/// The package name of the driver of the client package `client`.
pub fn package(client: &str) -> String {
    format!("prism-driver-{client}")
}

/// The driver's `Cargo.toml`: the client's own dependencies (its setters'
/// types may name them: `chrono`, `uuid`), read from `client_manifest`, the
/// client, and what the driver itself uses.
pub fn cargo_toml(client: &str, client_manifest: &str) -> Result<String, String> {
    let client_doc: toml_edit::DocumentMut = client_manifest
        .parse()
        .map_err(|e| format!("the client's Cargo.toml: {e}"))?;
    let mut doc: toml_edit::DocumentMut = format!(
        "# Written by `cargo xtask prism`: calls the `{client}` client against Prism.\n[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition.workspace = true\npublish = false\n\n[dependencies]\n{client} = {{ path = \"../{client}\" }}\n",
        package(client)
    )
    .parse()
    .map_err(|e| format!("the driver's Cargo.toml: {e}"))?;
    let deps = doc["dependencies"]
        .as_table_mut()
        .expect("written as a table");
    if let Some(theirs) = client_doc.get("dependencies").and_then(|d| d.as_table()) {
        for (name, item) in theirs {
            // The driver uses them directly: none is optional for it.
            let mut item = item.clone();
            if let Some(table) = item.as_inline_table_mut() {
                table.remove("optional");
            } else if let Some(table) = item.as_table_mut() {
                table.remove("optional");
            }
            deps.insert(name, item);
        }
    }
    for (name, spec) in [
        ("serde", r#"{ version = "1" }"#),
        ("serde_json", r#"{ version = "1" }"#),
        ("tokio", r#"{ version = "1", features = ["rt"] }"#),
        (
            "reqwest",
            r#"{ version = "0.13", default-features = false }"#,
        ),
        ("progenitor-client", r#"{ version = "0.15.1" }"#),
        ("masstack-client-runtime", r"{ workspace = true }"),
    ] {
        if !deps.contains_key(name) {
            let value: toml_edit::Value = spec.parse().expect("a constant inline table");
            deps.insert(name, toml_edit::Item::Value(value));
        }
    }
    Ok(doc.to_string())
}

/// The driver's `src/main.rs`.
pub fn main_rs(client: &str, plan: &Plan) -> String {
    let mut out = format!(
        "//! Written by `cargo xtask prism` from the spec of `{client}`: every GET\n//! operation, then each documented error status asked of Prism.\n#![allow(unused_imports, unused_assignments, clippy::all)]\n\nuse {} as api;\nuse api::types;\n{PRELUDE}\n",
        client.replace('-', "_")
    );
    let _ = writeln!(
        out,
        "/// A credential of each security scheme Prism checks for.\nconst CREDENTIALS: &[(&str, &str)] = &{:?};\n/// The query parameter of an `apiKey` scheme in the query.\nconst QUERY_KEY: Option<&str> = {:?};\n",
        plan.credentials, plan.query_key
    );
    out.push_str("async fn run(base: &str, only: Option<Vec<String>>) {\n    let plain = client(base, None);\n    let wanted = |op: &str| only.as_ref().is_none_or(|o| o.iter().any(|w| w == op));\n");
    let gets = plan.gets.iter().filter_map(|g| g.as_ref().ok());
    for (i, call) in gets.clone().enumerate() {
        let _ = writeln!(
            out,
            "    if wanted({0:?}) {{\n        observe(\"get\", {0:?}, None, get_{i}(&plain).await).await;\n    }}",
            call.operation_id
        );
    }
    out.push_str("    if only.is_some() {\n        return;\n    }\n");
    for (p, probe) in plan.probes.iter().enumerate() {
        if probe.candidates.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "    let prefer = client(base, Some({}));\n    let mut answered = false;",
            probe.code
        );
        for (c, call) in probe.candidates.iter().enumerate() {
            let _ = writeln!(
                out,
                "    if !answered {{\n        answered = observe(\"error\", {:?}, Some(({:?}, {})), probe_{p}_{c}(&prefer).await).await;\n    }}",
                call.operation_id, probe.status, probe.code
            );
        }
    }
    out.push_str("}\n");
    for (i, call) in gets.enumerate() {
        out.push_str(&call_fn(&format!("get_{i}"), call));
    }
    for (p, probe) in plan.probes.iter().enumerate() {
        for (c, call) in probe.candidates.iter().enumerate() {
            out.push_str(&call_fn(&format!("probe_{p}_{c}"), call));
        }
    }
    out
}

/// One call as a function: each setter's value deserialized from the
/// spec's JSON into the setter's type, then `send`.
fn call_fn(name: &str, call: &Call) -> String {
    let mut out = format!(
        "\nasync fn {name}(client: &api::Client) -> Sent<impl Sized, impl Sized> {{\n    let call = client.{}();\n",
        call.method
    );
    for arg in &call.args {
        let _ = writeln!(
            out,
            "    // `{}`: {:?} value\n    let call = match value::<{}>({:?}, {:?}) {{\n        Ok(v) => call.{}(v),\n        Err(e) => return Err(e),\n    }};",
            arg.name,
            arg.source,
            arg.ty,
            arg.name,
            arg.value.to_string(),
            arg.setter
        );
    }
    out.push_str("    Ok(call.send().await)\n}\n");
    out
}

/// What every driver shares: the client (with `Prefer: code=…` when
/// asked), the values, and one JSON line per call.
const PRELUDE: &str = r#"
use progenitor_client::{Error, ResponseValue};
use serde_json::json;

/// A call's result, or why it was not sent.
type Sent<T, E> = Result<Result<ResponseValue<T>, Error<E>>, String>;

/// `driver BASE_URL [OPERATION,...]`: every call, or only these GETs.
fn main() {
    let base = std::env::args().nth(1).expect("usage: driver BASE_URL [OPERATION,...]");
    let only = std::env::args()
        .nth(2)
        .map(|o| o.split(',').map(str::to_owned).collect());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    runtime.block_on(run(&base, only));
}

/// The client as a user configures it (no retries: Prism's 5xx are
/// asked for), with `Prefer: code=CODE` on every request when given.
fn client(base: &str, prefer: Option<u16>) -> api::Client {
    let config = masstack_client_runtime::ClientConfig::new(base)
        .retry(masstack_client_runtime::RetryPolicy::none())
        .no_proxy();
    let (base, _, session) = match QUERY_KEY {
        Some(name) => config.api_key("prism-key").into_parts_for(masstack_client_runtime::AuthSchemes {
            api_key: Some(masstack_client_runtime::ApiKeyLocation::Query(name)),
        }),
        None => config.into_parts(),
    }
    .expect("a plain HTTP configuration");
    let mut headers = reqwest::header::HeaderMap::new();
    for (name, value) in CREDENTIALS {
        let name = reqwest::header::HeaderName::from_static(name);
        headers.insert(name, reqwest::header::HeaderValue::from_static(value));
    }
    if let Some(code) = prefer {
        let value = reqwest::header::HeaderValue::from_str(&format!("code={code}"));
        headers.insert("prefer", value.expect("a header value"));
    }
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .no_proxy()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("a reqwest client");
    api::Client::new_with_client(&base, http, session)
}

/// `json` (the spec's value) as the setter's type.
fn value<T: serde::de::DeserializeOwned>(name: &str, json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|e| {
        format!(
            "parameter `{name}`: {json} is not a `{}`: {e}",
            std::any::type_name::<T>()
        )
    })
}

fn text(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(4000)]).into_owned()
}

/// Prism's reasons for refusing a request (`sl-violations`).
fn violations(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let value = headers.get("sl-violations")?;
    Some(String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// Prints the call's line; true when it went as hoped: decoded for a GET,
/// the asked status decoded as a documented error for a probe.
async fn observe<T, E>(
    phase: &str,
    operation: &str,
    asked: Option<(&str, u16)>,
    sent: Sent<T, E>,
) -> bool {
    let (line, ok) = match sent {
        Err(reason) => (json!({"outcome": "not_sent", "reason": reason}), false),
        Ok(Ok(v)) => {
            let status = v.status().as_u16();
            (json!({"outcome": "decoded", "status": status}), asked.is_none())
        }
        Ok(Err(Error::ErrorResponse(v))) => {
            let status = v.status().as_u16();
            let line = json!({
                "outcome": "error_decoded",
                "status": status,
                "violations": violations(v.headers()),
            });
            (line, asked.is_some_and(|(_, code)| code == status))
        }
        Ok(Err(Error::InvalidResponsePayload(body, e))) => {
            let line = json!({"outcome": "not_decoded", "reason": e.to_string(), "body": text(&body)});
            (line, false)
        }
        Ok(Err(Error::UnexpectedResponse(response))) => {
            let status = response.status().as_u16();
            let found = violations(response.headers());
            let body = response.bytes().await.map(|b| text(&b)).unwrap_or_default();
            let line = json!({
                "outcome": "unexpected",
                "status": status,
                "violations": found,
                "body": body,
            });
            (line, false)
        }
        Ok(Err(Error::CommunicationError(e))) if e.is_redirect() => {
            (json!({"outcome": "redirect", "reason": e.to_string()}), false)
        }
        Ok(Err(e)) => {
            let reason = match e {
                Error::InvalidRequest(m) | Error::Custom(m) => m,
                Error::CommunicationError(e)
                | Error::InvalidUpgrade(e)
                | Error::ResponseBodyError(e) => e.to_string(),
                _ => "another error".to_owned(),
            };
            (json!({"outcome": "failed", "reason": reason}), false)
        }
    };
    let mut line = line;
    line["phase"] = json!(phase);
    line["operation"] = json!(operation);
    if let Some((status, code)) = asked {
        line["asked"] = json!({"status": status, "code": code});
    }
    println!("{line}");
    ok
}
"#;
