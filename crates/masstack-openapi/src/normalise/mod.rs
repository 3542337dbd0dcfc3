//! Any OpenAPI version into the 3.0 shape progenitor and `openapiv3` read:
//! Swagger 2.0 ([`swagger2`]), 3.1 and 3.2 ([`oas31`]). Each rewrite records
//! where every moved node came from ([`Provenance`]) so diagnostics point
//! into the user's document, and every lossy step as a [`Loss`] that the
//! generator reports as a compromise.

pub mod oas31;
pub mod schema2020;
pub mod swagger2;

use serde_json::Value;

use crate::provenance::Provenance;

/// The document versions this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// `swagger: "2.0"`.
    Swagger2,
    /// `openapi: 3.0.x`: read as it is.
    OpenApi30,
    /// `openapi: 3.1.x` (JSON Schema 2020-12).
    OpenApi31,
    /// `openapi: 3.2.x`.
    OpenApi32,
}

impl Version {
    /// The version a document declares, or why it has none this crate reads.
    pub fn of(document: &Value) -> Result<Self, Problem> {
        if let Some(swagger) = document.get("swagger") {
            return match swagger.as_str() {
                Some("2.0") => Ok(Self::Swagger2),
                _ => Err(Problem::new(
                    "#/swagger",
                    format!(
                        "Swagger version {swagger} is not known: the generator reads `swagger: \"2.0\"` and OpenAPI 3.0 to 3.2"
                    ),
                )),
            };
        }
        let Some(openapi) = document.get("openapi") else {
            return Err(Problem::new(
                "#",
                "neither `openapi` nor `swagger` says which version this document is: add `openapi: 3.1.0` (or the version it follows)",
            ));
        };
        let text = openapi.as_str().unwrap_or_default();
        let mut parts = text.split('.');
        match (parts.next(), parts.next()) {
            (Some("3"), Some("0")) => Ok(Self::OpenApi30),
            (Some("3"), Some("1")) => Ok(Self::OpenApi31),
            (Some("3"), Some("2")) => Ok(Self::OpenApi32),
            _ => Err(Problem::new(
                "#/openapi",
                format!(
                    "OpenAPI version {openapi} is not known: the generator reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2 (write the version as a string, `openapi: \"3.1.0\"`)"
                ),
            )),
        }
    }

    /// How the version is written in messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Swagger2 => "Swagger 2.0",
            Self::OpenApi30 => "OpenAPI 3.0",
            Self::OpenApi31 => "OpenAPI 3.1",
            Self::OpenApi32 => "OpenAPI 3.2",
        }
    }
}

/// A problem found while normalising, at a pointer of the input tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where (`#/paths/~1pets/post/parameters/0`).
    pub pointer: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl Problem {
    /// A problem at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// What a lossy step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LossKind {
    /// A schema became looser than written (a keyword with no Rust
    /// equivalent dropped, a tuple read as an array).
    Loosened,
    /// Something was left out of the client (an operation of a method the
    /// client cannot send).
    LeftOut,
}

/// One lossy step, at a pointer of the input tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// Where the construct is in the input tree.
    pub pointer: String,
    /// Looser, or left out.
    pub kind: LossKind,
    /// What was done (`` `patternProperties` read as `additionalProperties` ``).
    pub what: String,
    /// What would make the client exact (a change to the spec, an overlay).
    pub exact: String,
}

/// A tree in the 3.0 shape, where its nodes came from, and what was lost.
#[derive(Debug, Clone, Default)]
pub struct Normalised {
    /// The document as OpenAPI 3.0 (`openapi: 3.0.3`).
    pub json: Value,
    /// Pointers of `json` -> pointers of the input tree.
    pub moves: Provenance,
    /// Every lossy step.
    pub losses: Vec<Loss>,
}

/// The extension that marks an operation whose HTTP method progenitor
/// cannot name (3.2's `query`, an `additionalOperations` entry): it is
/// generated under a free method key of its path item, and the generator
/// rewrites the request (and the mock's matcher) to send this method.
pub const METHOD_EXTENSION: &str = "x-masstack-method";

/// `document` in the 3.0 shape, whatever version it declares.
pub fn normalise(document: Value) -> Result<(Version, Normalised), Vec<Problem>> {
    let version = Version::of(&document).map_err(|p| vec![p])?;
    let normalised = match version {
        Version::OpenApi30 => Normalised {
            json: document,
            ..Normalised::default()
        },
        Version::Swagger2 => swagger2::normalise(document)?,
        Version::OpenApi31 | Version::OpenApi32 => oas31::normalise(document, version)?,
    };
    Ok((version, normalised))
}
