//! The documented `ErrorResponse` and the statuses the sandbox answers with.

use http::StatusCode;
use serde_json::{Value, json};

/// A request the sandbox refuses, as the documented `ErrorResponse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    /// Goes to `detailMsg`: what is wrong and where.
    pub detail: String,
}

impl ApiError {
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }

    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, detail)
    }

    fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
        }
    }

    /// The same error with another status (a 404 where the operation
    /// documents none becomes a 400).
    pub fn with_status(self, status: StatusCode) -> Self {
        Self { status, ..self }
    }

    /// The body: the codes and texts of the specs' examples, our detail.
    pub fn body(&self) -> Value {
        let (code, status, message) = match self.status.as_u16() {
            400 => ("0015", "BAD_REQUEST", "Bad Request"),
            401 => ("0003", "UNAUTHORIZED", "Unauthorized"),
            404 => ("0004", "NOT_FOUND", "Not found"),
            405 => ("0005", "METHOD_NOT_ALLOWED", "Method not allowed"),
            _ => ("0002", "UNEXPECTED", "Unexpected Error"),
        };
        json!({ "code": code, "status": status, "message": message, "detailMsg": self.detail })
    }
}
