//! The sandbox's own endpoints under `/_sandbox/`, outside both specs and
//! never faulted or authenticated: health, faults, reset.

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::faults::Faults;
use crate::reply::{Body, empty_response, json_response};
use crate::seed;
use crate::shared::Shared;

pub(crate) async fn handle(
    shared: &Shared,
    method: &Method,
    path: &str,
    body: &[u8],
) -> http::Response<Body> {
    let refuse =
        |status: StatusCode, message: String| json_response(status, &json!({ "error": message }));
    match (method.as_str(), path.trim_end_matches('/')) {
        ("GET", "/_sandbox/health") => json_response(StatusCode::OK, &json!({ "status": "ok" })),
        ("GET", "/_sandbox/faults") => json_response(StatusCode::OK, &pending(&shared.faults)),
        ("POST", "/_sandbox/faults") => match Faults::parse(body) {
            Ok(armed) => {
                shared.faults.inject(armed.fault, armed.count);
                json_response(StatusCode::CREATED, &pending(&shared.faults))
            }
            Err(e) => refuse(
                StatusCode::BAD_REQUEST,
                format!("POST /_sandbox/faults: {e}"),
            ),
        },
        ("DELETE", "/_sandbox/faults") => {
            shared.faults.clear();
            empty_response(StatusCode::NO_CONTENT)
        }
        ("POST", "/_sandbox/reset") => {
            let snapshot = {
                let mut state = shared.lock();
                *state = seed::state();
                shared.saver.snapshot(&state)
            };
            let saved = match snapshot {
                Ok(snapshot) => shared.saver.save(snapshot).await,
                Err(e) => Err(e),
            };
            match saved {
                Ok(()) => empty_response(StatusCode::NO_CONTENT),
                Err(e) => refuse(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
            }
        }
        _ => refuse(
            StatusCode::NOT_FOUND,
            format!(
                "{method} {path} is not a sandbox endpoint; there are GET /_sandbox/health, GET|POST|DELETE /_sandbox/faults and POST /_sandbox/reset"
            ),
        ),
    }
}

fn pending(faults: &Faults) -> Value {
    json!({ "pending": faults.pending() })
}
