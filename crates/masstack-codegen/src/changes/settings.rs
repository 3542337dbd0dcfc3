//! The changes the manifest makes by itself: its generation policy and its
//! type settings.

use std::collections::BTreeSet;

use super::change::{Change, Verdict, breaks, fine, push};
use super::kind::ChangeKind;
use super::policy::Policy;
use crate::manifest::{ClientSettings, Replace};

/// The changes a new generation policy makes by itself (the manifest's
/// `[output.client]` settings at the base and now), whatever the spec says.
/// `manifest` is the manifest's path, `output` the output's name.
pub fn policy_changes(base: &Policy, head: &Policy, manifest: &str, output: &str) -> Vec<Change> {
    let mut out = Vec::new();
    let mut flag = |kind: ChangeKind, setting: &str, was: bool, now: bool, rust: Verdict| {
        if was != now {
            push(
                &mut out,
                kind,
                format!("output {output}: {setting}"),
                manifest.to_owned(),
                format!("{was} -> {now}"),
                fine("the requests and responses do not change"),
                rust,
            );
        }
    };
    flag(
        ChangeKind::PolicyNonExhaustive,
        "non_exhaustive",
        base.non_exhaustive,
        head.non_exhaustive,
        if head.non_exhaustive {
            breaks("struct literals and exhaustive matches on the generated types stop compiling")
        } else {
            breaks(
                "code that built the types with their builders or matched with a wildcard may now need every field",
            )
        },
    );
    flag(
        ChangeKind::PolicyInterface,
        "interface = \"builder\"",
        base.builders,
        head.builders,
        breaks("every operation is called another way"),
    );
    flag(
        ChangeKind::PolicyEnvironments,
        "environments",
        base.environments,
        head.environments,
        if head.environments {
            fine("a new `Environment` type")
        } else {
            breaks("the `Environment` type is gone")
        },
    );
    flag(
        ChangeKind::PolicyOpenEnums,
        "open_enums",
        base.open_enums,
        head.open_enums,
        breaks(if head.open_enums {
            "the enums gain a variant and lose `Copy`"
        } else {
            "the enums lose their `Unknown` variant"
        }),
    );
    flag(
        ChangeKind::PolicyDecode,
        "decode",
        base.tolerant_statuses,
        head.tolerant_statuses,
        fine("the same types; only which answers count as success changes"),
    );
    flag(
        ChangeKind::PolicyFeatures,
        "features = \"per-tag\"",
        base.per_tag,
        head.per_tag,
        if head.per_tag {
            fine("every operation stays in the default feature `full`")
        } else {
            breaks("the tags' features a consumer enables are gone")
        },
    );
    out
}

/// The changes the manifest's type settings make by themselves: a schema
/// replaced by another Rust type, a type renamed, a derive removed. The
/// generated types change although the spec does not.
pub fn settings_changes(
    base: &ClientSettings,
    head: &ClientSettings,
    manifest: &str,
    output: &str,
) -> Vec<Change> {
    let mut out = Vec::new();
    let mut change = |kind: ChangeKind, setting: String, detail: String, rust: Verdict| {
        push(
            &mut out,
            kind,
            format!("output {output}: {setting}"),
            manifest.to_owned(),
            detail,
            fine("the requests and responses do not change"),
            rust,
        );
    };
    let names: BTreeSet<&String> = base.replace.keys().chain(head.replace.keys()).collect();
    for name in names {
        let (was, now) = (base.replace.get(name), head.replace.get(name));
        if was != now {
            let show =
                |r: Option<&Replace>| r.map_or("(generated)".to_owned(), |r| r.rust_type.clone());
            change(
                ChangeKind::SettingsReplace,
                format!("replace.{name}"),
                format!("{} -> {}", show(was), show(now)),
                breaks("what uses the schema has another Rust type"),
            );
        }
    }
    let names: BTreeSet<&String> = base.patch.keys().chain(head.patch.keys()).collect();
    for name in names {
        let (was, now) = (
            base.patch.get(name).cloned().unwrap_or_default(),
            head.patch.get(name).cloned().unwrap_or_default(),
        );
        if was.rename != now.rename {
            change(
                ChangeKind::SettingsRename,
                format!("patch.{name}.rename"),
                format!("{:?} -> {:?}", was.rename, now.rename),
                breaks("the type has another name"),
            );
        }
        if was.derives != now.derives {
            change(
                ChangeKind::SettingsDerives,
                format!("patch.{name}.derives"),
                format!("{:?} -> {:?}", was.derives, now.derives),
                derives_verdict(&was.derives, &now.derives),
            );
        }
    }
    if base.derives != head.derives {
        change(
            ChangeKind::SettingsDerives,
            "derives".to_owned(),
            format!("{:?} -> {:?}", base.derives, head.derives),
            derives_verdict(&base.derives, &head.derives),
        );
    }
    if base.convert != head.convert {
        change(
            ChangeKind::SettingsConvert,
            "convert".to_owned(),
            "the schema-to-type conversions changed".to_owned(),
            breaks("what matches a conversion has another Rust type"),
        );
    }
    if base.map_type != head.map_type {
        change(
            ChangeKind::SettingsMapType,
            "map_type".to_owned(),
            format!("{:?} -> {:?}", base.map_type, head.map_type),
            breaks("free-form objects have another map type"),
        );
    }
    out
}

/// Adding derives breaks nobody; dropping one breaks whoever used it.
fn derives_verdict(was: &[String], now: &[String]) -> Verdict {
    if was.iter().all(|d| now.contains(d)) {
        fine("more derives")
    } else {
        breaks("a derive users may rely on is gone")
    }
}
