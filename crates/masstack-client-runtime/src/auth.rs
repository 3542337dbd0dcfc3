//! Credentials: bearer tokens (fixed or from a source asked before each
//! request), HTTP basic, and API keys where the spec puts them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

/// A bearer token. Neither `Debug` nor any error shows its value.
#[derive(Clone)]
pub struct Token(Arc<SecretString>);

impl Token {
    /// Wraps a token value (a JWT).
    pub fn new(value: impl Into<String>) -> Self {
        Self(Arc::new(SecretString::from(value.into())))
    }

    /// The secret itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl PartialEq for Token {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Token {}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// A token source failed; the message must not contain the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the token source failed: {0}")]
pub struct TokenError(pub String);

/// What [`TokenSource::token`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>>;

/// Asked for a token before every request, so a service can refresh
/// tokens as they expire.
pub trait TokenSource: Send + Sync {
    /// The token for the next request.
    fn token(&self) -> TokenFuture<'_>;
}

impl TokenSource for Token {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// A token source from an async closure.
pub fn token_fn<F, Fut>(f: F) -> impl TokenSource
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Token, TokenError>> + Send + 'static,
{
    struct FnSource<F>(F);
    impl<F, Fut> TokenSource for FnSource<F>
    where
        F: Fn() -> Fut + Send + Sync,
        Fut: Future<Output = Result<Token, TokenError>> + Send + 'static,
    {
        fn token(&self) -> TokenFuture<'_> {
            Box::pin((self.0)())
        }
    }
    FnSource(f)
}

/// What a client sends to authenticate, as configured.
#[derive(Clone)]
pub(crate) enum Credentials {
    /// `Authorization: Bearer <token>`, the token asked for each request.
    Bearer(Arc<dyn TokenSource>),
    /// `Authorization: Basic <base64(user:password)>`.
    Basic {
        user: String,
        password: SecretString,
    },
    /// An API key, placed where the spec's `apiKey` scheme says.
    ApiKey(SecretString),
}

/// Where the spec's `apiKey` security scheme puts the key; the generated
/// crate passes it to [`crate::ClientConfig::into_parts_for`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiKeyLocation {
    /// In the request header of this name.
    Header(&'static str),
    /// In the query parameter of this name.
    Query(&'static str),
}

/// The security schemes of a spec the run time acts on (HTTP bearer and
/// basic need no spec information).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthSchemes {
    /// The `apiKey` scheme, if the spec declares one.
    pub api_key: Option<ApiKeyLocation>,
}
