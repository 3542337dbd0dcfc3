//! The state a generated client carries for its hooks.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::auth::{TokenError, TokenSource};
use crate::observe::Observer;
use crate::retry::RetryPolicy;

/// The generated clients' inner type: auth, retries, limits. Built by
/// [`crate::ClientConfig::into_parts`].
#[derive(Clone)]
pub struct Session {
    pub(crate) auth: Option<Arc<dyn TokenSource>>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: u64,
    pub(crate) keep_api_version: bool,
    pub(crate) observer: Option<Observer>,
}

impl Default for Session {
    fn default() -> Self {
        Self {
            auth: None,
            retry: RetryPolicy::default(),
            max_response_bytes: crate::config::DEFAULT_MAX_RESPONSE_BYTES,
            keep_api_version: false,
            observer: None,
        }
    }
}

impl Session {
    /// The same session with another retry policy: the generated clients'
    /// `with_retry` uses it to opt one call, or one client, into retrying
    /// POST and PATCH.
    pub fn with_retry(&self, retry: RetryPolicy) -> Self {
        Self {
            retry,
            ..self.clone()
        }
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Makes `request` what the API expects: the bearer token, and no
    /// `api-version` header (progenitor adds one; the API defines none).
    pub async fn prepare(&self, request: &mut reqwest::Request) -> Result<(), TokenError> {
        if !self.keep_api_version {
            request.headers_mut().remove("api-version");
        }
        if let Some(source) = &self.auth {
            let token = source.token().await?;
            let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose()))
                .map_err(|_| TokenError("the token is not a valid header value".into()))?;
            // Keeps the value out of reqwest's and http's Debug output.
            value.set_sensitive(true);
            request.headers_mut().insert(AUTHORIZATION, value);
        }
        Ok(())
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = if self.auth.is_some() {
            "bearer <redacted>"
        } else {
            "none"
        };
        f.debug_struct("Session")
            .field("auth", &auth)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}
