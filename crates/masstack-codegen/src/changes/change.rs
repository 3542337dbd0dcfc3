//! One change and its two verdicts.

use serde::Serialize;

use super::kind::{Bump, ChangeKind};

/// One verdict on one axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Whether existing clients (wire) or existing code (Rust) break.
    pub breaking: bool,
    /// Why, in a few words.
    pub why: String,
}

pub(super) fn breaks(why: impl Into<String>) -> Verdict {
    Verdict {
        breaking: true,
        why: why.into(),
    }
}

pub(super) fn fine(why: impl Into<String>) -> Verdict {
    Verdict {
        breaking: false,
        why: why.into(),
    }
}

/// One change between two versions of a spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of change (`field-added`, `operation-removed`, …).
    pub kind: ChangeKind,
    /// What changed: `operation getTicket`, `schema Ticket field key`, …
    pub target: String,
    /// Its JSON pointer in the newer spec (or the older, when removed).
    pub pointer: String,
    /// The change itself: `string -> integer`, `added (optional)`, …
    pub detail: String,
    /// Does a request an existing client sends still succeed, and does it
    /// still parse every response?
    pub wire: Verdict,
    /// Does code written against the previous crate still compile?
    pub rust: Verdict,
}

impl Change {
    /// What it asks of the version.
    pub fn bump(&self) -> Bump {
        if self.wire.breaking || self.rust.breaking {
            Bump::Breaking
        } else {
            self.kind.bump()
        }
    }
}

pub(super) fn push(
    out: &mut Vec<Change>,
    kind: ChangeKind,
    target: String,
    pointer: String,
    detail: impl Into<String>,
    wire: Verdict,
    rust: Verdict,
) {
    out.push(Change {
        kind,
        target,
        pointer,
        detail: detail.into(),
        wire,
        rust,
    });
}
