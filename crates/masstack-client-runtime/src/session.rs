//! The state a generated client carries for its hooks.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderValue};

use base64::Engine;
use secrecy::ExposeSecret;

use crate::auth::{ApiKeyLocation, Credentials, TokenError};
use crate::observe::Observer;
use crate::retry::RetryPolicy;

/// The generated clients' inner type: auth, retries, limits. Built by
/// [`crate::ClientConfig::into_parts`].
#[derive(Clone)]
pub struct Session {
    pub(crate) auth: Option<Credentials>,
    pub(crate) api_key_location: Option<ApiKeyLocation>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: u64,
    pub(crate) keep_api_version: bool,
    pub(crate) observer: Option<Observer>,
}

impl Default for Session {
    fn default() -> Self {
        Self {
            auth: None,
            api_key_location: None,
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

    /// Makes `request` what the API expects: its credentials, and no
    /// `api-version` header (progenitor adds one; the APIs define none).
    pub async fn prepare(&self, request: &mut reqwest::Request) -> Result<(), TokenError> {
        if !self.keep_api_version {
            request.headers_mut().remove("api-version");
        }
        let sensitive = |value: String| {
            let mut value = HeaderValue::try_from(value)
                .map_err(|_| TokenError("the credentials are not a valid header value".into()))?;
            // Keeps the value out of reqwest's and http's Debug output.
            value.set_sensitive(true);
            Ok::<_, TokenError>(value)
        };
        match &self.auth {
            None => {}
            Some(Credentials::Bearer(source)) => {
                let token = source.token().await?;
                let value = sensitive(format!("Bearer {}", token.expose()))?;
                request.headers_mut().insert(AUTHORIZATION, value);
            }
            Some(Credentials::Basic { user, password }) => {
                let pair = format!("{user}:{}", password.expose_secret());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                request
                    .headers_mut()
                    .insert(AUTHORIZATION, sensitive(format!("Basic {encoded}"))?);
            }
            Some(Credentials::ApiKey(key)) => match self.api_key_location {
                Some(ApiKeyLocation::Header(name)) => {
                    let name = reqwest::header::HeaderName::from_static(name);
                    request
                        .headers_mut()
                        .insert(name, sensitive(key.expose_secret().to_owned())?);
                }
                Some(ApiKeyLocation::Query(name)) => {
                    request
                        .url_mut()
                        .query_pairs_mut()
                        .append_pair(name, key.expose_secret());
                }
                None => {
                    return Err(TokenError(
                        "an API key is configured, but this API's spec declares no `apiKey` security scheme".into(),
                    ));
                }
            },
        }
        Ok(())
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.auth {
            None => "none",
            Some(Credentials::Bearer(_)) => "bearer <redacted>",
            Some(Credentials::Basic { .. }) => "basic <redacted>",
            Some(Credentials::ApiKey(_)) => "api key <redacted>",
        };
        f.debug_struct("Session")
            .field("auth", &auth)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use crate::{ApiKeyLocation, AuthSchemes, ClientConfig};

    async fn prepared(
        config: ClientConfig,
        schemes: AuthSchemes,
    ) -> Result<reqwest::Request, String> {
        let (_, http, session) = config.into_parts_for(schemes).map_err(|e| e.to_string())?;
        let mut request = http
            .get("http://example.test/v1/things?page=2")
            .header("api-version", "1")
            .build()
            .unwrap();
        session
            .prepare(&mut request)
            .await
            .map_err(|e| e.to_string())?;
        Ok(request)
    }

    fn base() -> ClientConfig {
        ClientConfig::new("http://example.test")
    }

    #[tokio::test]
    async fn each_kind_of_credentials_goes_where_the_scheme_says() {
        let bearer = prepared(base().bearer_token("t0ken"), AuthSchemes::default())
            .await
            .unwrap();
        assert_eq!(bearer.headers()["authorization"], "Bearer t0ken");
        assert!(bearer.headers()["authorization"].is_sensitive());
        assert!(bearer.headers().get("api-version").is_none());

        let basic = prepared(base().basic_auth("ana", "s3cret"), AuthSchemes::default())
            .await
            .unwrap();
        // base64("ana:s3cret")
        assert_eq!(basic.headers()["authorization"], "Basic YW5hOnMzY3JldA==");

        let header = AuthSchemes {
            api_key: Some(ApiKeyLocation::Header("x-api-key")),
        };
        let in_header = prepared(base().api_key("k3y"), header).await.unwrap();
        assert_eq!(in_header.headers()["x-api-key"], "k3y");
        assert!(in_header.headers().get("authorization").is_none());

        let query = AuthSchemes {
            api_key: Some(ApiKeyLocation::Query("api_key")),
        };
        let in_query = prepared(base().api_key("k 3y"), query).await.unwrap();
        assert_eq!(in_query.url().query(), Some("page=2&api_key=k+3y"));

        let nowhere = prepared(base().api_key("k3y"), AuthSchemes::default())
            .await
            .unwrap_err();
        assert!(
            nowhere.contains("declares no `apiKey` security scheme"),
            "{nowhere}"
        );

        let anonymous = prepared(base(), AuthSchemes::default()).await.unwrap();
        assert!(anonymous.headers().get("authorization").is_none());

        let kept = prepared(base().keep_api_version_header(true), AuthSchemes::default())
            .await
            .unwrap();
        assert_eq!(kept.headers()["api-version"], "1");
    }

    #[test]
    fn debug_output_never_shows_credentials() {
        for config in [
            base().bearer_token("t0ken"),
            base().basic_auth("ana", "s3cret"),
            base().api_key("k3y"),
        ] {
            let (_, _, session) = config.clone().into_parts().unwrap();
            let shown = format!("{config:?} {session:?}");
            for secret in ["t0ken", "s3cret", "k3y"] {
                assert!(!shown.contains(secret), "{shown}");
            }
        }
    }
}
