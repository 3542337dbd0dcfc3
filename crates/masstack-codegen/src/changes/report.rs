//! The change review of every output, for a pull request (Markdown) or a
//! program (JSON), and the versions Cargo's semver rules require.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Bump, Change};

/// A crate version (`semver`'s): pre-releases order before their release
/// (`0.2.0-rc.1` < `0.2.0`).
pub use semver::Version;

/// A crate version as the review compares it: `text` without its build
/// metadata (`0.3.0+api.2.0.0` is `0.3.0`; the clients record the API's
/// version there, which orders nothing). `None` when it is not a version.
pub fn core_version(text: &str) -> Option<Version> {
    let mut version = Version::parse(text.trim()).ok()?;
    version.build = semver::BuildMetadata::EMPTY;
    Some(version)
}

/// How much of a version a bump moves, in Cargo's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Major,
    Minor,
    Patch,
}

impl Part {
    /// The part `bump` moves in `version`: in 0.x a breaking change moves
    /// the minor and an addition the patch.
    fn of(bump: Bump, version: &Version) -> Self {
        match (bump, version.major) {
            (Bump::Breaking, 0) => Part::Minor,
            (Bump::Breaking, _) => Part::Major,
            (Bump::Addition, 0) | (Bump::Patch, _) => Part::Patch,
            (Bump::Addition, _) => Part::Minor,
        }
    }
}

/// The lowest version that `bump` allows after `version` (its build
/// metadata dropped; `None`: no change, the same version).
///
/// After a release, the part the bump moves goes up and the lower parts go
/// to 0 (`1.4.2` + addition = `1.5.0`; in 0.x, `0.1.3` + breaking = `0.2.0`).
///
/// After a pre-release, the rule npm and cargo-release follow: a
/// pre-release already promises its release, so the release itself is
/// enough when it moves the part the bump needs since the last release
/// (the parts below it are 0): `1.0.0-rc.1` + breaking = `1.0.0`,
/// `1.2.0-rc.1` + addition = `1.2.0`, `1.2.3-rc.1` + patch = `1.2.3`;
/// otherwise the bump applies to the release (`1.2.3-rc.1` + addition =
/// `1.3.0`, `0.2.1-rc.1` + breaking = `0.3.0`).
pub fn bumped(version: &Version, bump: Option<Bump>) -> Version {
    let release = Version::new(version.major, version.minor, version.patch);
    let Some(bump) = bump else {
        let mut same = version.clone();
        same.build = semver::BuildMetadata::EMPTY;
        return same;
    };
    let part = Part::of(bump, &release);
    if !version.pre.is_empty() {
        let moved = match part {
            Part::Major => release.minor == 0 && release.patch == 0,
            Part::Minor => release.patch == 0,
            Part::Patch => true,
        };
        if moved {
            return release;
        }
    }
    let (major, minor, patch) = (release.major, release.minor, release.patch);
    match part {
        Part::Major => Version::new(major + 1, 0, 0),
        Part::Minor => Version::new(major, minor + 1, 0),
        Part::Patch => Version::new(major, minor, patch + 1),
    }
}

/// A version in the JSON review: `{"major", "minor", "patch"}` as before,
/// with `"pre"` when it is a pre-release.
fn version_json<S: serde::Serializer>(
    version: &Option<Version>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Json<'a> {
        major: u64,
        minor: u64,
        patch: u64,
        #[serde(skip_serializing_if = "str::is_empty")]
        pre: &'a str,
    }
    version
        .as_ref()
        .map(|v| Json {
            major: v.major,
            minor: v.minor,
            patch: v.patch,
            pre: v.pre.as_str(),
        })
        .serialize(serializer)
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
    #[serde(serialize_with = "version_json")]
    pub base_version: Option<Version>,
    /// Its version now.
    #[serde(serialize_with = "version_json")]
    pub version: Option<Version>,
    /// The bump its changes require.
    pub bump: Option<Bump>,
    /// The lowest version allowed now.
    #[serde(serialize_with = "version_json")]
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
        let required = base_version.as_ref().map(|b| bumped(b, bump));
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
        matches!((&self.version, &self.required), (Some(v), Some(r)) if v < r)
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
        let versions = match (&r.base_version, &r.required, &r.version) {
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

    fn v(text: &str) -> Version {
        core_version(text).unwrap()
    }

    #[test]
    fn versions_follow_cargo_semver() {
        assert_eq!(
            bumped(&v("0.1.0+api.2.0.0"), Some(Bump::Breaking)),
            v("0.2.0")
        );
        assert_eq!(bumped(&v("0.1.3"), Some(Bump::Addition)), v("0.1.4"));
        assert_eq!(bumped(&v("0.1.3"), Some(Bump::Patch)), v("0.1.4"));
        assert_eq!(bumped(&v("1.4.2"), Some(Bump::Breaking)), v("2.0.0"));
        assert_eq!(bumped(&v("1.4.2"), Some(Bump::Addition)), v("1.5.0"));
        assert_eq!(bumped(&v("1.4.2"), Some(Bump::Patch)), v("1.4.3"));
        assert_eq!(bumped(&v("1.4.2"), None), v("1.4.2"));
        assert!(v("0.2.0") > v("0.1.9"));
        assert_eq!(core_version("x"), None);
        assert_eq!(core_version("0.3.0+api.2.0.0"), Some(v("0.3.0")));
    }

    #[test]
    fn a_pre_release_is_bumped_to_its_release_when_that_is_enough() {
        assert!(v("0.2.0-rc.1") < v("0.2.0"));
        assert!(v("0.2.0-rc.1") > v("0.1.9"));
        // The release moves the part the bump needs: it is the answer.
        assert_eq!(bumped(&v("1.0.0-rc.1"), Some(Bump::Breaking)), v("1.0.0"));
        assert_eq!(bumped(&v("1.2.0-rc.1"), Some(Bump::Addition)), v("1.2.0"));
        assert_eq!(bumped(&v("1.2.3-rc.1"), Some(Bump::Patch)), v("1.2.3"));
        assert_eq!(
            bumped(&v("0.2.0-rc.1+api.1"), Some(Bump::Breaking)),
            v("0.2.0")
        );
        assert_eq!(bumped(&v("0.2.1-rc.1"), Some(Bump::Addition)), v("0.2.1"));
        // It does not: the bump applies to the release.
        assert_eq!(bumped(&v("1.2.3-rc.1"), Some(Bump::Addition)), v("1.3.0"));
        assert_eq!(bumped(&v("1.2.0-rc.1"), Some(Bump::Breaking)), v("2.0.0"));
        assert_eq!(bumped(&v("0.2.1-rc.1"), Some(Bump::Breaking)), v("0.3.0"));
        // No change: the pre-release stays.
        assert_eq!(bumped(&v("0.2.0-rc.1"), None), v("0.2.0-rc.1"));
    }
}
