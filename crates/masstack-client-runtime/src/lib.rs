#![doc = include_str!("../README.md")]

pub mod attachment;
pub mod auth;
#[cfg(feature = "cli")]
pub mod cli;
pub mod config;
pub mod decode;
pub mod hooks;
pub mod observe;
pub mod report;
pub mod retry;
pub mod session;
mod tls;
pub use tls::{TrustStore, trust_store};

pub use auth::{
    ApiKeyLocation, AuthSchemes, Token, TokenError, TokenFuture, TokenSource, token_fn,
};
pub use config::{ClientConfig, ConfigError, DEFAULT_MAX_RESPONSE_BYTES};
pub use observe::Exchange;
pub use report::{ErrorDetails, Report};
pub use retry::RetryPolicy;
pub use session::Session;

/// The schemes given to [`client_support!`], or none.
#[doc(hidden)]
#[macro_export]
macro_rules! __auth_schemes {
    () => {
        $crate::AuthSchemes::default()
    };
    ($schemes:expr) => {
        $schemes
    };
}

/// Paths the [`client_support!`] expansion needs, so generated crates do
/// not have to name these dependencies themselves.
#[doc(hidden)]
pub mod __private {
    pub use progenitor_client;
    pub use reqwest;
}

/// Implements, for a generated `Client` whose inner type is [`Session`],
/// progenitor's `ClientHooks` (through [`hooks`]), `Client::from_config`
/// and `Client::with_retry`; with an environment enum, also
/// `Environment::config`.
#[macro_export]
macro_rules! client_support {
    ($client:ident) => {
        $crate::client_support!($client; $crate::AuthSchemes::default());
    };
    ($client:ident; $schemes:expr) => {
        impl $crate::__private::progenitor_client::ClientHooks<$crate::Session> for $client {
            async fn pre<E>(
                &self,
                request: &mut $crate::__private::reqwest::Request,
                _info: &$crate::__private::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), $crate::__private::progenitor_client::Error<E>> {
                $crate::hooks::pre(&self.inner, request).await
            }

            async fn post<E>(
                &self,
                result: &$crate::__private::reqwest::Result<$crate::__private::reqwest::Response>,
                _info: &$crate::__private::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), $crate::__private::progenitor_client::Error<E>> {
                $crate::hooks::post(result)
            }

            async fn exec(
                &self,
                request: $crate::__private::reqwest::Request,
                info: &$crate::__private::progenitor_client::OperationInfo,
            ) -> $crate::__private::reqwest::Result<$crate::__private::reqwest::Response> {
                $crate::hooks::exec(&self.inner, &self.client, request, info).await
            }
        }

        impl $client {
            /// A client as `config` describes it: base URL, auth, TLS,
            /// proxy, retries, timeouts, limits.
            pub fn from_config(
                config: $crate::ClientConfig,
            ) -> ::std::result::Result<Self, $crate::ConfigError> {
                let (base_url, http, session) = config.into_parts_for($schemes)?;
                Ok(Self::new_with_client(&base_url, http, session))
            }

            /// The same client (same connections) with another retry
            /// policy, for example to let one known-safe POST be retried:
            /// `client.with_retry(RetryPolicy::default().retry_non_idempotent(true))`.
            pub fn with_retry(&self, policy: $crate::RetryPolicy) -> Self {
                Self::new_with_client(
                    &self.baseurl,
                    self.client.clone(),
                    self.inner.with_retry(policy),
                )
            }
        }
    };
    ($client:ident, $environment:ident $(; $schemes:expr)?) => {
        $crate::client_support!($client; $crate::__auth_schemes!($($schemes)?));

        impl $environment {
            /// A configuration pointing at this environment.
            pub fn config(self) -> $crate::ClientConfig {
                $crate::ClientConfig::new(self.base_url())
            }
        }
    };
}
