//! What the commands print, and the exit code it leads to.

use std::cell::Cell;
use std::rc::Rc;

use serde::Serialize;

/// How a command ended; each has its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The API answered with an error.
    Api,
    /// Bad usage or input (also a transaction the lifecycle refuses).
    Usage,
    /// The API could not be reached.
    Network,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Self::Success => 0,
            Self::Api => 1,
            Self::Usage => 2,
            Self::Network => 3,
        }
    }
}

/// Prints `message` to stderr and returns `outcome`.
pub fn fail(outcome: Outcome, message: impl std::fmt::Display) -> Outcome {
    eprintln!("ticketing: {message}");
    outcome
}

pub fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("ticketing: the response could not be printed: {e}"),
    }
}

/// The outcome of a progenitor error, with its report on stderr.
pub fn report_error<E: Serialize>(error: &progenitor_client_error::Error<E>) -> Outcome {
    use progenitor_client_error::Error;
    match error {
        Error::ErrorResponse(rv) => {
            eprintln!("ticketing: the API answered {}", rv.status());
            match serde_json::to_string_pretty(&**rv) {
                Ok(text) => eprintln!("{text}"),
                Err(_) => eprintln!("(the error body could not be printed)"),
            }
            Outcome::Api
        }
        Error::UnexpectedResponse(response) => fail(
            Outcome::Api,
            format!(
                "the API answered {}, a status the spec does not document",
                response.status()
            ),
        ),
        Error::CommunicationError(e) | Error::ResponseBodyError(e) | Error::InvalidUpgrade(e) => {
            let target = e
                .url()
                .map(|u| u.to_string())
                .unwrap_or_else(|| "the API".into());
            fail(Outcome::Network, format!("could not reach {target}: {e}"))
        }
        Error::InvalidRequest(message) => fail(Outcome::Usage, message),
        Error::InvalidResponsePayload(_, e) => fail(
            Outcome::Api,
            format!("the API answered with a body that does not parse: {e}"),
        ),
        Error::Custom(message) => fail(Outcome::Api, message),
    }
}

/// Both client crates re-export the same progenitor error type.
mod progenitor_client_error {
    pub use masstack_ticketing::Error;
}

/// progenitor's `CliConfig` for both APIs: pretty JSON on stdout, errors on
/// stderr, and the outcome kept for the exit code.
#[derive(Clone, Default)]
pub struct Printer {
    outcome: Rc<Cell<Option<Outcome>>>,
}

impl Printer {
    /// The outcome the API calls reported, if any.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.get()
    }

    pub fn success<T: Serialize>(&self, value: &T) {
        print_json(value);
        self.outcome.set(Some(Outcome::Success));
    }

    pub fn success_empty(&self) {
        self.outcome.set(Some(Outcome::Success));
    }

    pub fn error<E: Serialize>(&self, error: &progenitor_client_error::Error<E>) {
        self.outcome.set(Some(report_error(error)));
    }
}

/// Implements a generated `CliConfig` trait for [`Printer`].
macro_rules! cli_config {
    ($trait:path, $value:ident, $error:ident) => {
        impl $trait for Printer {
            fn success_item<T>(&self, value: &$value<T>)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                self.success(&**value);
            }

            fn success_no_item(&self, _: &$value<()>) {
                self.success_empty();
            }

            fn error<T>(&self, value: &$error<T>)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                Printer::error(self, value);
            }

            fn list_start<T>(&self)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                println!("[");
            }

            fn list_item<T>(&self, value: &T)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                print_json(value);
                println!(",");
            }

            fn list_end_success<T>(&self)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                println!("]");
                self.success_empty();
            }

            fn list_end_error<T>(&self, value: &$error<T>)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                Printer::error(self, value);
            }
        }
    };
}

use masstack_ticketing::{Error as V2Error, ResponseValue as V2Value};
use masstack_ticketing_ossj::{Error as OssjError, ResponseValue as OssjValue};

cli_config!(masstack_ticketing::cli::CliConfig, V2Value, V2Error);
cli_config!(
    masstack_ticketing_ossj::cli::CliConfig,
    OssjValue,
    OssjError
);
