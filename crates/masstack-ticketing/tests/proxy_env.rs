//! Proxies from the environment, as a corporate network sets them. One test
//! in its own process: it changes `HTTPS_PROXY` and `NO_PROXY`, which every
//! client built afterwards in the process reads.

use masstack_testkit::{ClientAuth, ConnectProxy, Reply, TestPki, TestServer, Tinyproxy};
use masstack_ticketing::types::TicketingProvider;
use masstack_ticketing::{Client, ClientConfig};

async fn call(server: &TestServer, pki: &TestPki, config: impl Fn(ClientConfig) -> ClientConfig) {
    let client = Client::from_config(config(
        ClientConfig::new(server.url()).ca_cert_pem(pki.ca_pem()),
    ))
    .unwrap();
    client
        .get_ticket()
        .org("yoigo")
        .ticket_id("INST-7902")
        .ticketing_provider(TicketingProvider::Jam)
        .send()
        .await
        .expect("the request reaches the server");
}

#[allow(unsafe_code)] // the environment is the subject of this test
fn set(name: &str, value: Option<&str>) {
    // SAFETY: this test binary runs this one test; no other thread reads
    // the environment while it changes.
    unsafe {
        match value {
            Some(v) => std::env::set_var(name, v),
            None => std::env::remove_var(name),
        }
    }
}

#[test]
fn https_proxy_is_used_and_no_proxy_bypasses_it() {
    for name in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        set(name, None);
    }
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
        let target = format!("localhost:{}", server.url().rsplit(':').next().unwrap());

        let proxy = ConnectProxy::start().await;
        set("HTTPS_PROXY", Some(&proxy.url()));
        call(&server, &pki, |c| c).await;
        assert_eq!(
            proxy.tunnels(),
            vec![target.clone()],
            "HTTPS went through the CONNECT proxy"
        );

        set("NO_PROXY", Some("localhost"));
        call(&server, &pki, |c| c).await;
        assert_eq!(proxy.tunnels().len(), 1, "NO_PROXY bypassed the proxy");

        set("NO_PROXY", None);
        call(&server, &pki, |c| c.no_proxy()).await;
        assert_eq!(
            proxy.tunnels().len(),
            1,
            "ClientConfig::no_proxy ignores HTTPS_PROXY"
        );

        let explicit = ConnectProxy::start().await;
        call(&server, &pki, |c| c.proxy(explicit.url())).await;
        assert_eq!(
            explicit.tunnels(),
            vec![target.clone()],
            "the explicit proxy is used"
        );
        assert_eq!(proxy.tunnels().len(), 1, "instead of the environment's");
        set("HTTPS_PROXY", None);

        // The requests made so far, and below the two through tinyproxy
        // when it is installed: the count follows what really ran.
        let mut expected_hits = 4;
        // The same through tinyproxy, a proxy written by others.
        if let Some(tinyproxy) = Tinyproxy::start() {
            expected_hits += 2;
            set("HTTPS_PROXY", Some(&tinyproxy.url()));
            call(&server, &pki, |c| c).await;
            assert_eq!(
                tinyproxy.tunnels(),
                vec![target.clone()],
                "HTTPS went through tinyproxy"
            );
            set("NO_PROXY", Some("localhost"));
            call(&server, &pki, |c| c).await;
            assert_eq!(tinyproxy.tunnels().len(), 1, "NO_PROXY bypassed tinyproxy");
            set("HTTPS_PROXY", None);
            set("NO_PROXY", None);
        }
        assert_eq!(server.hits(), expected_hits);
    });
}
