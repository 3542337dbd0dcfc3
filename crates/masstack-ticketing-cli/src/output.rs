//! What the commands print, and the exit code it leads to. The server's
//! JSON is printed as received (pretty, every field, in its order), and
//! server-provided text never reaches the terminal with control characters.

use std::cell::Cell;
use std::rc::Rc;

use masstack_client_runtime::report::sanitize;
use masstack_ticketing::ErrorDetails;
use serde::Serialize;

use crate::connection::Tap;

/// How a command ended; each has its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The call succeeded.
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

/// Prints `message` (sanitized) to stderr and returns `outcome`.
pub fn fail(outcome: Outcome, message: impl std::fmt::Display) -> Outcome {
    eprintln!("ticketing: {}", sanitize(&message.to_string()));
    outcome
}

/// `body` pretty-printed with its fields in the order received, or, when it
/// is not JSON, as sanitized text. serde_json escapes control characters
/// inside JSON strings.
pub fn pretty(body: &[u8]) -> String {
    let mut out = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut ser = serde_json::Serializer::pretty(&mut out);
    match serde_transcode::transcode(&mut de, &mut ser).and_then(|()| de.end()) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => sanitize(&String::from_utf8_lossy(body)),
    }
}

/// Writes a line to standard output. A reader that stopped reading
/// (`ticketing … | head`) ends the output quietly instead of a panic.
pub fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{text}").and_then(|()| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("ticketing: cannot write the output: {e}");
    }
}

/// Prints a value the tool built itself (not a server's answer).
pub fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => out(&text),
        Err(e) => eprintln!("ticketing: the response could not be printed: {e}"),
    }
}

/// Prints what the server answered on success: the body as received.
pub fn print_answer<T: Serialize>(tap: &Tap, typed: &T) {
    match tap.last() {
        Some(body) if !body.is_empty() => out(&pretty(&body)),
        _ => print_json(typed),
    }
}

/// The outcome of a progenitor error, with its report on stderr.
pub fn report_error<E: Serialize>(tap: &Tap, error: &masstack_ticketing::Error<E>) -> Outcome {
    use masstack_ticketing::Error;
    let outcome = match error {
        Error::CommunicationError(_) | Error::ResponseBodyError(_) | Error::InvalidUpgrade(_) => {
            Outcome::Network
        }
        Error::InvalidRequest(_) => Outcome::Usage,
        // The answer began, then its body broke off: the network, as before
        // the runtime kept the status (scripts retry on 3).
        Error::UnexpectedResponse(r)
            if r.extensions()
                .get::<masstack_client_runtime::hooks::BodyInterrupted>()
                .is_some() =>
        {
            Outcome::Network
        }
        Error::ErrorResponse(_)
        | Error::UnexpectedResponse(_)
        | Error::InvalidResponsePayload(..)
        | Error::Custom(_) => Outcome::Api,
    };
    match (error, error.response_status(), tap.last()) {
        // A documented error: its status, then its JSON as received.
        (Error::ErrorResponse(_), Some(status), Some(body)) => {
            eprintln!("ticketing: the API answered HTTP {status}");
            eprintln!("{}", pretty(&body));
        }
        // Everything else says itself, body included (sanitized).
        _ => eprintln!("ticketing: {}", error.report()),
    }
    outcome
}

/// progenitor's `CliConfig` for both APIs: the answer on stdout, errors on
/// stderr, and the outcome kept for the exit code.
#[derive(Clone)]
pub struct Printer {
    tap: Tap,
    outcome: Rc<Cell<Option<Outcome>>>,
    items: Rc<std::cell::RefCell<Vec<serde_json::Value>>>,
}

impl Printer {
    pub fn new(tap: Tap) -> Self {
        Self {
            tap,
            outcome: Rc::default(),
            items: Rc::default(),
        }
    }

    /// The outcome the API calls reported, if any.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.get()
    }

    /// A success with a body: the body as received.
    pub fn success<T: Serialize>(&self, value: &T) {
        print_answer(&self.tap, value);
        self.succeeded();
    }

    /// A success without a body.
    pub fn succeeded(&self) {
        self.outcome.set(Some(Outcome::Success));
    }

    /// A failed call: its report, and the exit code it leads to.
    pub fn error<E: Serialize>(&self, error: &masstack_ticketing::Error<E>) {
        self.outcome.set(Some(report_error(&self.tap, error)));
    }

    /// A paginated answer begins.
    pub fn list_start(&self) {
        self.items.borrow_mut().clear();
    }

    /// One item of a paginated answer.
    pub fn list_item<T: Serialize>(&self, value: &T) {
        let item = serde_json::to_value(value).unwrap_or_default();
        self.items.borrow_mut().push(item);
    }

    /// A paginated answer ends: its items as one JSON array.
    pub fn list_end(&self) {
        print_json(&*self.items.borrow());
        self.succeeded();
    }
}

/// Implements a generated `CliConfig` trait for [`Printer`]. The `list_*`
/// methods serve paginated operations (none in our specs today): their
/// items are printed as one JSON array.
#[macro_export]
macro_rules! cli_config {
    ($krate:ident) => {
        impl ::$krate::cli::CliConfig for $crate::output::Printer {
            fn success_item<T>(&self, value: &::$krate::ResponseValue<T>)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                $crate::output::Printer::success(self, &**value);
            }

            fn success_no_item(&self, _: &::$krate::ResponseValue<()>) {
                $crate::output::Printer::succeeded(self);
            }

            fn error<T>(&self, value: &::$krate::Error<T>)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                $crate::output::Printer::error(self, value);
            }

            fn list_start<T>(&self)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                $crate::output::Printer::list_start(self);
            }

            fn list_item<T>(&self, value: &T)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                $crate::output::Printer::list_item(self, value);
            }

            fn list_end_success<T>(&self)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                $crate::output::Printer::list_end(self);
            }

            fn list_end_error<T>(&self, value: &::$krate::Error<T>)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                $crate::output::Printer::error(self, value);
            }
        }
    };
}
