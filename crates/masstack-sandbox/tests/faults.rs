//! Fault injection: 429 with Retry-After, 503, an HTML 502 and a delay,
//! armed in-process or over HTTP, as the client's retries see them.

use std::time::{Duration, Instant};

use masstack_sandbox::{Fault, Sandbox};
use masstack_ticketing::types::TicketingProvider;
use masstack_ticketing::{Client, ErrorDetails, RetryPolicy};

const JAM: TicketingProvider = TicketingProvider::Jam;

async fn get(
    client: &Client,
) -> Result<(), masstack_ticketing::Error<masstack_ticketing::types::ErrorResponse>> {
    client
        .get_ticket()
        .org("yoigo")
        .ticket_id("INST-7902")
        .ticketing_provider(JAM)
        .send()
        .await
        .map(|_| ())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_answers_as_armed_then_runs_out() {
    let sandbox = Sandbox::start().await.unwrap();
    let once = Client::from_config(
        sandbox
            .v2_config()
            .retry(RetryPolicy::default().max_retries(0)),
    )
    .unwrap();

    sandbox.faults().inject(
        Fault::TooManyRequests {
            retry_after_seconds: 7,
        },
        1,
    );
    let e = get(&once).await.unwrap_err();
    assert_eq!(e.response_status().map(|s| s.as_u16()), Some(429));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));

    sandbox.faults().inject(Fault::Unavailable, 1);
    let e = get(&once).await.unwrap_err();
    assert_eq!(e.response_status().map(|s| s.as_u16()), Some(503));

    sandbox.faults().inject(Fault::BadGatewayHtml, 1);
    let e = get(&once).await.unwrap_err();
    assert_eq!(e.response_status().map(|s| s.as_u16()), Some(502));
    assert!(
        e.response_headers().unwrap()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        String::from_utf8_lossy(e.response_body().unwrap()).contains("<h1>502 Bad Gateway</h1>")
    );

    sandbox.faults().inject(Fault::Delay { delay_ms: 600 }, 1);
    let started = Instant::now();
    get(&once).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(600));

    assert!(sandbox.faults().pending().is_empty());
    get(&once).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_get_through_and_a_delay_trips_the_timeout() {
    let sandbox = Sandbox::start().await.unwrap();
    let retrying = Client::from_config(
        sandbox
            .v2_config()
            .retry(RetryPolicy::default().max_retries(2)),
    )
    .unwrap();
    sandbox.faults().inject(
        Fault::TooManyRequests {
            retry_after_seconds: 1,
        },
        1,
    );
    sandbox.faults().inject(Fault::Unavailable, 1);
    let started = Instant::now();
    get(&retrying).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );

    let impatient = Client::from_config(
        sandbox
            .v2_config()
            .timeout(Duration::from_millis(200))
            .retry(RetryPolicy::default().max_retries(0)),
    )
    .unwrap();
    sandbox.faults().inject(Fault::Delay { delay_ms: 1000 }, 1);
    let e = get(&impatient).await.unwrap_err();
    assert!(
        e.report().to_string().to_lowercase().contains("timed out"),
        "{}",
        e.report()
    );
}

#[tokio::test]
async fn faults_are_armed_over_http() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = Sandbox::start().await.unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = |p: &str| format!("{}{p}", sandbox.base_url());
    let armed = http
        .post(url("/_sandbox/faults"))
        .body(r#"{"fault": "503", "count": 2}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(armed.status().as_u16(), 201);
    assert_eq!(
        armed.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({ "pending": [{ "fault": "503", "count": 2 }] })
    );
    // The admin endpoints are never faulted.
    assert_eq!(
        http.get(url("/_sandbox/health"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    for _ in 0..2 {
        let r = http
            .get(url("/troubleTicket/INST-7902"))
            .bearer_auth("x")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 503);
    }
    let r = http
        .get(url("/troubleTicket/INST-7902"))
        .bearer_auth("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);

    let bad = http
        .post(url("/_sandbox/faults"))
        .body(r#"{"fault": "418"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let text = bad.text().await.unwrap();
    assert!(text.contains("unknown variant `418`"), "{text}");

    http.post(url("/_sandbox/faults"))
        .body(r#"{"fault": "502-html"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        http.delete(url("/_sandbox/faults"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        204
    );
    assert!(sandbox.faults().pending().is_empty());
}
