//! The state a generated client carries for its hooks.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::auth::{TokenError, TokenSource};

/// The generated clients' inner type: where the bearer token comes from.
#[derive(Clone, Default)]
pub struct Session {
    auth: Option<Arc<dyn TokenSource>>,
}

impl Session {
    /// No `Authorization` header (for example behind mTLS).
    pub fn anonymous() -> Self {
        Self::default()
    }

    pub fn bearer(source: impl TokenSource + 'static) -> Self {
        Self {
            auth: Some(Arc::new(source)),
        }
    }

    /// Makes `request` what the API expects: the bearer token, and no
    /// `api-version` header (progenitor adds one; the API defines none).
    pub async fn prepare(&self, request: &mut reqwest::Request) -> Result<(), TokenError> {
        let headers = request.headers_mut();
        headers.remove("api-version");
        if let Some(source) = &self.auth {
            let token = source.token().await?;
            let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose()))
                .map_err(|_| TokenError("the token is not a valid header value".into()))?;
            // Keeps the value out of reqwest's and http's Debug output.
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
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
        f.debug_struct("Session").field("auth", &auth).finish()
    }
}
