//! Stage 2: the spec checked before progenitor runs, every problem at once,
//! each located by operation or JSON pointer and saying what to do.
//!
//! Two kinds of rules: [`requirements`], what progenitor needs (always
//! checked: a spec that breaks them would make it panic or generate code
//! that does not compile), and [`conventions`], this project's own habits
//! (examples that validate, inferred facts marked), switched per output in
//! the manifest (`[output.lint]`).

pub mod conventions;
pub mod requirements;

use crate::diagnostic::Diagnostic;
use crate::load::LoadedSpec;
pub use crate::manifest::LintSettings;

/// Runs the requirements, and the conventions `settings` switches on.
pub fn lint(spec: &LoadedSpec, settings: &LintSettings) -> Vec<Diagnostic> {
    let found = requirements::check(spec);
    let mut out = found.problems;
    // Conventions follow `$ref`s; with a broken one they would only repeat it.
    if found.refs_resolve {
        out.extend(conventions::check(spec, settings));
    }
    out.sort();
    out.dedup();
    out
}
