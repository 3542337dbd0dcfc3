//! What the command line needs from each generated client crate, so that
//! connecting is written once for both APIs.

use masstack_ticketing::{ClientConfig, ConfigError};

/// One API the tool speaks.
pub trait Api {
    /// The subcommand it is mounted under, and its name in messages.
    const NAME: &'static str;
    /// The generated client.
    type Client;
    /// The spec's documented servers, by name.
    fn environments() -> Vec<(&'static str, &'static str)>;
    /// A client from a configuration.
    fn client(config: ClientConfig) -> Result<Self::Client, ConfigError>;
}

macro_rules! api {
    ($marker:ident, $name:literal, $krate:ident) => {
        #[doc = concat!("The `", $name, "` API (`", stringify!($krate), "`).")]
        pub struct $marker;

        impl Api for $marker {
            const NAME: &'static str = $name;
            type Client = $krate::Client;

            fn environments() -> Vec<(&'static str, &'static str)> {
                $krate::Environment::ALL
                    .iter()
                    .map(|e| (e.name(), e.base_url()))
                    .collect()
            }

            fn client(config: ClientConfig) -> Result<Self::Client, ConfigError> {
                $krate::Client::from_config(config)
            }
        }
    };
}

api!(V2, "v2", masstack_ticketing);
api!(Ossj, "ossj", masstack_ticketing_ossj);

/// Every environment name either API documents, in spec order, once each.
pub fn environment_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for (name, _) in V2::environments().into_iter().chain(Ossj::environments()) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}
