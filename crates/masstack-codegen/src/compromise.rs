//! What generation made less exact than the spec says, or decided for the
//! spec, where, and the setting that would make it exact. Every
//! regeneration reports them per output ([`Summary`]); `strict = true` in
//! an output's manifest entry makes each one a located error.

use std::collections::BTreeMap;
use std::fmt;

use crate::diagnostic::{Diagnostic, Location};

/// The kinds of compromise, in the order the summary lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CompromiseKind {
    /// Several error types: the operation's errors are a per-status enum.
    ErrorEnum,
    /// Several success types: its successes are a per-status enum.
    SuccessEnum,
    /// No operationId: named from the method and the path.
    NamedOperation,
    /// A `multipart/form-data` request body: a builder of its parts.
    MultipartBody,
    /// A request or response body of a media type that is not JSON: bytes
    /// or text with its content type.
    RawBody,
    /// A schema that cannot be typed as written: a looser type.
    LoosenedSchema,
    /// Something the client cannot express, left out of it (an operation
    /// of an HTTP method progenitor cannot send, a 3.2 `querystring`).
    LeftOut,
}

impl CompromiseKind {
    /// The name in summaries and messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::ErrorEnum => "error enum",
            Self::SuccessEnum => "success enum",
            Self::NamedOperation => "named operation",
            Self::MultipartBody => "multipart body",
            Self::RawBody => "raw body",
            Self::LoosenedSchema => "loosened schema",
            Self::LeftOut => "left out",
        }
    }
}

/// One compromise: what was done, where, and how to make it exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compromise {
    /// What kind.
    pub kind: CompromiseKind,
    /// The spec (as messages name it).
    pub file: String,
    /// The operation or schema concerned.
    pub location: Location,
    /// What the generated code does instead of what the spec says.
    pub what: String,
    /// The manifest setting or overlay that would make it exact.
    pub exact: String,
}

impl Compromise {
    /// The located error `strict = true` turns it into.
    pub fn to_error(&self) -> Diagnostic {
        Diagnostic::new(
            &self.file,
            self.location.clone(),
            format!(
                "{} (strict): {}; to make it exact: {}",
                self.kind.name(),
                self.what,
                self.exact
            ),
        )
    }
}

impl fmt::Display for Compromise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let located = Diagnostic::new(&self.file, self.location.clone(), self.what.clone());
        write!(f, "{located}; to make it exact: {}", self.exact)
    }
}

/// What one output generated, and its compromises.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The output's name in the manifest.
    pub output: String,
    /// Operations of the client.
    pub operations: usize,
    /// Types typify generated, and those generation added (status enums).
    pub types: usize,
    /// Every compromise, in the order the passes made them.
    pub compromises: Vec<Compromise>,
    /// With `features = "per-tag"`: the tags' features, each with how
    /// many operations it compiles.
    pub tag_features: Option<BTreeMap<String, usize>>,
}

impl Summary {
    /// How many compromises of each kind.
    pub fn by_kind(&self) -> BTreeMap<CompromiseKind, usize> {
        let mut counts = BTreeMap::new();
        for c in &self.compromises {
            *counts.entry(c.kind).or_default() += 1;
        }
        counts
    }
}

impl fmt::Display for Summary {
    /// `ticketing-v2: 27 operations, 85 types, no compromise`, or the
    /// counts by kind and one line per compromise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} operations, {} types, ",
            self.output, self.operations, self.types
        )?;
        if self.compromises.is_empty() {
            write!(f, "no compromise")?;
            return self.fmt_features(f);
        }
        let counts: Vec<String> = self
            .by_kind()
            .iter()
            .map(|(kind, n)| format!("{n} {}", kind.name()))
            .collect();
        write!(
            f,
            "{} compromise(s): {}",
            self.compromises.len(),
            counts.join(", ")
        )?;
        for c in &self.compromises {
            write!(f, "\n    {}: {c}", c.kind.name())?;
        }
        self.fmt_features(f)
    }
}

impl Summary {
    /// `features (per-tag): events 5 operations, tickets 2 operations`.
    fn fmt_features(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(features) = &self.tag_features else {
            return Ok(());
        };
        let list: Vec<String> = features
            .iter()
            .map(|(name, n)| format!("{name} {n} operation(s)"))
            .collect();
        write!(f, "\n    features (per-tag): {}", list.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compromise(kind: CompromiseKind) -> Compromise {
        Compromise {
            kind,
            file: "spec/x.yaml".into(),
            location: Location::Operation {
                name: "getPet".into(),
                pointer: "#/paths/~1pets/get".into(),
            },
            what: "its 404 and 422 bodies are `GetPetError` variants".into(),
            exact: "one error schema (an overlay)".into(),
        }
    }

    #[test]
    fn a_summary_counts_by_kind_and_locates_each() {
        let summary = Summary {
            output: "x".into(),
            operations: 3,
            types: 5,
            compromises: vec![
                compromise(CompromiseKind::SuccessEnum),
                compromise(CompromiseKind::ErrorEnum),
                compromise(CompromiseKind::ErrorEnum),
            ],
            tag_features: None,
        };
        let text = summary.to_string();
        assert!(
            text.starts_with(
                "x: 3 operations, 5 types, 3 compromise(s): 2 error enum, 1 success enum\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("    error enum: spec/x.yaml operation getPet (#/paths/~1pets/get): its 404 and 422 bodies are `GetPetError` variants; to make it exact: one error schema (an overlay)"),
            "{text}"
        );
        let empty = Summary {
            output: "x".into(),
            ..Summary::default()
        };
        assert_eq!(empty.to_string(), "x: 0 operations, 0 types, no compromise");
    }

    #[test]
    fn strict_makes_a_located_error() {
        let error = compromise(CompromiseKind::ErrorEnum).to_error();
        assert_eq!(
            error.to_string(),
            "spec/x.yaml operation getPet (#/paths/~1pets/get): error enum (strict): its 404 and 422 bodies are `GetPetError` variants; to make it exact: one error schema (an overlay)"
        );
    }
}
