//! What a handler answers, and what every handler is given.

use http::StatusCode;
use serde_json::Value;

use crate::auth::Caller;
use crate::state::State;

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
