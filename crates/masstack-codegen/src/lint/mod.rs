//! Stage 2: the spec checked before progenitor runs, every problem at once,
//! each located by operation or JSON pointer and saying what to do.
//!
//! Two kinds of rules: [`requirements`], what progenitor needs (always
//! checked: a spec that breaks them would make it panic or generate code
//! that does not compile), and [`conventions`], this project's own habits
//! (examples that validate, inferred facts marked), switched per output in
//! the manifest (`[output.lint]`). The spec's lifecycle extensions are
//! parsed and checked here too ([`transactions`]), and handed on to
//! generation in [`Linted`].

pub mod conventions;
pub mod requirements;
pub mod transactions;

use crate::diagnostic::Diagnostic;
use crate::load::LoadedSpec;
pub use crate::manifest::LintSettings;
use crate::transactions::Transactions;

/// What lint hands on to generation: the extensions it parsed and checked.
#[derive(Debug)]
pub struct Linted {
    /// The spec's lifecycle; `None` when it declares none.
    pub transactions: Option<Transactions>,
}

/// Runs the requirements, and the conventions `settings` switches on.
pub fn lint(spec: &LoadedSpec, settings: &LintSettings) -> Vec<Diagnostic> {
    check(spec, settings).err().unwrap_or_default()
}

/// [`lint`], handing on what it parsed when the spec passes.
pub fn check(spec: &LoadedSpec, settings: &LintSettings) -> Result<Linted, Vec<Diagnostic>> {
    let found = requirements::check(spec);
    let mut out = found.problems;
    // Conventions follow `$ref`s; with a broken one they would only repeat it.
    if found.refs_resolve {
        out.extend(conventions::check(spec, settings));
    }
    let (transactions, problems) = transactions::check(spec);
    out.extend(problems);
    if !out.is_empty() {
        out.sort();
        out.dedup();
        return Err(out);
    }
    Ok(Linted { transactions })
}
