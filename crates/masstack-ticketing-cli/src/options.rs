//! The global options: where to send requests and with which token.

use masstack_ticketing::ClientConfig;

/// Parsed global options, one client configuration per API.
pub struct Options {
    env: Option<String>,
    base_url: Option<String>,
    token: Option<String>,
}

impl Options {
    pub fn from_matches(matches: &clap::ArgMatches) -> Self {
        Self {
            env: matches.get_one::<String>("env").cloned(),
            base_url: matches.get_one::<String>("base-url").cloned(),
            token: matches.get_one::<String>("token").cloned(),
        }
    }

    /// The configuration for an API whose environments parse from `--env`
    /// and give a base URL.
    pub fn config<E>(&self, base_url_of: impl Fn(E) -> &'static str) -> Result<ClientConfig, String>
    where
        E: std::str::FromStr<Err = String>,
    {
        let base_url = match (&self.base_url, &self.env) {
            (Some(url), _) => url.clone(),
            (None, env) => {
                let name = env.as_deref().unwrap_or("staging");
                let env: E = name.parse().map_err(|e| format!("--env: {e}"))?;
                base_url_of(env).to_owned()
            }
        };
        let config = ClientConfig::new(base_url);
        Ok(match &self.token {
            Some(token) => config.bearer_token(token.clone()),
            None => config,
        })
    }
}
