//! A TLS sandbox: its CA is made at start, handed to clients by the
//! configs it gives, and written to a file for `--ca-cert`.

use masstack_sandbox::Sandbox;
use masstack_ticketing::types::TicketingProvider;
use masstack_ticketing::{Client, ClientConfig, ErrorDetails};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_trust_the_sandbox_ca_and_nothing_else_does() {
    let sandbox = Sandbox::builder().tls(true).start().await.unwrap();
    assert!(sandbox.base_url().starts_with("https://127.0.0.1:"));
    let path = sandbox.ca_cert_path().unwrap().to_owned();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        sandbox.ca_cert_pem().unwrap()
    );

    let client = Client::from_config(sandbox.v2_config()).unwrap();
    let ticket = client
        .get_ticket()
        .org("yoigo")
        .ticket_id("INST-7902")
        .ticketing_provider(TicketingProvider::Jam)
        .send()
        .await
        .unwrap();
    assert_eq!(ticket.key.as_deref(), Some("INST-7902"));

    // The same request without the CA is refused by the client.
    let stranger = Client::from_config(
        ClientConfig::new(sandbox.base_url())
            .bearer_token("sandbox")
            .no_proxy(),
    )
    .unwrap();
    let e = stranger
        .get_ticket()
        .org("yoigo")
        .ticket_id("INST-7902")
        .ticketing_provider(TicketingProvider::Jam)
        .send()
        .await
        .unwrap_err();
    assert!(
        e.report().to_string().contains("UnknownIssuer"),
        "{}",
        e.report()
    );

    sandbox.stop().await;
    assert!(!path.exists(), "the CA file goes with the sandbox");
}
