//! Where a client points, how it authenticates, and its timeouts.

use std::time::Duration;

use crate::auth::{Token, TokenSource};
use crate::session::Session;

/// Everything needed to build a generated client.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    base_url: String,
    session: Session,
    timeout: Duration,
    connect_timeout: Duration,
}

/// A configuration that cannot make a client.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid base URL `{url}`: {reason}")]
    BaseUrl { url: String, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
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
            session: Session::anonymous(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
        }
    }

    /// A fixed bearer token.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_source(Token::new(token))
    }

    /// A source asked for a token before every request.
    pub fn token_source(mut self, source: impl TokenSource + 'static) -> Self {
        self.session = Session::bearer(source);
        self
    }

    /// The whole request, from connecting to the last byte of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The base URL, the HTTP client and the session, checked.
    pub fn into_parts(self) -> Result<(String, reqwest::Client, Session), ConfigError> {
        let bad = |reason: String| ConfigError::BaseUrl {
            url: self.base_url.clone(),
            reason,
        };
        let url = reqwest::Url::parse(&self.base_url).map_err(|e| bad(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https".into()));
        }
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .build()
            .map_err(ConfigError::Http)?;
        Ok((self.base_url, http, self.session))
    }
}
