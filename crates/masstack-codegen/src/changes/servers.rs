//! The changes of servers and security schemes.

use super::change::{Change, breaks, fine, push};
use super::kind::ChangeKind;
use super::model::Api;
use super::policy::Policy;
use crate::diagnostic::join;

pub(super) fn diff(old: &Api, new: &Api, policy: &Policy, out: &mut Vec<Change>) {
    let env_grows = || {
        if !policy.environments {
            fine("no Environment enum is generated")
        } else if policy.non_exhaustive {
            fine("`Environment` is #[non_exhaustive]")
        } else {
            breaks("`Environment` gains a variant: exhaustive matches no longer compile")
        }
    };
    for (i, url) in new.servers.iter().enumerate() {
        if !old.servers.contains(url) {
            match old.servers.get(i) {
                Some(before) if !new.servers.contains(before) => push(
                    out,
                    ChangeKind::ServerChanged,
                    "servers".into(),
                    format!("#/servers/{i}"),
                    format!("{before} -> {url}"),
                    breaks("existing clients call the old URL"),
                    fine("the same environment"),
                ),
                _ => push(
                    out,
                    ChangeKind::ServerAdded,
                    "servers".into(),
                    format!("#/servers/{i}"),
                    url.clone(),
                    fine("existing clients keep their server"),
                    env_grows(),
                ),
            }
        }
    }
    for (i, url) in old.servers.iter().enumerate() {
        let replaced = new.servers.get(i).is_some_and(|n| !old.servers.contains(n));
        if !new.servers.contains(url) && !replaced {
            push(
                out,
                ChangeKind::ServerRemoved,
                "servers".into(),
                format!("#/servers/{i}"),
                url.clone(),
                breaks("clients of that server lose it"),
                if policy.environments {
                    breaks("its `Environment` variant is gone")
                } else {
                    fine("no Environment enum is generated")
                },
            );
        }
    }
}

pub(super) fn diff_security(old: &Api, new: &Api, out: &mut Vec<Change>) {
    for (name, kind) in &new.security {
        match old.security.get(name) {
            None => push(
                out,
                ChangeKind::SecurityAdded,
                format!("security scheme {name}"),
                join("#/components/securitySchemes", name),
                kind.clone(),
                if new.secured {
                    breaks("existing clients do not send the new credentials")
                } else {
                    fine("not required by default")
                },
                fine("credentials are configured, not generated"),
            ),
            Some(was) if was != kind => push(
                out,
                ChangeKind::SecurityChanged,
                format!("security scheme {name}"),
                join("#/components/securitySchemes", name),
                format!("{was} -> {kind}"),
                breaks("existing clients send the old credentials"),
                fine("credentials are configured, not generated"),
            ),
            _ => {}
        }
    }
    for name in old
        .security
        .keys()
        .filter(|n| !new.security.contains_key(*n))
    {
        push(
            out,
            ChangeKind::SecurityRemoved,
            format!("security scheme {name}"),
            join("#/components/securitySchemes", name),
            "removed",
            fine("extra credentials are ignored"),
            fine("credentials are configured, not generated"),
        );
    }
    if !old.secured && new.secured && old.security == new.security {
        push(
            out,
            ChangeKind::SecurityRequired,
            "security".into(),
            "#/security".into(),
            "now required",
            breaks("existing clients may send no credentials"),
            fine("credentials are configured, not generated"),
        );
    }
}
