//! Everything a failed call knows, for programs and for people.

use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use progenitor_client::Error;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::Serialize;

use crate::hooks::BodyInterrupted;
use crate::observe::Answered;

/// How much of a body an error report shows.
const BODY_SHOWN: usize = 2000;

/// What a generated client's error says about the server's answer, for
/// every kind of error that has one.
pub trait ErrorDetails {
    /// The status, when the server answered (also for a body that did not
    /// parse, which progenitor's `status()` does not give).
    fn response_status(&self) -> Option<StatusCode>;
    /// The response headers, when the server answered.
    fn response_headers(&self) -> Option<&HeaderMap>;
    /// The body as received, when the error holds it: an undocumented
    /// status, an error body that is not the documented type, a body that
    /// did not parse, the part of a body that broke off (an
    /// `UnexpectedResponse` whose report says so). (`ErrorResponse` holds
    /// the typed value instead.)
    fn response_body(&self) -> Option<&Bytes>;
    /// The server's `Retry-After`, as a delay from now.
    fn retry_after(&self) -> Option<Duration>;
    /// A report for people: what was asked, what came back, and every cause.
    fn report(&self) -> Report<'_, Self>
    where
        Self: Sized,
    {
        Report(self)
    }
}

impl<E> ErrorDetails for Error<E> {
    fn response_status(&self) -> Option<StatusCode> {
        match self {
            Error::InvalidResponsePayload(_, e) => status_in(&e.to_string()),
            other => other.status(),
        }
    }

    fn response_headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::ErrorResponse(rv) => Some(rv.headers()),
            Error::UnexpectedResponse(r) => Some(r.headers()),
            _ => None,
        }
    }

    fn response_body(&self) -> Option<&Bytes> {
        match self {
            Error::UnexpectedResponse(r) => r.extensions().get::<Answered>().map(|a| &a.body),
            Error::InvalidResponsePayload(body, _) => Some(body),
            _ => None,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        let value = self.response_headers()?.get(RETRY_AFTER)?.to_str().ok()?;
        crate::retry::parse_retry_after(value, SystemTime::now())
    }
}

/// `HTTP 200 OK from …` at the start of a decode error's message.
fn status_in(message: &str) -> Option<StatusCode> {
    let code = message.strip_prefix("HTTP ")?.get(..3)?;
    StatusCode::from_bytes(code.as_bytes()).ok()
}

/// [`ErrorDetails::report`]: displays a progenitor error with the request,
/// the status, the body (control characters escaped, so a hostile body
/// cannot drive the terminal) and the whole chain of causes.
pub struct Report<'a, T>(&'a T);

impl<E: Serialize> fmt::Display for Report<'_, Error<E>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::InvalidRequest(message) => write!(f, "invalid request: {}", sanitize(message)),
            Error::CommunicationError(e) => {
                let target = e
                    .url()
                    .map_or_else(|| "the server".into(), |u| u.to_string());
                write!(f, "could not reach {target}: {}", sanitize(&chain(e)))
            }
            Error::InvalidUpgrade(e) => {
                write!(f, "the connection upgrade failed: {}", sanitize(&chain(e)))
            }
            Error::ResponseBodyError(e) => {
                write!(
                    f,
                    "reading the response body failed: {}",
                    sanitize(&chain(e))
                )
            }
            Error::ErrorResponse(rv) => {
                write!(f, "the API answered HTTP {}", rv.status())?;
                match serde_json::to_string(&**rv) {
                    Ok(json) => write!(f, ": {}", sanitize(&json)),
                    Err(_) => Ok(()),
                }
            }
            Error::InvalidResponsePayload(body, e) => {
                write!(f, "{}", sanitize(&e.to_string()))?;
                write_body(f, None, body)
            }
            Error::UnexpectedResponse(r)
                if let Some(broken) = r.extensions().get::<BodyInterrupted>() =>
            {
                write!(f, "{}", sanitize(&broken.to_string()))?;
                match r.extensions().get::<Answered>() {
                    Some(a) if !a.body.is_empty() => write_body(f, None, &a.body),
                    _ => Ok(()),
                }
            }
            Error::UnexpectedResponse(r) => {
                write!(
                    f,
                    "the API answered HTTP {}, which the spec does not document for this operation",
                    r.status()
                )?;
                let answered = r.extensions().get::<Answered>();
                if let Some(a) = answered {
                    write!(f, " ({} {} {})", a.operation_id, a.method, a.url)?;
                }
                if let Some(wait) = r.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()) {
                    write!(f, "; Retry-After: {}", sanitize(wait))?;
                }
                let content_type = r
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok());
                match answered {
                    Some(a) => write_body(f, content_type, &a.body),
                    None => Ok(()),
                }
            }
            Error::Custom(message) => f.write_str(&sanitize(message)),
        }
    }
}

fn write_body(f: &mut fmt::Formatter<'_>, content_type: Option<&str>, body: &[u8]) -> fmt::Result {
    if body.is_empty() {
        return f.write_str("; empty body");
    }
    let text = String::from_utf8_lossy(body);
    let shown: String = text.chars().take(BODY_SHOWN).collect();
    let more = if shown.len() < text.len() { "…" } else { "" };
    match content_type {
        Some(ct) => write!(f, "; body ({}): {}{more}", sanitize(ct), sanitize(&shown)),
        None => write!(f, "; body: {}{more}", sanitize(&shown)),
    }
}

/// An error and its causes on one line, each cause once: reqwest's "error
/// sending request" becomes "… : client error (Connect): Connection refused".
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// Server-provided text made safe for a terminal: control characters
/// (escape sequences, carriage returns, backspaces) are shown escaped, so
/// they cannot clear the screen or overwrite what was printed.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            sanitize("ok\u{1b}[2J\rfake\u{8}\u{7}\nnext\tcol"),
            "ok\\u{1b}[2J\\rfake\\u{8}\\u{7}\nnext\tcol"
        );
        assert_eq!(sanitize("Número de serie"), "Número de serie");
        // C1 controls (a one-byte CSI) too.
        assert_eq!(sanitize("\u{9b}31m"), "\\u{9b}31m");
    }

    #[test]
    fn a_decode_error_gives_its_status_back() {
        assert_eq!(
            status_in("HTTP 200 OK from GET http://x/ (getTicket): …"),
            Some(StatusCode::OK)
        );
        assert_eq!(status_in("invalid type"), None);
    }

    #[derive(Debug)]
    struct Outer(Inner);
    #[derive(Debug)]
    struct Inner;
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("error sending request")
        }
    }
    impl fmt::Display for Inner {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("Connection refused")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }
    impl std::error::Error for Inner {}

    #[test]
    fn the_chain_names_every_cause() {
        assert_eq!(
            chain(&Outer(Inner)),
            "error sending request: Connection refused"
        );
    }
}
