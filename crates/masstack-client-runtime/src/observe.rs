//! Every response as received, for whoever wants more than the typed value.

use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};

/// A function told about every response.
pub type Observer = Arc<dyn Fn(&Exchange<'_>) + Send + Sync>;

/// One request and the response it got, body included, before decoding.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    /// The spec's operationId.
    pub operation_id: &'static str,
    /// The request's method.
    pub method: &'a Method,
    /// The request's URL.
    pub url: &'a Url,
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: &'a HeaderMap,
    /// The whole response body, decompressed.
    pub body: &'a Bytes,
}

/// Kept in the extensions of every response the hooks return: the request
/// it answers (a rebuilt response no longer knows its URL) and its body.
#[derive(Debug, Clone)]
pub struct Answered {
    /// The spec's operationId.
    pub operation_id: &'static str,
    /// The request's method.
    pub method: Method,
    /// The request's URL.
    pub url: Url,
    /// The whole body, as received.
    pub body: Bytes,
}
