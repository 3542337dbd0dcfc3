//! Bearer tokens, and where a client gets them before each request.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A bearer token. `Debug` never shows its value.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Arc<str>);

impl Token {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Arc::from(value.into()))
    }

    /// The secret itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

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
