//! A machine without an operating-system trust store (a minimal container):
//! the client falls back to the Mozilla roots and still adds the CAs the
//! configuration names. One test in its own process: it empties the store
//! through `SSL_CERT_DIR` (an empty directory) before the first client
//! reads it. (A `SSL_CERT_FILE` with no certificate is an error of its own:
//! `trust_env.rs`.)

use masstack_testkit::{ClientAuth, Reply, TestPki, TestServer};
use masstack_ticketing::types::TicketingProvider;
use masstack_ticketing::{Client, ClientConfig, ErrorDetails, RetryPolicy};

#[test]
fn without_a_system_store_the_configured_ca_still_works() {
    let dir = tempfile::tempdir().unwrap();
    // SAFETY: the only test of this binary, before any thread starts.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("SSL_CERT_DIR", dir.path());
        std::env::remove_var("SSL_CERT_FILE");
    }
    assert_eq!(
        masstack_client_runtime::trust_store(),
        masstack_client_runtime::TrustStore::Mozilla,
        "an empty store is detected"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let pki = TestPki::new("internal");
        let server = TestServer::tls(&pki, ClientAuth::None, |_, _| {
            Reply::json(200, r#"{"key":"INST-7902"}"#)
        })
        .await;
        let get = |config: ClientConfig| async move {
            Client::from_config(config.retry(RetryPolicy::none()))
                .expect("a client builds without a system store")
                .get_ticket()
                .org("yoigo")
                .ticket_id("INST-7902")
                .ticketing_provider(TicketingProvider::Jam)
                .send()
                .await
        };
        get(ClientConfig::new(server.url()).ca_cert_pem(pki.ca_pem()))
            .await
            .expect("the configured CA is trusted");
        let err = get(ClientConfig::new(server.url())).await.unwrap_err();
        let report = err.report().to_string();
        assert!(report.contains("UnknownIssuer"), "{report}");
    });
}
