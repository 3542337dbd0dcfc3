//! Real TLS on the server side: rustls configurations from a [`TestPki`],
//! and a front that terminates TLS for any plain TCP server behind it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use rustls::ServerConfig;
use rustls::server::WebPkiClientVerifier;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::pki::TestPki;

/// Whether the server asks for a client certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// No client certificate.
    None,
    /// A certificate signed by the same test CA is required.
    Required,
}

/// A rustls server configuration with a certificate for `localhost` from
/// `pki`, offering the ALPN protocols `alpn` (`b"h2"`, `b"http/1.1"`).
pub fn server_config(pki: &TestPki, client_auth: ClientAuth, alpn: &[&[u8]]) -> Arc<ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let leaf = pki.server();
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("default TLS versions");
    let builder = match client_auth {
        ClientAuth::None => builder.with_no_client_auth(),
        ClientAuth::Required => {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(pki.ca_der()).expect("the test CA");
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .expect("client verifier");
            builder.with_client_cert_verifier(verifier)
        }
    };
    let mut config = builder
        .with_single_cert(vec![leaf.cert_der.clone()], leaf.key_der())
        .expect("server certificate");
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Arc::new(config)
}

/// A TLS listener that forwards each decrypted connection to a plain TCP
/// server (such as an httpmock server), so every test that speaks to that
/// server can speak HTTPS instead. HTTP/1.1 only (ALPN `http/1.1`).
pub struct TlsFront {
    addr: SocketAddr,
    failures: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl TlsFront {
    /// Listens on a loopback port and forwards to `backend`.
    pub async fn start(backend: SocketAddr, pki: &TestPki, client_auth: ClientAuth) -> Self {
        let acceptor = TlsAcceptor::from(server_config(pki, client_auth, &[b"http/1.1"]));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let failures = Arc::new(Mutex::new(Vec::new()));
        let seen = failures.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut tls = match acceptor.accept(tcp).await {
                        Ok(tls) => tls,
                        Err(e) => {
                            seen.lock().unwrap().push(e.to_string());
                            return;
                        }
                    };
                    let Ok(mut plain) = TcpStream::connect(backend).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                });
            }
        });
        Self {
            addr,
            failures,
            task,
        }
    }

    /// `https://localhost:<port>`: the name the certificate is for.
    pub fn url(&self) -> String {
        format!("https://localhost:{}", self.addr.port())
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Why handshakes failed, as the server saw it.
    pub fn handshake_failures(&self) -> Vec<String> {
        self.failures.lock().unwrap().clone()
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}
