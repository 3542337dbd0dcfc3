//! The generation policy an output's code is generated with.

use serde::Serialize;

use crate::manifest::{Extra, FeatureStyle, Interface, Output};

/// How the generated code can evolve, which decides the Rust verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Structs and enums are `#[non_exhaustive]`: users build them with
    /// builders and match them with a wildcard, so new fields and variants
    /// do not break their code.
    pub non_exhaustive: bool,
    /// Operations take builders (not positional arguments): a new
    /// parameter is a new setter, not a new argument.
    pub builders: bool,
    /// An `Environment` enum is generated from `servers`.
    pub environments: bool,
    /// Responses are read by the runtime's `decode`: an undocumented 2xx
    /// whose body is the documented type is still a success.
    pub tolerant_statuses: bool,
    /// String enums keep unlisted values (`Unknown(String)`): a new value
    /// in a response does not fail older clients.
    pub open_enums: bool,
    /// Per-tag cargo features (`features = "per-tag"`).
    pub per_tag: bool,
}

impl Policy {
    /// The policy an output is generated with.
    pub fn of(output: &Output) -> Self {
        Policy {
            non_exhaustive: output.client.non_exhaustive,
            builders: output.client.interface == Interface::Builder,
            environments: output.extras.contains(&Extra::Environments),
            tolerant_statuses: output.client.decode().is_some(),
            open_enums: output.client.open_enums,
            per_tag: output.features == FeatureStyle::PerTag,
        }
    }
}
