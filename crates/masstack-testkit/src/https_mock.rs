//! An httpmock server reached over real TLS, so that every wire test speaks
//! HTTPS as the clients do against the real servers.

use std::ops::Deref;

use httpmock::MockServer;
use masstack_client_runtime::ClientConfig;

use crate::pki::TestPki;
use crate::tls::{ClientAuth, TlsFront};

/// httpmock behind a TLS front with a certificate from a test CA. Derefs to
/// the [`MockServer`] for setting up mocks.
pub struct HttpsMock {
    mock: MockServer,
    front: TlsFront,
    pki: TestPki,
}

impl HttpsMock {
    /// Starts the mock server and its TLS front.
    pub async fn start() -> Self {
        let mock = MockServer::start_async().await;
        let pki = TestPki::new("wire-test");
        let front = TlsFront::start(*mock.address(), &pki, ClientAuth::None).await;
        Self { mock, front, pki }
    }

    /// `https://localhost:<port>`.
    pub fn url(&self) -> String {
        self.front.url()
    }

    /// The PEM of the CA that signed the server's certificate.
    pub fn ca_pem(&self) -> String {
        self.pki.ca_pem()
    }

    /// The test CA itself, to sign client certificates.
    pub fn pki(&self) -> &TestPki {
        &self.pki
    }

    /// A client configuration for this server: its URL and the test CA,
    /// given through configuration as a user would.
    pub fn config(&self) -> ClientConfig {
        ClientConfig::new(self.url()).ca_cert_pem(self.pki.ca_pem())
    }
}

impl Deref for HttpsMock {
    type Target = MockServer;

    fn deref(&self) -> &MockServer {
        &self.mock
    }
}
