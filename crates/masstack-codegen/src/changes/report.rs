//! The change review of every output, for a pull request (Markdown) or a
//! program (JSON), and the versions Cargo's semver rules require.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Bump, Change};

/// A crate version, without its build metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
}

impl Version {
    /// Parses `1.2.3` or `1.2.3+api.2.0.0` (pre-releases are not used here).
    pub fn parse(text: &str) -> Option<Self> {
        let core = text.split('+').next()?.split('-').next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        Some(Version {
            major: parts.next()??,
            minor: parts.next()??,
            patch: parts.next()??,
        })
    }

    /// The lowest version that `bump` allows after this one: in 0.x a
    /// breaking change bumps the minor and anything else the patch.
    pub fn after(self, bump: Option<Bump>) -> Self {
        let Version {
            major,
            minor,
            patch,
        } = self;
        match (bump, major) {
            (None, _) => self,
            (Some(Bump::Breaking), 0) => Version {
                major: 0,
                minor: minor + 1,
                patch: 0,
            },
            (Some(Bump::Breaking), _) => Version {
                major: major + 1,
                minor: 0,
                patch: 0,
            },
            (Some(Bump::Addition), 0) | (Some(Bump::Patch), _) => Version {
                major,
                minor,
                patch: patch + 1,
            },
            (Some(Bump::Addition), _) => Version {
                major,
                minor: minor + 1,
                patch: 0,
            },
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The review of one output's crate.
#[derive(Debug, Clone, Serialize)]
pub struct CrateReport {
    /// The output's name.
    pub output: String,
    /// The crate's package name.
    pub package: String,
    /// Its spec, relative to the root.
    pub spec: String,
    /// Its version at the base.
    pub base_version: Option<Version>,
    /// Its version now.
    pub version: Option<Version>,
    /// The bump its changes require.
    pub bump: Option<Bump>,
    /// The lowest version allowed now.
    pub required: Option<Version>,
    /// Every change.
    pub changes: Vec<Change>,
}

impl CrateReport {
    /// Builds the report of `changes`, and the version they require.
    pub fn new(
        output: &str,
        package: &str,
        spec: &str,
        base_version: Option<Version>,
        version: Option<Version>,
        changes: Vec<Change>,
    ) -> Self {
        let bump = changes.iter().map(Change::bump).max();
        let required = base_version.map(|b| b.after(bump));
        CrateReport {
            output: output.into(),
            package: package.into(),
            spec: spec.into(),
            base_version,
            version,
            bump,
            required,
            changes,
        }
    }

    /// Whether the current version is lower than the changes require.
    pub fn version_too_low(&self) -> bool {
        matches!((self.version, self.required), (Some(v), Some(r)) if v < r)
    }
}

fn verdict(breaking: bool) -> &'static str {
    if breaking { "breaks" } else { "ok" }
}

/// The Markdown review for a pull request: a summary line per crate, then
/// the changes grouped by breaking and compatible, each linked to its place
/// in the spec (`spec/x.yaml#/paths/…`).
pub fn markdown(base: &str, reports: &[CrateReport]) -> String {
    let mut out = format!("## API changes since `{base}`\n\n");
    for r in reports {
        let bump = match r.bump {
            None => "no change".to_owned(),
            Some(Bump::Breaking) => "**breaking**".to_owned(),
            Some(Bump::Addition) => "additions".to_owned(),
            Some(Bump::Patch) => "fixes".to_owned(),
        };
        let versions = match (r.base_version, r.required, r.version) {
            (Some(b), Some(req), Some(v)) => {
                let ok = if v >= req { "✓" } else { "✗ too low" };
                format!("{b} → requires ≥ {req} (now {v} {ok})")
            }
            _ => "new crate".to_owned(),
        };
        let count = match r.changes.len() {
            0 => String::new(),
            1 => ", 1 change".to_owned(),
            n => format!(", {n} changes"),
        };
        let _ = writeln!(
            out,
            "- `{}` ({}): {bump}{count}; {versions}",
            r.package, r.spec
        );
    }
    for r in reports.iter().filter(|r| !r.changes.is_empty()) {
        let _ = writeln!(out, "\n### `{}`\n", r.package);
        for (title, breaking) in [("Breaking", true), ("Compatible", false)] {
            let group: Vec<&Change> = r
                .changes
                .iter()
                .filter(|c| (c.bump() == Bump::Breaking) == breaking)
                .collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "**{title}**\n\n| change | what | wire | Rust |\n|---|---|---|---|"
            );
            // A `|` in a cell (`Error<A | B>`) would end it.
            let cell = |text: &str| text.replace('|', "\\|");
            for c in group {
                let _ = writeln!(
                    out,
                    "| `{}` | [{}]({}): {} | {}: {} | {}: {} |",
                    c.kind,
                    cell(&c.target),
                    // A JSON pointer into the spec, or (policy) a file.
                    if c.pointer.starts_with('#') {
                        format!("{}{}", r.spec, c.pointer)
                    } else {
                        c.pointer.clone()
                    },
                    cell(&c.detail),
                    verdict(c.wire.breaking),
                    cell(&c.wire.why),
                    verdict(c.rust.breaking),
                    cell(&c.rust.why)
                );
            }
            out.push('\n');
        }
    }
    out
}

/// The same review as JSON.
pub fn json(base: &str, reports: &[CrateReport]) -> String {
    let value = serde_json::json!({ "base": base, "crates": reports });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_cargo_semver() {
        let v = |s| Version::parse(s).unwrap();
        assert_eq!(v("0.1.0+api.2.0.0").after(Some(Bump::Breaking)), v("0.2.0"));
        assert_eq!(v("0.1.3").after(Some(Bump::Addition)), v("0.1.4"));
        assert_eq!(v("0.1.3").after(Some(Bump::Patch)), v("0.1.4"));
        assert_eq!(v("1.4.2").after(Some(Bump::Breaking)), v("2.0.0"));
        assert_eq!(v("1.4.2").after(Some(Bump::Addition)), v("1.5.0"));
        assert_eq!(v("1.4.2").after(Some(Bump::Patch)), v("1.4.3"));
        assert_eq!(v("1.4.2").after(None), v("1.4.2"));
        assert!(v("0.2.0") > v("0.1.9"));
        assert_eq!(Version::parse("x"), None);
    }
}
