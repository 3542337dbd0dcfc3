//! The bodies of the generated clients' `ClientHooks` implementations.

use std::fmt;
use std::time::Instant;

use progenitor_client::{Error, OperationInfo};
use reqwest::header::CONTENT_TYPE;
use tracing::Instrument;
use tracing::field::Empty;

use crate::session::Session;

/// Before sending: auth header in, `api-version` out.
pub async fn pre<E>(session: &Session, request: &mut reqwest::Request) -> Result<(), Error<E>> {
    session
        .prepare(request)
        .await
        .map_err(|e| Error::Custom(e.to_string()))
}

/// Sends the request inside a `masstack_request` span that records the
/// operation id, method, path, status and latency. An error status with a
/// body that is not JSON (a proxy's HTML page) is read here and kept, so
/// [`post`] can report it with its status.
pub async fn exec(
    client: &reqwest::Client,
    request: reqwest::Request,
    info: &OperationInfo,
) -> reqwest::Result<reqwest::Response> {
    let span = tracing::info_span!(
        "masstack_request",
        operation = operation_id(info.operation_id),
        method = %request.method(),
        path = request.url().path(),
        status = Empty,
        latency_ms = Empty,
    );
    let recorder = span.clone();
    async move {
        let start = Instant::now();
        let result = client.execute(request).await;
        let span = recorder;
        span.record("latency_ms", start.elapsed().as_millis() as u64);
        match &result {
            Ok(response) => {
                span.record("status", response.status().as_u16());
            }
            Err(e) => tracing::warn!(error = %e, "request failed"),
        }
        keep_non_json_error(result?).await
    }
    .instrument(span)
    .await
}

/// After receiving: turns a kept non-JSON error body into an error that
/// names the status and shows the body.
// The error type is the one progenitor's `ClientHooks::post` returns.
#[allow(clippy::result_large_err)]
pub fn post<E>(result: &reqwest::Result<reqwest::Response>) -> Result<(), Error<E>> {
    match result {
        Ok(response) => match response.extensions().get::<NonJsonError>() {
            Some(e) => Err(Error::Custom(e.to_string())),
            None => Ok(()),
        },
        Err(_) => Ok(()),
    }
}

/// An error response whose body is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonJsonError {
    pub status: reqwest::StatusCode,
    pub content_type: Option<String>,
    pub body: String,
}

/// How much of a non-JSON body an error message shows.
const BODY_LIMIT: usize = 2000;

impl fmt::Display for NonJsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} with a body that is not JSON", self.status)?;
        if let Some(ct) = &self.content_type {
            write!(f, " ({ct})")?;
        }
        let body: String = self.body.chars().take(BODY_LIMIT).collect();
        let more = if body.len() < self.body.len() {
            "…"
        } else {
            ""
        };
        if body.is_empty() {
            f.write_str(": empty body")
        } else {
            write!(f, ": {body}{more}")
        }
    }
}

async fn keep_non_json_error(response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response);
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let version = response.version();
    let headers = response.headers().clone();
    let bytes = response.bytes().await?;
    // The body decides, not the content type: some servers label JSON
    // `text/plain` or not at all.
    let is_json = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok();
    let mut rebuilt = http::Response::new(bytes.clone());
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    if !is_json {
        rebuilt.extensions_mut().insert(NonJsonError {
            status,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
    Ok(reqwest::Response::from(rebuilt))
}

/// progenitor's `OperationInfo` carries the method name
/// (`get_trouble_ticket`); spans and logs use the spec's operationId
/// (`getTroubleTicket`), which that name was made from.
pub fn operation_id(method_name: &str) -> String {
    let mut out = String::with_capacity(method_name.len());
    let mut upper = false;
    for c in method_name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
