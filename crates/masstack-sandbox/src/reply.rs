//! What a handler answers, what every handler is given, and the HTTP
//! responses they become (for the API, the admin endpoints and faults).

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use http_body_util::Full;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::faults::Fault;
use crate::state::State;

/// Every response body the sandbox sends: whole, in memory.
pub(crate) type Body = Full<Bytes>;

/// A successful answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Option<Value>,
    pub headers: Vec<(http::HeaderName, String)>,
}

impl Reply {
    pub fn json(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            headers: Vec::new(),
        }
    }

    pub fn ok(body: Value) -> Self {
        Self::json(StatusCode::OK, body)
    }

    pub fn created(body: Value) -> Self {
        Self::json(StatusCode::CREATED, body)
    }

    pub fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            body: None,
            headers: Vec::new(),
        }
    }

    pub fn header(mut self, name: http::HeaderName, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// What a handler works with: the state (locked), who calls, and where
/// the sandbox is (for URLs it hands out).
pub(crate) struct Ctx<'a> {
    pub state: &'a mut State,
    pub caller: Caller,
    pub base_url: &'a str,
    pub now: chrono::DateTime<chrono::Utc>,
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response<Body> {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

pub(crate) fn empty_response(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}

pub(crate) fn reply_response(reply: Reply) -> Response<Body> {
    let mut response = match &reply.body {
        Some(body) => json_response(reply.status, body),
        None => empty_response(reply.status),
    };
    for (name, value) in reply.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

pub(crate) fn error_response(e: &ApiError) -> Response<Body> {
    json_response(e.status, &e.body())
}

/// The failure `fault` answers with; `None` for a delay, which answers
/// normally after its pause.
pub(crate) fn fault_response(fault: Fault) -> Option<Response<Body>> {
    let detail = "fault injected by the sandbox (POST /_sandbox/faults)";
    Some(match fault {
        Fault::TooManyRequests {
            retry_after_seconds,
        } => {
            let mut response = json_response(
                StatusCode::TOO_MANY_REQUESTS,
                &json!({ "code": "0429", "status": "TOO_MANY_REQUESTS", "message": "Too Many Requests", "detailMsg": detail }),
            );
            response.headers_mut().insert(
                http::header::RETRY_AFTER,
                HeaderValue::from(retry_after_seconds),
            );
            response
        }
        Fault::Unavailable => json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({ "code": "0503", "status": "SERVICE_UNAVAILABLE", "message": "Service Unavailable", "detailMsg": detail }),
        ),
        Fault::Delay { .. } => return None,
        Fault::BadGatewayHtml => {
            let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
            let mut response = Response::new(Full::new(Bytes::from_static(page.as_bytes())));
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
            response
        }
    })
}
