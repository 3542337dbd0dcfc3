//! The HTTP side: one hyper service (HTTP/1.1 and HTTP/2, over TCP or
//! TLS) that answers the admin endpoints, applies armed faults, and runs
//! each API request through routing, auth, the spec's checks and its
//! handler, under the state lock; a change is saved after the lock is
//! released, before the answer (see [`crate::saver`]).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use http::header::HeaderValue;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::auth;
use crate::error::ApiError;
use crate::reply::{Body, Ctx, error_response, fault_response, reply_response};
use crate::request::{self, Route};
use crate::shared::Shared;
use crate::spec::{Api, Operation, specs};
use crate::{admin, ossj, v2};

/// The largest request body read (attachments travel base64 in JSON).
const MAX_BODY: usize = 32 * 1024 * 1024;

/// Accepts connections until the task is aborted.
pub(crate) async fn run(listener: TcpListener, tls: Option<TlsAcceptor>, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            // Out of file descriptors, say: wait instead of spinning.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        };
        // Finished connections are reaped as new ones come.
        while connections.try_join_next().is_some() {}
        let shared = shared.clone();
        let tls = tls.clone();
        connections.spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(tcp).await {
                        serve_connection(TokioIo::new(stream), shared).await;
                    }
                }
                None => serve_connection(TokioIo::new(tcp), shared).await,
            }
        });
    }
}

async fn serve_connection<I>(io: I, shared: Arc<Shared>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(answer(&shared, req).await) }
    });
    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
        .serve_connection(io, service)
        .await;
}

async fn answer(shared: &Shared, req: Request<Incoming>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            return error_response(&ApiError::bad_request(format!(
                "the request body could not be read (at most {} MiB): {e}",
                MAX_BODY / 1024 / 1024
            )));
        }
    };
    let path = parts.uri.path();
    if path == "/_sandbox" || path.starts_with("/_sandbox/") {
        return admin::handle(shared, &parts.method, path, &body).await;
    }
    if let Some(fault) = shared.faults.take() {
        match fault_response(fault) {
            Some(response) => return response,
            None => tokio::time::sleep(fault.delay().unwrap_or_default()).await,
        }
    }
    api(shared, &parts.method, &parts.uri, &parts.headers, &body).await
}

async fn api(
    shared: &Shared,
    method: &Method,
    uri: &http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Response<Body> {
    let specs = specs();
    let (op, params) = match request::route(specs, method, uri.path()) {
        Route::Found(op, params) => (op, params),
        Route::NotFound => {
            return error_response(&ApiError::not_found(format!(
                "no operation of either spec has the path {}",
                uri.path()
            )));
        }
        Route::WrongMethod(methods) => {
            let allow: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
            let mut response = error_response(
                &ApiError::not_found(format!(
                    "{} {} is not an operation; this path takes {}",
                    method,
                    uri.path(),
                    allow.join(", ")
                ))
                .with_status(StatusCode::METHOD_NOT_ALLOWED),
            );
            if let Ok(value) = HeaderValue::from_str(&allow.join(", ")) {
                response.headers_mut().insert(http::header::ALLOW, value);
            }
            return response;
        }
    };
    let cannot_save = |e| ApiError::internal(format!("the sandbox could not save its state: {e}"));
    let handled = auth::caller(headers)
        .and_then(|caller| {
            Ok((
                caller,
                request::check(op, params, uri.query(), headers, body)?,
            ))
        })
        .and_then(|(caller, checked)| {
            let mut state = shared.lock();
            let mut ctx = Ctx {
                state: &mut state,
                caller,
                base_url: &shared.base_url,
                now: now(),
            };
            let reply = match op.api {
                Api::V2 => v2::handle(&op.id, &mut ctx, &checked)?,
                Api::Ossj => ossj::handle(&op.id, &mut ctx, &checked)?,
            };
            let snapshot = if changes_state(op) {
                shared.saver.snapshot(&state).map_err(cannot_save)?
            } else {
                None
            };
            Ok((reply, snapshot))
        });
    // The state lock is released: the file is written without it.
    let result = match handled {
        Ok((reply, snapshot)) => shared
            .saver
            .save(snapshot)
            .await
            .map(|()| reply)
            .map_err(cannot_save),
        Err(e) => Err(e),
    };
    match result {
        Ok(reply) => reply_response(reply),
        Err(e) => error_response(&documented(op, e)),
    }
}

/// Operations that may change the state: every method but GET, and
/// `getIaDuration`, which updates the ticket as documented.
fn changes_state(op: &Operation) -> bool {
    op.method != Method::GET || op.id == "getIaDuration"
}

/// A 400 or 404 the operation does not document becomes the other one,
/// when that one is documented (an unknown ticket on `updateTicket`).
fn documented(op: &Operation, e: ApiError) -> ApiError {
    let status = e.status.as_u16();
    if op.documents(status) {
        return e;
    }
    match status {
        404 if op.documents(400) => e.with_status(StatusCode::BAD_REQUEST),
        400 if op.documents(404) => e.with_status(StatusCode::NOT_FOUND),
        _ => e,
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    chrono::DateTime::from_timestamp(since.as_secs() as i64, since.subsec_nanos())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
