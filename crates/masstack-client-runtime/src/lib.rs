//! What the generated MasStack ticketing clients share at run time, written
//! by hand: bearer auth from a fixed token or a token source, the request
//! hooks (auth header, no `api-version` header, a `tracing` span per call,
//! non-JSON error bodies kept), client configuration and attachment
//! encoding.
//!
//! Each generated crate sets [`Session`] as its client's inner type and
//! implements progenitor's `ClientHooks` by calling [`hooks`].

pub mod attachment;
pub mod auth;
pub mod config;
pub mod hooks;
pub mod open;
pub mod session;

pub use auth::{Token, TokenError, TokenFuture, TokenSource, token_fn};
pub use config::{ClientConfig, ConfigError};
pub use open::Open;
pub use session::Session;

/// Paths the [`client_support!`] expansion needs, so generated crates do
/// not have to name these dependencies themselves.
#[doc(hidden)]
pub mod __private {
    pub use progenitor_client;
    pub use reqwest;
}

/// Implements, for a generated `Client` whose inner type is [`Session`],
/// progenitor's `ClientHooks` (through [`hooks`]), `Client::from_config`,
/// and `Environment::config`.
#[macro_export]
macro_rules! client_support {
    ($client:ident, $environment:ident) => {
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
                $crate::hooks::exec(&self.client, request, info).await
            }
        }

        impl $client {
            /// A client as `config` describes it: base URL, bearer token
            /// or token source, timeouts.
            pub fn from_config(
                config: $crate::ClientConfig,
            ) -> ::std::result::Result<Self, $crate::ConfigError> {
                let (base_url, http, session) = config.into_parts()?;
                Ok(Self::new_with_client(&base_url, http, session))
            }
        }

        impl $environment {
            /// A configuration pointing at this environment.
            pub fn config(self) -> $crate::ClientConfig {
                $crate::ClientConfig::new(self.base_url())
            }
        }
    };
}
