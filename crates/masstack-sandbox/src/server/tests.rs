//! The state lock is free while a change is written to the state file,
//! and the change is answered only once it is on disk.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use tokio::net::TcpListener;

use super::run;
use crate::faults::Faults;
use crate::shared::Shared;
use crate::state::State;
use crate::{persist, seed};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_are_answered_while_a_change_waits_for_the_disk() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let shared = Arc::new(Shared::new(
        seed::state(),
        Faults::default(),
        Some(path.clone()),
        base.clone(),
    ));
    let server = tokio::spawn(run(listener, None, shared.clone()));
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let request = |method: Method, path: &str| {
        http.request(method, format!("{base}{path}"))
            .bearer_auth("sandbox")
            .header("ticketing-provider", "JAM")
    };
    let comments = |state: &State| state.tickets["INST-7902"].comments.len();
    let before = comments(&shared.lock());

    let stalled = shared.saver.stall().await;
    let change = tokio::spawn(
        request(Method::POST, "/v2/ticket/INST-7902/comment")
            .json(&json!({ "body": "guardado" }))
            .send(),
    );
    // The change is made, and the lock let go, while its write waits;
    // `try_lock`, so that a lock held on to fails the test, not hangs it.
    let mut changed = false;
    for _ in 0..500 {
        if let Some(state) = shared.try_lock() {
            changed = comments(&state) > before;
            if changed {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let read = tokio::time::timeout(
        Duration::from_secs(5),
        request(Method::GET, "/v2/orgs/yoigo/ticket/INST-7902").send(),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let answered_unsaved = change.is_finished();
    // Let the write go before any assertion, so a failure does not hang.
    drop(stalled);
    assert!(
        changed,
        "the state lock is free while a change waits for the disk"
    );
    let read = read.expect("a read is answered while a change waits for the disk");
    assert_eq!(read.unwrap().status(), 200);
    assert!(
        !answered_unsaved,
        "a change is not answered before it is saved"
    );
    let change = change.await.unwrap().unwrap();
    assert_eq!(change.status(), 201);
    let on_disk = persist::load(&path).unwrap().unwrap();
    assert_eq!(on_disk, *shared.lock());
    server.abort();
}
