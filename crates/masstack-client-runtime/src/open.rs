//! Enum values the server may extend: a response must not fail because a
//! server started sending a value the spec does not list yet.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A value of the known enum `T`, or one the spec does not list, kept as
/// sent. Used through the manifest's `replace` for response-side schemas.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Open<T> {
    /// A value the spec lists.
    Known(T),
    /// A value the spec does not list (yet), as sent.
    Unknown(String),
}

impl<T> Open<T> {
    /// The known value, if it is one.
    pub fn known(&self) -> Option<&T> {
        match self {
            Self::Known(t) => Some(t),
            Self::Unknown(_) => None,
        }
    }
}

impl<T> From<T> for Open<T> {
    fn from(value: T) -> Self {
        Self::Known(value)
    }
}

impl<T: fmt::Display> fmt::Display for Open<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Known(t) => t.fmt(f),
            Self::Unknown(s) => f.write_str(s),
        }
    }
}
