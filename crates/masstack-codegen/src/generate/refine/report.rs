//! What the passes changed, and how they fail when progenitor's (or
//! typify's) output is not the shape they rewrite.

use std::collections::BTreeMap;

use crate::error::Error;

/// What one pass changed: per operation (its operationId) or per type.
/// An item the pass found but left as progenitor wrote it counts 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrites {
    /// The pass, as named in [`ShapeError`]s.
    pub pass: &'static str,
    /// What its items are: `operation` or `type`.
    pub kind: &'static str,
    /// Operation or type -> how many rewrites it got.
    pub by_item: BTreeMap<String, usize>,
}

impl Rewrites {
    /// Nothing changed yet.
    pub fn new(pass: &'static str, kind: &'static str) -> Self {
        Self {
            pass,
            kind,
            by_item: BTreeMap::new(),
        }
    }

    /// Records `count` more rewrites of `item` (0: found, left alone).
    pub fn add(&mut self, item: &str, count: usize) {
        *self.by_item.entry(item.to_owned()).or_default() += count;
    }

    /// A [`ShapeError`] of this pass about `item`.
    pub fn fail(&self, item: impl Into<String>, problem: Problem) -> ShapeError {
        ShapeError {
            pass: self.pass,
            kind: self.kind,
            item: item.into(),
            problem,
        }
    }

    /// Fails on the first of `expected` this pass did not find.
    pub fn require<'a>(
        &self,
        expected: impl IntoIterator<Item = &'a String>,
        problem: impl Fn() -> Problem,
    ) -> Result<(), ShapeError> {
        match expected
            .into_iter()
            .find(|item| !self.by_item.contains_key(*item))
        {
            Some(missing) => Err(self.fail(missing.as_str(), problem())),
            None => Ok(()),
        }
    }
}

/// Every pass that ran over one file, in the order they ran.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// One entry per pass.
    pub passes: Vec<Rewrites>,
}

impl Report {
    /// The rewrites of the pass named `pass`, if it ran.
    pub fn pass(&self, pass: &str) -> Option<&Rewrites> {
        self.passes.iter().find(|r| r.pass == pass)
    }
}

/// A pass did not find what the spec says progenitor generates, or met
/// code it does not know: progenitor-impl or typify changed the shape of
/// their output, and the pass must be re-checked against it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "progenitor-impl's output changed shape: pass `{pass}` found {problem} in {kind} `{item}`; re-check generate/refine against the new version"
)]
pub struct ShapeError {
    /// The pass.
    pub pass: &'static str,
    /// What `item` is: `operation`, `type` or `function`.
    pub kind: &'static str,
    /// The operationId or type (or, for code no operation claims, the
    /// function) where it happened.
    pub item: String,
    /// What was wrong.
    pub problem: Problem,
}

/// What a pass found wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// No `match response.status().as_u16()` to route.
    #[error("no status `match`")]
    NoStatusMatch,
    /// More than one status `match`.
    #[error("{0} status `match`es (one expected)")]
    StatusMatches(usize),
    /// A status `match` in a function without `OperationInfo`.
    #[error("a status `match` outside any operation")]
    StatusMatchOutsideOperation,
    /// A `match` arm of a status `match` that is none of progenitor's.
    #[error("a response arm it does not know: `{0}`")]
    UnknownArm(String),
    /// Success arms that decode differently (typed and empty).
    #[error("success arms of different kinds")]
    MixedSuccess,
    /// No `OperationInfo { operation_id }` for the operation.
    #[error("no `OperationInfo`")]
    NoOperationInfo,
    /// An `OperationInfo` whose method name is no operationId of the spec.
    #[error("a method name that matches no operationId of the spec")]
    UnknownOperation,
    /// A data type without the derive the pass rewrites.
    #[error("no `{0}` in the derive list")]
    NoDerive(String),
    /// An attribute whose arguments do not parse as the pass expects.
    #[error("an attribute it cannot parse: `{0}`")]
    UnparsedAttribute(String),
    /// A string enum the spec defines that was not opened.
    #[error("no string enum to open")]
    NoStringEnum,
    /// No `impl FromStr` with exactly one `_ => Err(..)` arm.
    #[error("{0} `_ => Err(..)` arm(s) in `impl FromStr` (one expected)")]
    FromStrArms(usize),
    /// No `impl Display` with a `match` to extend.
    #[error("{0} `match`(es) in `impl Display` (one expected)")]
    DisplayMatches(usize),
    /// An operation with body options but not one `--json-body` option.
    #[error("{0} `--json-body` option(s) beside the body's options (one expected)")]
    JsonBodyArgs(usize),
    /// An operation without its `execute_*` method in the CLI.
    #[error("no `execute_*` method")]
    NoCliMethod,
    /// A status of a per-status enum without its arm in the status `match`.
    #[error("no arm for status `{0}` of its status enum")]
    NoStatusArm(String),
    /// A status enum variant's body type that typify did not generate.
    #[error("no type `{0}` for a status enum variant")]
    NoVariantType(String),
    /// No `pub mod types` to add the status enums to.
    #[error("no `types` module")]
    NoTypesModule,
    /// Code the pass rewrites that is not there.
    #[error("no {0}")]
    Missing(&'static str),
    /// An operation without its `…When` / `…Then` httpmock helpers.
    #[error("no `impl …When` and `impl …Then` of its httpmock helpers")]
    NoMockImpl,
    /// Code of a shape the pass does not know.
    #[error("code it cannot read: `{0}`")]
    UnparsedCode(String),
    /// A `--json-body` consumer whose file reading or parsing was not found.
    #[error("{0} of `std::fs::read_to_string` / `serde_json::from_str` (one of each expected)")]
    BodyReads(usize),
}

/// A shape error is the generator's bug (it is out of step with the
/// pinned progenitor-impl or typify), never the input's.
impl From<ShapeError> for Error {
    fn from(e: ShapeError) -> Self {
        Error::Internal(e.to_string())
    }
}
