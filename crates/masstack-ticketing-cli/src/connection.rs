//! The connection options, accepted before or after the subcommand, and the
//! one place clients are built from them.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use clap::ArgMatches;
use clap::parser::ValueSource;
use http::HeaderValue;
use masstack_ticketing::{ClientConfig, ConfigError, RetryPolicy};

use crate::api::Api;

/// The last response body, as received, for printing it unchanged.
#[derive(Clone, Default)]
pub struct Tap(Arc<Mutex<Option<Bytes>>>);

impl Tap {
    /// The body of the last response, if any.
    pub fn last(&self) -> Option<Bytes> {
        self.0.lock().ok()?.clone()
    }
}

/// Parsed connection options.
pub struct Connection {
    env: Option<String>,
    base_url: Option<String>,
    token: Option<String>,
    ca_cert: Option<PathBuf>,
    identity: Option<(PathBuf, PathBuf)>,
    timeout: Duration,
    retries: u32,
    /// (what a TLS error calls the file, the variable it came from), for
    /// the files that came from the environment and not the command line.
    file_variables: Vec<(&'static str, &'static str)>,
    tap: Tap,
}

impl Connection {
    /// Reads the options; refuses a token that cannot be sent.
    pub fn from_matches(matches: &ArgMatches) -> Result<Self, String> {
        let token = matches.get_one::<String>("token").cloned();
        if let Some(token) = &token {
            if token.trim().is_empty() {
                return Err("the token (--token or MASSTACK_TOKEN) is empty".into());
            }
            if HeaderValue::try_from(format!("Bearer {token}")).is_err() {
                return Err(
                    "the token (--token or MASSTACK_TOKEN) holds characters an HTTP header cannot carry (a line break?)"
                        .into(),
                );
            }
        }
        let identity = match (
            matches.get_one::<PathBuf>("client-cert"),
            matches.get_one::<PathBuf>("client-key"),
        ) {
            (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
            _ => None,
        };
        let file_variables = [
            ("ca-cert", "CA certificate", "SSL_CERT_FILE"),
            ("client-cert", "client certificate", "MASSTACK_CLIENT_CERT"),
            ("client-key", "client key", "MASSTACK_CLIENT_KEY"),
        ]
        .into_iter()
        .filter(|(id, ..)| matches.value_source(id) == Some(ValueSource::EnvVariable))
        .map(|(_, what, variable)| (what, variable))
        .collect();
        Ok(Self {
            env: matches.get_one::<String>("env").cloned(),
            base_url: matches.get_one::<String>("base-url").cloned(),
            token,
            ca_cert: matches.get_one::<PathBuf>("ca-cert").cloned(),
            identity,
            timeout: Duration::from_secs_f64(*matches.get_one::<f64>("timeout").unwrap_or(&30.0)),
            retries: *matches.get_one::<u32>("retries").unwrap_or(&2),
            file_variables,
            tap: Tap::default(),
        })
    }

    /// What the last response said, as received.
    pub fn tap(&self) -> &Tap {
        &self.tap
    }

    /// The client of API `A` these options describe.
    pub fn client<A: Api>(&self) -> Result<A::Client, String> {
        let config = self.config::<A>()?;
        A::client(config).map_err(|e| {
            let variable = match &e {
                ConfigError::Tls { what, .. } => self
                    .file_variables
                    .iter()
                    .find(|(w, _)| w == what)
                    .map(|(_, v)| *v),
                _ => None,
            };
            match variable {
                Some(variable) => {
                    format!("{e} (the file comes from the environment variable {variable})")
                }
                None => e.to_string(),
            }
        })
    }

    fn config<A: Api>(&self) -> Result<ClientConfig, String> {
        let base_url = match &self.base_url {
            Some(url) => url.clone(),
            None => self.environment_url::<A>()?,
        };
        let tap = self.tap.clone();
        let mut config = ClientConfig::new(base_url)
            .timeout(self.timeout)
            .retry(RetryPolicy::default().max_retries(self.retries))
            .on_response(move |exchange| {
                if let Ok(mut last) = tap.0.lock() {
                    *last = Some(exchange.body.clone());
                }
            });
        if let Some(token) = &self.token {
            config = config.bearer_token(token.clone());
        }
        if let Some(ca) = &self.ca_cert {
            config = config.ca_cert_file(ca);
        }
        if let Some((cert, key)) = &self.identity {
            config = config.identity_files(cert, key);
        }
        Ok(config)
    }

    /// `--env`'s server for API `A`; staging when none is given.
    fn environment_url<A: Api>(&self) -> Result<String, String> {
        let documented = A::environments();
        let wanted = self.env.as_deref().unwrap_or("staging");
        match documented.iter().find(|(name, _)| *name == wanted) {
            Some((_, url)) => Ok((*url).to_owned()),
            None if documented.is_empty() => Err(format!(
                "{} documents no server; give its URL with --base-url",
                A::NAME
            )),
            None => {
                let names: Vec<&str> = documented.iter().map(|(n, _)| *n).collect();
                Err(format!(
                    "{} documents no `{wanted}` server (only: {}); give its URL with --base-url",
                    A::NAME,
                    names.join(", ")
                ))
            }
        }
    }
}
