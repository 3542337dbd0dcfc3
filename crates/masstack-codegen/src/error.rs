//! The ways a generation run can fail.

use std::path::PathBuf;

use masstack_openapi::load::LoadError;

use crate::diagnostic::Diagnostic;

/// Why generation produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The inputs are wrong: every problem found, in a stable order.
    #[error("{} problem(s):\n{}", .0.len(), render(.0))]
    Invalid(Vec<Diagnostic>),
    /// A bug in the generator (a panic outside progenitor): not the input's fault.
    #[error(
        "internal error: {0}; this is a bug in masstack-codegen, please report it with the spec that caused it"
    )]
    Internal(String),
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
}

impl From<LoadError> for Error {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Invalid(d) => Self::Invalid(d),
            LoadError::Io { path, source } => Self::Io { path, source },
        }
    }
}

impl Error {
    /// An I/O failure on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// Renders diagnostics one per line, as the xtask prints them.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("  {d}\n")).collect()
}
