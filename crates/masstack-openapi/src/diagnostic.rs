//! Problems found in the inputs, each located in a file, and the JSON
//! pointers that locate them.

use std::fmt;

/// Where in a file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// The whole file.
    File,
    /// A text position (1-based), for syntax and shape errors.
    LineColumn {
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
    },
    /// A JSON pointer into the parsed document (`#/paths/~1v2~1ticket/get`).
    Pointer(String),
    /// A key: its text position (1-based) and its JSON pointer.
    Key {
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// Its JSON pointer.
        pointer: String,
    },
    /// An operation, named by its id when it has one.
    Operation {
        /// The operationId, or `METHOD /path` without one.
        name: String,
        /// Its JSON pointer.
        pointer: String,
    },
}

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as given in the manifest (relative to the workspace root).
    pub file: String,
    /// Where in the file.
    pub location: Location,
    /// What is wrong, and what to do.
    pub message: String,
}

impl Diagnostic {
    /// A problem at `location` of `file`.
    pub fn new(file: &str, location: Location, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location,
            message: message.into(),
        }
    }

    /// A problem at a JSON pointer of `file`.
    pub fn at_pointer(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        Self::new(file, Location::Pointer(pointer.to_owned()), message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::File => write!(f, "{}: {}", self.file, self.message),
            Location::LineColumn { line, column } => {
                write!(f, "{}:{line}:{column}: {}", self.file, self.message)
            }
            Location::Pointer(p) => write!(f, "{} at {p}: {}", self.file, self.message),
            Location::Key {
                line,
                column,
                pointer,
            } => write!(
                f,
                "{}:{line}:{column} ({pointer}): {}",
                self.file, self.message
            ),
            Location::Operation { name, pointer } => {
                write!(
                    f,
                    "{} operation {name} ({pointer}): {}",
                    self.file, self.message
                )
            }
        }
    }
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// One pointer segment as written: the inverse of [`escape_segment`].
pub fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Appends one segment to a pointer.
pub fn join(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape_segment(segment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_escape_and_unescape_in_rfc_6901_order() {
        for name in ["a/b", "x~y", "~1", "/~0/", "plain"] {
            assert_eq!(unescape_segment(&escape_segment(name)), name);
        }
        // `~01` is `~1`, not `/`: `~1` is read before `~0`.
        assert_eq!(unescape_segment("~01"), "~1");
        assert_eq!(escape_segment("~1"), "~01");
    }
}
