//! What a spec change means for the clients generated from it: every change
//! between two versions of a spec, each judged on two axes (does an
//! existing client still work against the server: the wire; does code
//! written against the previous crate still compile: Rust) under the
//! forward-compatibility policy the output is generated with, and the
//! version bump Cargo's semver rules then require.

mod change;
mod features;
mod kind;
pub mod model;
mod operations;
mod policy;
pub mod report;
mod schemas;
mod servers;
mod settings;

use serde_json::Value;

pub use change::{Change, Verdict};
pub use features::feature_changes;
pub use kind::{Bump, ChangeKind, Section};
pub use policy::Policy;
pub use settings::{policy_changes, settings_changes};

use model::Api;

/// Every change from `base` to `head` (both spec JSON), judged under `policy`.
pub fn diff(base: &Value, head: &Value, policy: &Policy) -> Vec<Change> {
    let (old, new) = (Api::read(base), Api::read(head));
    let (old_use, new_use) = (
        old.with_inline_usage(Api::usage(base)),
        new.with_inline_usage(Api::usage(head)),
    );
    let mut out = Vec::new();
    operations::diff(&old, &new, policy, &mut out);
    schemas::diff(&old, &new, &old_use, &new_use, policy, &mut out);
    servers::diff(&old, &new, policy, &mut out);
    servers::diff_security(&old, &new, &mut out);
    out
}
