//! How the generated clients read responses. progenitor's generated
//! `send` methods call these (the codegen routes them here through the
//! manifest's `decode` setting) instead of `ResponseValue::from_response`.
//!
//! The policy, so that nothing the server said is lost:
//! - a documented success status whose body does not parse fails with an
//!   error naming the status, the request and the JSON path of the
//!   offending field (`$.components[2]`), and keeps the body;
//! - a documented error status whose body is the documented error type
//!   gives `Error::ErrorResponse`; any other body (HTML from a proxy,
//!   `{"error":"invalid_token"}`) gives `Error::UnexpectedResponse`, whose
//!   status, headers and body stay readable ([`crate::ErrorDetails`]);
//! - a 2xx status the spec does not list (200 where 201 is documented) is
//!   a success when its body parses as the documented success type, with
//!   the real status in `ResponseValue::status()` and a warning logged:
//!   a created ticket's key is never thrown away over a status code.
//!   Otherwise, like every undocumented status, it is
//!   `Error::UnexpectedResponse`;
//! - `null` for a field that has a default (an optional array or map) is
//!   read as absent ([`null_as_default`]).

use bytes::Bytes;
use progenitor_client::{Error, ResponseValue};
use serde::Serialize;
use serde::de::{DeserializeOwned, Error as _};

use crate::observe::Answered;

/// A documented success status.
pub async fn success<T: DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let (status, headers, body, answered) = take(response).await?;
    match parse::<T>(&body) {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(path_error) => {
            let message = describe(status, answered.as_ref(), path_error);
            Err(Error::InvalidResponsePayload(
                body,
                serde_json::Error::custom(message),
            ))
        }
    }
}

/// A documented error status: its typed body, or the whole answer as an
/// unexpected response when the body is not the documented error type.
pub async fn error<E: DeserializeOwned + Serialize>(
    response: reqwest::Response,
) -> Result<ResponseValue<E>, Error<E>> {
    let (status, headers, body, answered) = take(response).await?;
    if let Ok(value) = serde_json::from_slice::<E>(&body)
        && names_a_documented_field(&value, &body)
    {
        return Ok(ResponseValue::new(value, status, headers));
    }
    Err(Error::UnexpectedResponse(rebuild(
        status, headers, body, answered,
    )))
}

/// A status the operation does not document, when its documented success
/// has a JSON body.
pub async fn undocumented<T: DeserializeOwned + Serialize, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    if !response.status().is_success() {
        return Err(Error::UnexpectedResponse(response));
    }
    let (status, headers, body, answered) = take(response).await?;
    if let Ok(value) = serde_json::from_slice::<T>(&body)
        && names_a_documented_field(&value, &body)
    {
        warn_undocumented(status, answered.as_ref());
        return Ok(ResponseValue::new(value, status, headers));
    }
    Err(Error::UnexpectedResponse(rebuild(
        status, headers, body, answered,
    )))
}

/// A status the operation does not document, when its documented success
/// has no body: a 2xx with an empty body is that success.
pub async fn undocumented_empty<E>(
    response: reqwest::Response,
) -> Result<ResponseValue<()>, Error<E>> {
    if !response.status().is_success() {
        return Err(Error::UnexpectedResponse(response));
    }
    let (status, headers, body, answered) = take(response).await?;
    if body.iter().all(u8::is_ascii_whitespace) {
        warn_undocumented(status, answered.as_ref());
        Ok(ResponseValue::new((), status, headers))
    } else {
        Err(Error::UnexpectedResponse(rebuild(
            status, headers, body, answered,
        )))
    }
}

/// A documented success status whose body is not JSON: its bytes.
pub async fn bytes<E>(response: reqwest::Response) -> Result<ResponseValue<Vec<u8>>, Error<E>> {
    let (status, headers, body, _) = take(response).await?;
    Ok(ResponseValue::new(body.to_vec(), status, headers))
}

/// A documented error status of an operation with a per-status error enum:
/// its typed body in its variant (`wrap`), or the whole answer as an
/// unexpected response when the body is not the documented type.
pub async fn error_variant<T, E>(response: reqwest::Response, wrap: impl FnOnce(T) -> E) -> Error<E>
where
    T: DeserializeOwned + Serialize,
{
    let (status, headers, body, answered) = match take(response).await {
        Ok(taken) => taken,
        Err(e) => return e,
    };
    if let Ok(value) = serde_json::from_slice::<T>(&body)
        && names_a_documented_field(&value, &body)
    {
        return Error::ErrorResponse(ResponseValue::new(wrap(value), status, headers));
    }
    Error::UnexpectedResponse(rebuild(status, headers, body, answered))
}

/// A documented error status without a body: its variant, when the body is
/// empty; otherwise the whole answer, so that nothing the server said is lost.
pub async fn error_empty_variant<E>(response: reqwest::Response, variant: E) -> Error<E> {
    let (status, headers, body, answered) = match take(response).await {
        Ok(taken) => taken,
        Err(e) => return e,
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Error::ErrorResponse(ResponseValue::new(variant, status, headers));
    }
    Error::UnexpectedResponse(rebuild(status, headers, body, answered))
}

/// A documented error status whose body is not JSON: its bytes in its variant.
pub async fn error_bytes_variant<E>(
    response: reqwest::Response,
    wrap: impl FnOnce(Vec<u8>) -> E,
) -> Error<E> {
    match take(response).await {
        Ok((status, headers, body, _)) => {
            Error::ErrorResponse(ResponseValue::new(wrap(body.to_vec()), status, headers))
        }
        Err(e) => e,
    }
}

/// For `#[serde(default, deserialize_with = ...)]` fields: `null` reads as
/// the default, like an absent field.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + serde::Deserialize<'de>,
{
    Ok(<Option<T> as serde::Deserialize>::deserialize(deserializer)?.unwrap_or_default())
}

type Taken = (
    reqwest::StatusCode,
    reqwest::header::HeaderMap,
    Bytes,
    Option<Answered>,
);

async fn take<E>(mut response: reqwest::Response) -> Result<Taken, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let answered = response.extensions_mut().remove::<Answered>();
    // The hooks have read the body already: this copies nothing.
    let body = match &answered {
        Some(a) => a.body.clone(),
        None => response.bytes().await.map_err(Error::ResponseBodyError)?,
    };
    Ok((status, headers, body, answered))
}

fn rebuild(
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Bytes,
    answered: Option<Answered>,
) -> reqwest::Response {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    if let Some(a) = answered {
        response.extensions_mut().insert(a);
    }
    response.into()
}

/// Parses quickly; only a failure pays for finding the path.
fn parse<T: DeserializeOwned>(
    body: &[u8],
) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    serde_json::from_slice(body).map_err(|plain| {
        let mut de = serde_json::Deserializer::from_slice(body);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(located) => located,
            // The value parsed, so what failed is after it (trailing text).
            Ok(_) => {
                serde_path_to_error::Error::new(serde_path_to_error::Track::new().path(), plain)
            }
        }
    })
}

/// `HTTP 200 OK from GET https://…/ticket/INST-1 (getTicket): the body
/// does not match the spec at $.components[2]: invalid type: …`
fn describe(
    status: reqwest::StatusCode,
    answered: Option<&Answered>,
    error: serde_path_to_error::Error<serde_json::Error>,
) -> String {
    let path = json_path(&error.path().to_string());
    let inner = error.into_inner();
    format!(
        "HTTP {status}{}: the body does not match the spec at {path}: {inner}",
        request(answered)
    )
}

fn request(answered: Option<&Answered>) -> String {
    match answered {
        Some(a) => format!(" from {} {} ({})", a.method, a.url, a.operation_id),
        None => String::new(),
    }
}

/// serde_path_to_error's `components[2].name` (or `.` for the root) as a
/// JSONPath, `$.components[2].name`.
fn json_path(path: &str) -> String {
    match path {
        "" | "." => "$".to_owned(),
        p if p.starts_with('[') => format!("${p}"),
        p => format!("$.{p}"),
    }
}

fn warn_undocumented(status: reqwest::StatusCode, answered: Option<&Answered>) {
    tracing::warn!(
        status = status.as_u16(),
        "the spec does not document HTTP {status}{}; its body is read as the documented success",
        request(answered)
    );
}

/// Whether a body that parsed as `T` really is one: an object none of whose
/// keys `T` knows parses as an all-default `T`, which must not hide what
/// the server said.
fn names_a_documented_field<T: Serialize>(value: &T, body: &[u8]) -> bool {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(fields)) if fields.is_empty() => {
            // Only `{}` itself is an empty error body.
            serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body)
                .is_ok_and(|m| m.is_empty())
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths() {
        assert_eq!(json_path("."), "$");
        assert_eq!(json_path("components[2]"), "$.components[2]");
        assert_eq!(json_path("[0].key"), "$[0].key");
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Ticket {
        key: String,
        #[serde(default, deserialize_with = "null_as_default")]
        components: Vec<Component>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Component {
        name: String,
    }

    #[test]
    fn a_parse_error_names_the_json_path() {
        let body = br#"{"key":"INST-1","components":[{"name":"a"},{"name":"b"},{"name":7}]}"#;
        let e = parse::<Ticket>(body).unwrap_err();
        assert_eq!(e.path().to_string(), "components[2].name");
        let message = describe(reqwest::StatusCode::OK, None, e);
        assert!(
            message.starts_with("HTTP 200 OK: the body does not match the spec at $.components[2].name: invalid type: integer `7`"),
            "{message}"
        );
    }

    #[test]
    fn null_reads_as_absent() {
        let t: Ticket = serde_json::from_str(r#"{"key":"K","components":null}"#).unwrap();
        assert!(t.components.is_empty());
        let t: Ticket = serde_json::from_str(r#"{"key":"K"}"#).unwrap();
        assert!(t.components.is_empty());
        let t: Ticket = serde_json::from_str(r#"{"key":"K","components":[{"name":"x"}]}"#).unwrap();
        assert_eq!(t.components.len(), 1);
    }

    #[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct ErrorBody {
        #[serde(skip_serializing_if = "Option::is_none")]
        error_msg: Option<String>,
    }

    #[test]
    fn an_object_without_documented_fields_is_not_the_error_type() {
        let other = br#"{"error":"invalid_token"}"#;
        let parsed: ErrorBody = serde_json::from_slice(other).unwrap();
        assert!(!names_a_documented_field(&parsed, other));
        let real = br#"{"errorMsg":"Unauthorized"}"#;
        let parsed: ErrorBody = serde_json::from_slice(real).unwrap();
        assert!(names_a_documented_field(&parsed, real));
        assert!(names_a_documented_field(&ErrorBody::default(), b"{}"));
    }
}
