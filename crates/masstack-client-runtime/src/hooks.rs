//! The bodies of the generated clients' `ClientHooks` implementations:
//! auth before sending; retries, the body limit, the observer and the
//! tracing span around sending; the body-limit and interrupted-body errors
//! after.

use std::fmt;
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use progenitor_client::{Error, OperationInfo};
use reqwest::header::RETRY_AFTER;
use reqwest::{Method, StatusCode, Url};
use tracing::Instrument;
use tracing::field::Empty;

use crate::observe::{Answered, Exchange};
use crate::retry::{Attempt, parse_retry_after};
use crate::session::Session;

/// Before sending: auth header in, `api-version` out.
pub async fn pre<E>(session: &Session, request: &mut reqwest::Request) -> Result<(), Error<E>> {
    session
        .prepare(request)
        .await
        .map_err(|e| Error::Custom(e.to_string()))
}

/// Sends the request, retrying as the session's policy allows, inside a
/// `masstack_request` span (operation id, method, path, status, attempts,
/// latency). The body is read here, up to the session's limit, so that
/// nothing the server said is lost whatever the status: the response
/// returned carries it, and an [`Answered`] extension with the request.
pub async fn exec(
    session: &Session,
    client: &reqwest::Client,
    request: reqwest::Request,
    info: &OperationInfo,
) -> reqwest::Result<reqwest::Response> {
    let span = tracing::info_span!(
        "masstack_request",
        operation = info.operation_id,
        method = %request.method(),
        path = request.url().path(),
        status = Empty,
        attempts = Empty,
        latency_ms = Empty,
    );
    let operation_id = info.operation_id;
    // Recorded through a handle: not every subscriber tracks the current span.
    let recorder = span.clone();
    async move {
        let start = Instant::now();
        let method = request.method().clone();
        let url = request.url().clone();
        let (result, attempts) = send(session, client, request).await;
        let span = recorder;
        span.record("attempts", attempts);
        span.record("latency_ms", start.elapsed().as_millis() as u64);
        let response = match result {
            Ok(response) => response,
            Err(e) => {
                tracing::warn!(error = %crate::report::chain(&e), "request failed");
                return Err(e);
            }
        };
        span.record("status", response.status().as_u16());
        buffer(session, response, operation_id, method, url).await
    }
    .instrument(span)
    .await
}

/// The attempts of one request; returns the last result and their number.
async fn send(
    session: &Session,
    client: &reqwest::Client,
    request: reqwest::Request,
) -> (reqwest::Result<reqwest::Response>, u32) {
    let policy = &session.retry;
    let method = request.method().clone();
    let retrying = policy.applies_to(&method);
    let mut next = Some(request);
    let mut attempts = 0;
    loop {
        let Some(request) = next.take() else {
            unreachable!("a request is kept for every retry")
        };
        // A streaming body cannot be sent twice: then this is the only try.
        if retrying {
            next = request.try_clone();
        }
        let result = client.execute(request).await;
        attempts += 1;
        let attempt = match &result {
            Ok(response) => Attempt::Answered {
                status: response.status(),
                retry_after: response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now())),
            },
            Err(e) if (e.is_connect() || e.is_timeout()) && !is_tls_failure(e) => {
                Attempt::Unreachable
            }
            Err(_) => return (result, attempts),
        };
        let wait = match next {
            Some(_) => policy.delay(&method, attempts, attempt),
            None => None,
        };
        let Some(wait) = wait else {
            return (result, attempts);
        };
        match &result {
            Ok(r) => tracing::info!(
                status = r.status().as_u16(),
                wait_ms = wait.as_millis() as u64,
                "retrying"
            ),
            Err(e) => {
                tracing::info!(error = %crate::report::chain(e), wait_ms = wait.as_millis() as u64, "retrying")
            }
        }
        drop(result);
        tokio::time::sleep(wait).await;
    }
}

/// A certificate or handshake problem: trying again cannot fix it. TLS
/// stacks report these as `InvalidData` I/O errors, which may sit inside
/// another I/O error (whose `source` skips them, so both are looked into).
fn is_tls_failure(e: &reqwest::Error) -> bool {
    fn invalid_data(e: &(dyn std::error::Error + 'static)) -> bool {
        match e.downcast_ref::<std::io::Error>() {
            Some(io) if io.kind() == std::io::ErrorKind::InvalidData => true,
            Some(io) => io.get_ref().is_some_and(|inner| invalid_data(inner)),
            None => false,
        }
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if invalid_data(s) {
            return true;
        }
        source = s.source();
    }
    false
}

/// Reads the whole body (up to the limit) and returns an equivalent
/// response that holds it, with the request it answers in its extensions.
async fn buffer(
    session: &Session,
    mut response: reqwest::Response,
    operation_id: &'static str,
    method: Method,
    url: Url,
) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let version = response.version();
    let headers = std::mem::take(response.headers_mut());
    let limit = session.max_response_bytes;
    let declared = response.content_length();
    let body = match read_limited(response, limit).await {
        Ok(Some(body)) => body,
        // The server answered: its status, headers and what came of the
        // body are kept, and the error says the body broke off.
        Err(broken) => {
            let mut marker = http::Response::new(Bytes::new());
            *marker.status_mut() = status;
            *marker.headers_mut() = headers;
            marker.extensions_mut().insert(BodyInterrupted {
                operation_id,
                status,
                method: method.clone(),
                url: url.clone(),
                received: broken.received.len(),
                declared,
                silent_for: broken.silent_for,
                timed_out: broken.error.is_timeout(),
                cause: crate::report::chain(&broken.error),
            });
            marker.extensions_mut().insert(Answered {
                operation_id,
                method,
                url,
                body: broken.received,
            });
            return Ok(marker.into());
        }
        Ok(None) => {
            let mut marker = http::Response::new(Bytes::new());
            *marker.status_mut() = status;
            *marker.headers_mut() = headers;
            marker.extensions_mut().insert(BodyTooLarge {
                operation_id,
                status,
                method,
                url,
                limit,
                declared,
            });
            return Ok(marker.into());
        }
    };
    if let Some(observer) = &session.observer {
        observer(&Exchange {
            operation_id,
            method: &method,
            url: &url,
            status,
            headers: &headers,
            body: &body,
        });
    }
    let mut rebuilt = http::Response::new(body.clone());
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    rebuilt.extensions_mut().insert(Answered {
        operation_id,
        method,
        url,
        body,
    });
    Ok(rebuilt.into())
}

/// A body read that failed after the status and headers had arrived.
struct Broken {
    error: reqwest::Error,
    /// What had come of the body.
    received: Bytes,
    /// Since the last bytes arrived (or the headers, when none did).
    silent_for: std::time::Duration,
}

/// The body, or `None` when it is larger than `limit` (checked against
/// `Content-Length` first, then while reading, after decompression).
async fn read_limited(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Option<Bytes>, Broken> {
    if response.content_length().is_some_and(|len| len > limit) {
        return Ok(None);
    }
    let capacity = response
        .content_length()
        .unwrap_or(0)
        .min(limit)
        .min(1 << 20);
    let mut body = Vec::with_capacity(capacity as usize);
    let mut last = Instant::now();
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(Some(Bytes::from(body))),
            Err(error) => {
                return Err(Broken {
                    error,
                    received: Bytes::from(body),
                    silent_for: last.elapsed(),
                });
            }
        };
        if (body.len() + chunk.len()) as u64 > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
        last = Instant::now();
    }
}

/// After receiving: a body over the limit becomes an error that says so;
/// a body that broke off becomes `Error::UnexpectedResponse` with the
/// status, the headers and the bytes that came, and a [`BodyInterrupted`]
/// extension that its report reads.
// The error type is the one progenitor's `ClientHooks::post` returns.
#[allow(clippy::result_large_err)]
pub fn post<E>(result: &reqwest::Result<reqwest::Response>) -> Result<(), Error<E>> {
    let Ok(response) = result else {
        return Ok(());
    };
    if let Some(e) = response.extensions().get::<BodyTooLarge>() {
        return Err(Error::Custom(e.to_string()));
    }
    let Some(broken) = response.extensions().get::<BodyInterrupted>() else {
        return Ok(());
    };
    // The error owns a response; the one given is only lent.
    let mut kept = http::Response::new(Bytes::new());
    *kept.status_mut() = response.status();
    *kept.version_mut() = response.version();
    *kept.headers_mut() = response.headers().clone();
    kept.extensions_mut().insert(broken.clone());
    if let Some(answered) = response.extensions().get::<Answered>() {
        kept.extensions_mut().insert(answered.clone());
    }
    Err(Error::UnexpectedResponse(kept.into()))
}

/// A response whose status and headers arrived but whose body broke off: the
/// server stopped sending until the timeout, or the connection failed.
#[derive(Debug, Clone)]
pub struct BodyInterrupted {
    operation_id: &'static str,
    status: StatusCode,
    method: Method,
    url: Url,
    received: usize,
    declared: Option<u64>,
    silent_for: std::time::Duration,
    timed_out: bool,
    cause: String,
}

impl fmt::Display for BodyInterrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the answer to {} ({} {}) started with HTTP {}, then its body ",
            self.operation_id, self.method, self.url, self.status
        )?;
        if self.timed_out {
            write!(
                f,
                "stopped for {:.1} s until the timeout ended the call",
                self.silent_for.as_secs_f64()
            )?;
        } else {
            write!(f, "broke off: {}", self.cause)?;
        }
        write!(f, " ({} bytes received", self.received)?;
        if let Some(len) = self.declared {
            write!(f, " of {len} announced")?;
        }
        f.write_str(")")
    }
}

/// A response body over [`crate::ClientConfig::max_response_bytes`].
#[derive(Debug, Clone)]
pub struct BodyTooLarge {
    operation_id: &'static str,
    status: StatusCode,
    method: Method,
    url: Url,
    limit: u64,
    declared: Option<u64>,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response to {} (HTTP {} from {} {}) is larger than the limit of {} bytes",
            self.operation_id, self.status, self.method, self.url, self.limit
        )?;
        if let Some(len) = self.declared {
            write!(f, " (Content-Length: {len})")?;
        }
        f.write_str(
            "; raise it with `ClientConfig::max_response_bytes` if such answers are expected",
        )
    }
}
