//! The APIs the tool speaks. `generated/apis.rs` lists them (every output of
//! the manifest with the `cli` extra); [`mount!`](crate::mount) turns that list into the
//! subcommand groups, the dispatch to their generated commands, and the
//! printer for their answers, so a new API needs no code here.

use masstack_ticketing::{ClientConfig, ConfigError};

/// What the command line needs from each generated client crate.
pub trait Api {
    /// The subcommand it is mounted under, and its name in messages.
    const NAME: &'static str;
    /// The generated client.
    type Client;
    /// The spec's documented servers: (name, base URL).
    fn environments() -> Vec<(&'static str, &'static str)>;
    /// A client from a configuration.
    fn client(config: ClientConfig) -> Result<Self::Client, ConfigError>;
}

/// Mounts generated client crates: `mount! { "v2" => masstack_ticketing, … }`.
///
/// Each crate must have the `cli` and `environments` extras (its `cli`
/// module and its `Environment`).
#[macro_export]
macro_rules! mount {
    ($($name:literal => $krate:ident,)*) => {
        /// One marker type per mounted API.
        pub mod mounted {
            $(
                #[doc = concat!("The `", $name, "` API.")]
                #[allow(non_camel_case_types)]
                pub struct $krate;

                impl $crate::api::Api for $krate {
                    const NAME: &'static str = $name;
                    type Client = ::$krate::Client;

                    fn environments() -> Vec<(&'static str, &'static str)> {
                        ::$krate::Environment::ALL
                            .iter()
                            .map(|e| (e.name(), e.base_url()))
                            .collect()
                    }

                    fn client(
                        config: ::masstack_ticketing::ClientConfig,
                    ) -> Result<Self::Client, ::masstack_ticketing::ConfigError> {
                        ::$krate::Client::from_config(config)
                    }
                }
            )*
        }

        /// Every mounted API's subcommand group, in manifest order.
        pub fn groups() -> Vec<::clap::Command> {
            vec![$(
                $crate::commands::api_group(
                    $name,
                    ::$krate::API_TITLE,
                    ::$krate::cli::CliCommand::iter().map(|c| {
                        (c.operation_id(), ::$krate::cli::Cli::<$crate::output::Printer>::get_command(c))
                    }),
                ),
            )*]
        }

        /// Every documented environment name, once each, in manifest order.
        pub fn environment_names() -> Vec<&'static str> {
            let mut names: Vec<&'static str> = Vec::new();
            $(
                for (name, _) in <mounted::$krate as $crate::api::Api>::environments() {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            )*
            names
        }

        /// Runs operation `name` of API `api`; `None` when no such API is mounted.
        pub async fn run(
            api: &str,
            name: &str,
            args: &::clap::ArgMatches,
            connection: &$crate::connection::Connection,
        ) -> Option<$crate::output::Outcome> {
            match api {
                $(
                    $name => Some({
                        use ::$krate::cli::{Cli, CliCommand};
                        use ::heck::ToKebabCase;
                        let client = match connection.client::<mounted::$krate>() {
                            Ok(c) => c,
                            Err(message) => {
                                return Some($crate::output::fail($crate::output::Outcome::Usage, message));
                            }
                        };
                        let command = CliCommand::iter()
                            .find(|c| c.operation_id().to_kebab_case() == name)?;
                        let printer = $crate::output::Printer::new(connection.tap().clone());
                        let result = Cli::new(client, printer.clone()).execute(command, args).await;
                        $crate::commands::finish(&printer, result)
                    }),
                )*
                _ => None,
            }
        }

        $(
            $crate::cli_config!($krate);
        )*
    };
}
