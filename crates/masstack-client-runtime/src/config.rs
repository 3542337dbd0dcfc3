//! Where a client points, how it authenticates, whom it trusts, how it
//! retries, and its limits.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use crate::auth::{AuthSchemes, Credentials, Token, TokenSource};
use crate::observe::{Exchange, Observer};
use crate::retry::RetryPolicy;
use crate::session::Session;
use crate::tls::{Pem, TlsSettings};

/// The largest response body read by default: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// Everything needed to build a generated client.
///
/// Defaults: no auth, HTTPS through rustls with the operating system's
/// trust store, proxies from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`, gzip and
/// HTTP/2 when the server offers them (with the features `gzip` and
/// `http2`, off by default), a 10 s connect and 30 s total timeout
/// per attempt, [`RetryPolicy::default`], and responses up to
/// [`DEFAULT_MAX_RESPONSE_BYTES`].
#[derive(Clone)]
pub struct ClientConfig {
    base_url: String,
    auth: Option<Credentials>,
    timeout: Duration,
    connect_timeout: Duration,
    tls: TlsSettings,
    proxy: Proxy,
    retry: RetryPolicy,
    max_response_bytes: u64,
    keep_api_version: bool,
    observer: Option<Observer>,
}

#[derive(Debug, Clone)]
enum Proxy {
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`.
    FromEnvironment,
    Url(String),
    Direct,
}

/// A configuration that cannot make a client; each names what to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL does not parse or is not HTTP(S).
    #[error("invalid base URL `{url}`: {reason}")]
    BaseUrl {
        /// The URL as given.
        url: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// A CA bundle or client identity cannot be read or parsed.
    #[error("{what} {source_name}: {reason}")]
    Tls {
        /// "CA certificate", "client certificate" or "client key".
        what: &'static str,
        /// The file, or "given as PEM text".
        source_name: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// `SSL_CERT_FILE` or `SSL_CERT_DIR` is set (not empty) to something
    /// that holds no usable certificate. Not ignored: trusting other roots
    /// instead would be a silent change of who is trusted.
    #[error(
        "the environment variable {variable} is `{value}`: {reason}; point it at a PEM file (SSL_CERT_FILE) or a directory of them (SSL_CERT_DIR), or unset it to use the system's store"
    )]
    TrustStoreVariable {
        /// `SSL_CERT_FILE` or `SSL_CERT_DIR`.
        variable: &'static str,
        /// Its value.
        value: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// The explicit proxy URL is not usable.
    #[error("invalid proxy `{url}`: {reason}")]
    Proxy {
        /// The proxy URL as given.
        url: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// reqwest refused the settings.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("tls", &self.tls)
            .field("proxy", &self.proxy)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    /// Requests go to `base_url` (a trailing `/` is dropped: operation
    /// paths start with one). No auth until one is set.
    pub fn new(base_url: impl Into<String>) -> Self {
        let mut base_url = base_url.into();
        while base_url.ends_with('/') {
            base_url.pop();
        }
        Self {
            base_url,
            auth: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            tls: TlsSettings::default(),
            proxy: Proxy::FromEnvironment,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            keep_api_version: false,
            observer: None,
        }
    }

    /// A fixed bearer token.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_source(Token::new(token))
    }

    /// A source asked for a token before every request.
    pub fn token_source(mut self, source: impl TokenSource + 'static) -> Self {
        self.auth = Some(Credentials::Bearer(Arc::new(source)));
        self
    }

    /// HTTP basic authentication.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.auth = Some(Credentials::Basic {
            user: user.into(),
            password: SecretString::from(password.into()),
        });
        self
    }

    /// An API key, sent where the spec's `apiKey` security scheme says (a
    /// header or a query parameter).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.auth = Some(Credentials::ApiKey(SecretString::from(key.into())));
        self
    }

    /// One attempt, from connecting to the last byte of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Establishing the connection (TCP and TLS).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Also trust the CAs in this PEM text (one or more certificates), for
    /// an internal PKI. The operating system's store stays trusted.
    pub fn ca_cert_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.tls.extra_roots.push(Pem::Text(pem.into()));
        self
    }

    /// Also trust the CAs in this PEM file, read when the client is built.
    pub fn ca_cert_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.tls.extra_roots.push(Pem::File(path.into()));
        self
    }

    /// Show this certificate chain and key (PEM) to servers that ask for one
    /// (mutual TLS). Without a token, no `Authorization` header is sent.
    pub fn identity_pem(mut self, cert_chain: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> Self {
        self.tls.identity = Some((Pem::Text(cert_chain.into()), Pem::Text(key.into())));
        self
    }

    /// [`Self::identity_pem`] from files, read when the client is built.
    pub fn identity_files(
        mut self,
        cert_chain: impl Into<PathBuf>,
        key: impl Into<PathBuf>,
    ) -> Self {
        self.tls.identity = Some((Pem::File(cert_chain.into()), Pem::File(key.into())));
        self
    }

    /// Send every request through this proxy (`http://host:port`; HTTPS
    /// goes through it with `CONNECT`), ignoring the environment.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Proxy::Url(url.into());
        self
    }

    /// Connect directly, ignoring `HTTPS_PROXY` and friends.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = Proxy::Direct;
        self
    }

    /// How failed requests are retried ([`RetryPolicy::none`] disables it).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body accepted; a larger one fails the call with
    /// an error that says so instead of filling memory.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Keep the `api-version` header progenitor adds to every request. The
    /// MasStack APIs define none, so it is removed by default.
    pub fn keep_api_version_header(mut self, keep: bool) -> Self {
        self.keep_api_version = keep;
        self
    }

    /// Called with every response as received (status, headers, the whole
    /// body), before it is decoded: for logging, auditing, or reading fields
    /// the spec does not list.
    pub fn on_response(mut self, observer: impl Fn(&Exchange<'_>) + Send + Sync + 'static) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The base URL, the HTTP client and the session, checked.
    pub fn into_parts(self) -> Result<(String, reqwest::Client, Session), ConfigError> {
        self.into_parts_for(AuthSchemes::default())
    }

    /// [`Self::into_parts`] for an API whose spec declares `schemes`
    /// (generated crates pass theirs).
    pub fn into_parts_for(
        self,
        schemes: AuthSchemes,
    ) -> Result<(String, reqwest::Client, Session), ConfigError> {
        let bad = |reason: String| ConfigError::BaseUrl {
            url: self.base_url.clone(),
            reason,
        };
        let url = reqwest::Url::parse(&self.base_url).map_err(|e| bad(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https".into()));
        }
        let builder = reqwest::Client::builder()
            .user_agent(concat!(
                "masstack-client-runtime/",
                env!("CARGO_PKG_VERSION")
            ))
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout);
        let builder = match &self.proxy {
            Proxy::FromEnvironment => builder,
            Proxy::Direct => builder.no_proxy(),
            Proxy::Url(proxy) => {
                let p = reqwest::Proxy::all(proxy.as_str()).map_err(|e| ConfigError::Proxy {
                    url: proxy.clone(),
                    reason: crate::report::chain(&e),
                })?;
                builder.proxy(p)
            }
        };
        let http = self
            .tls
            .apply(builder)?
            .build()
            .map_err(ConfigError::Http)?;
        let session = Session {
            auth: self.auth,
            api_key_location: schemes.api_key,
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
            keep_api_version: self.keep_api_version,
            observer: self.observer,
        };
        Ok((self.base_url, http, session))
    }
}
