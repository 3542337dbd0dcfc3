#![doc = include_str!("../README.md")]

mod admin;
mod auth;
mod catalogue;
mod error;
mod faults;
mod lifecycle;
mod ossj;
mod param_type;
mod persist;
mod reply;
mod request;
mod saver;
mod seed;
mod server;
mod shared;
mod spec;
mod state;
mod tls;
mod v2;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use masstack_client_runtime::ClientConfig;
use masstack_ticketing_ossj::lifecycle::Role;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use auth::role_of;
pub use faults::{Armed, Fault, Faults};
pub use persist::{FORMAT as STATE_FORMAT, StateFileError, VERSION as STATE_VERSION};

/// Why a sandbox did not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The port could not be listened on.
    #[error(
        "cannot listen on {addr}: {source} (is another program using the port? `--port 0` picks a free one)"
    )]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The state file cannot be used (see [`StateFileError`]).
    #[error(transparent)]
    State(#[from] StateFileError),
    /// The TLS certificates could not be made or written.
    #[error("cannot set up TLS: {0}")]
    Tls(String),
}

/// How to start a sandbox; [`Sandbox::builder`] makes one.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    port: u16,
    tls: bool,
    state_file: Option<PathBuf>,
}

impl Builder {
    /// The loopback port to listen on; 0 (the default) picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Serve HTTPS with a certificate from a CA made at start (see
    /// [`Sandbox::ca_cert_pem`] and [`Sandbox::ca_cert_path`]).
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// Load the state from `path` (the seeded examples when it does not
    /// exist yet) and save it there after every change.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Starts the server on a background task of the current tokio runtime.
    pub async fn start(self) -> Result<Sandbox, SandboxError> {
        let state = match &self.state_file {
            Some(path) => match persist::load(path)? {
                Some(state) => state,
                None => {
                    let state = seed::state();
                    persist::save(path, &state)?;
                    state
                }
            },
            None => seed::state(),
        };
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| SandboxError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| SandboxError::Bind { addr, source })?;
        let (tls, ca) = if self.tls {
            let tls = tls::generate().map_err(SandboxError::Tls)?;
            let ca = CaFile::write(&tls.ca_pem)?;
            (Some(tokio_rustls::TlsAcceptor::from(tls.config)), Some(ca))
        } else {
            (None, None)
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base_url = format!("{scheme}://{addr}");
        let faults = Faults::default();
        let shared = Arc::new(shared::Shared::new(
            state,
            faults.clone(),
            self.state_file.clone(),
            base_url.clone(),
        ));
        let task = tokio::spawn(server::run(listener, tls, shared));
        Ok(Sandbox {
            base_url,
            addr,
            faults,
            ca,
            state_file: self.state_file,
            task,
        })
    }
}

/// The CA certificate of a TLS sandbox, in a temporary directory that
/// goes when the sandbox does.
#[derive(Debug)]
struct CaFile {
    pem: String,
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl CaFile {
    fn write(pem: &str) -> Result<Self, SandboxError> {
        let fail =
            |e: std::io::Error| SandboxError::Tls(format!("writing the CA certificate: {e}"));
        let dir = tempfile::Builder::new()
            .prefix("masstack-sandbox-")
            .tempdir()
            .map_err(fail)?;
        let path = dir.path().join("sandbox-ca.pem");
        std::fs::write(&path, pem).map_err(fail)?;
        Ok(Self {
            pem: pem.to_owned(),
            path,
            _dir: dir,
        })
    }
}

/// A running sandbox of both APIs on a loopback port. It stops when
/// dropped (or with [`Sandbox::stop`]).
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use masstack_sandbox::Sandbox;
///
/// let sandbox = Sandbox::start().await?;
/// println!("v2 at {}, OSSJ at {}", sandbox.v2_base_url(), sandbox.ossj_base_url());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Sandbox {
    base_url: String,
    addr: SocketAddr,
    faults: Faults,
    ca: Option<CaFile>,
    state_file: Option<PathBuf>,
    task: JoinHandle<()>,
}

/// The token [`Sandbox::v2_config`] sends: it names no OSSJ role.
pub const TOKEN: &str = "sandbox";

impl Sandbox {
    /// A plain-HTTP sandbox on a free port, state in memory, seeded with
    /// the documented examples.
    pub async fn start() -> Result<Self, SandboxError> {
        Self::builder().start().await
    }

    /// Options: port, TLS, state file.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// `http://127.0.0.1:<port>` (`https://` with TLS). Both APIs are
    /// served at this root: their paths do not overlap.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The Ticketing API v2's base URL (the same root as the OSSJ API's).
    pub fn v2_base_url(&self) -> &str {
        &self.base_url
    }

    /// The OSSJ API's base URL (the same root as the v2 API's).
    pub fn ossj_base_url(&self) -> &str {
        &self.base_url
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A client configuration for the v2 API: the base URL, a token, the
    /// CA with TLS, and no proxy (the sandbox is on loopback).
    pub fn v2_config(&self) -> ClientConfig {
        self.config(TOKEN)
    }

    /// A client configuration for the OSSJ API acting as `role`: its token
    /// is `TU-sandbox` or `TO-sandbox` (see [`role_of`]).
    pub fn ossj_config(&self, role: Role) -> ClientConfig {
        self.config(&Self::token_for(role))
    }

    /// The token that acts as `role`.
    pub fn token_for(role: Role) -> String {
        format!("{}-sandbox", role.code())
    }

    fn config(&self, token: &str) -> ClientConfig {
        let mut config = ClientConfig::new(self.base_url.clone())
            .bearer_token(token.to_owned())
            .no_proxy();
        if let Some(ca) = &self.ca {
            config = config.ca_cert_pem(ca.pem.clone());
        }
        config
    }

    /// The faults armed for the next requests; arm them here or with
    /// `POST /_sandbox/faults`.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The CA certificate (PEM) that signed the server's, with TLS.
    pub fn ca_cert_pem(&self) -> Option<&str> {
        self.ca.as_ref().map(|c| c.pem.as_str())
    }

    /// Where the CA certificate is written, with TLS (for `--ca-cert`);
    /// removed when the sandbox stops.
    pub fn ca_cert_path(&self) -> Option<&Path> {
        self.ca.as_ref().map(|c| c.path.as_path())
    }

    /// The state file, if the state is saved.
    pub fn state_file(&self) -> Option<&Path> {
        self.state_file.as_deref()
    }

    /// Stops listening and drops every connection. The state file, if
    /// any, already holds every change.
    pub async fn stop(mut self) {
        self.task.abort();
        let _ = (&mut self.task).await;
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.task.abort();
    }
}
