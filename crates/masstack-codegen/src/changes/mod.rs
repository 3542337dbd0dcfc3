//! What a spec change means for the clients generated from it: every change
//! between two versions of a spec, each judged on two axes (does an
//! existing client still work against the server: the wire; does code
//! written against the previous crate still compile: Rust) under the
//! forward-compatibility policy the output is generated with, and the
//! version bump Cargo's semver rules then require.

pub mod model;
pub mod report;

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostic::join;
use crate::manifest::{ClientSettings, Extra, Interface, Output, Replace};
use model::{Api, Field, Schema, Usage};

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
        }
    }
}

/// One verdict on one axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Whether existing clients (wire) or existing code (Rust) break.
    pub breaking: bool,
    /// Why, in a few words.
    pub why: String,
}

fn breaks(why: impl Into<String>) -> Verdict {
    Verdict {
        breaking: true,
        why: why.into(),
    }
}

fn fine(why: impl Into<String>) -> Verdict {
    Verdict {
        breaking: false,
        why: why.into(),
    }
}

/// What a change asks of the crate's version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// A fix: the next patch version.
    Patch,
    /// Something new, nothing broken: a minor version (a patch in 0.x).
    Addition,
    /// Something breaks: a major version (a minor in 0.x).
    Breaking,
}

/// One change between two versions of a spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of change (`field-added`, `operation-removed`, …).
    pub kind: &'static str,
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
        } else if self.kind.ends_with("-added") {
            Bump::Addition
        } else {
            Bump::Patch
        }
    }
}

/// Every change from `base` to `head` (both spec JSON), judged under `policy`.
pub fn diff(base: &Value, head: &Value, policy: &Policy) -> Vec<Change> {
    let (old, new) = (Api::read(base), Api::read(head));
    let (old_use, new_use) = (
        old.with_inline_usage(Api::usage(base)),
        new.with_inline_usage(Api::usage(head)),
    );
    let mut out = Vec::new();
    operations(&old, &new, policy, &mut out);
    schemas(&old, &new, &old_use, &new_use, policy, &mut out);
    servers(&old, &new, policy, &mut out);
    security(&old, &new, &mut out);
    out
}

/// The changes a new generation policy makes by itself (the manifest's
/// `[output.client]` settings at the base and now), whatever the spec says.
/// `manifest` is the manifest's path, `output` the output's name.
pub fn policy_changes(base: &Policy, head: &Policy, manifest: &str, output: &str) -> Vec<Change> {
    let mut out = Vec::new();
    let mut flag = |kind: &'static str, setting: &str, was: bool, now: bool, rust: Verdict| {
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
        "policy-non-exhaustive",
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
        "policy-interface",
        "interface = \"builder\"",
        base.builders,
        head.builders,
        breaks("every operation is called another way"),
    );
    flag(
        "policy-environments",
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
        "policy-open-enums",
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
        "policy-decode",
        "decode",
        base.tolerant_statuses,
        head.tolerant_statuses,
        fine("the same types; only which answers count as success changes"),
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
    let mut change = |kind: &'static str, setting: String, detail: String, rust: Verdict| {
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
                "settings-replace",
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
                "settings-rename",
                format!("patch.{name}.rename"),
                format!("{:?} -> {:?}", was.rename, now.rename),
                breaks("the type has another name"),
            );
        }
        if was.derives != now.derives {
            change(
                "settings-derives",
                format!("patch.{name}.derives"),
                format!("{:?} -> {:?}", was.derives, now.derives),
                derives_verdict(&was.derives, &now.derives),
            );
        }
    }
    if base.derives != head.derives {
        change(
            "settings-derives",
            "derives".to_owned(),
            format!("{:?} -> {:?}", base.derives, head.derives),
            derives_verdict(&base.derives, &head.derives),
        );
    }
    if base.convert != head.convert {
        change(
            "settings-convert",
            "convert".to_owned(),
            "the schema-to-type conversions changed".to_owned(),
            breaks("what matches a conversion has another Rust type"),
        );
    }
    if base.map_type != head.map_type {
        change(
            "settings-map-type",
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

fn push(
    out: &mut Vec<Change>,
    kind: &'static str,
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

fn operations(old: &Api, new: &Api, policy: &Policy, out: &mut Vec<Change>) {
    let moved = |id: &str| {
        let o = &old.operations[id];
        new.operations.iter().find(|(nid, n)| {
            !old.operations.contains_key(*nid) && n.method == o.method && n.path == o.path
        })
    };
    let renamed_to: BTreeSet<&String> = old
        .operations
        .keys()
        .filter(|id| !new.operations.contains_key(*id))
        .filter_map(|id| moved(id).map(|(n, _)| n))
        .collect();
    for (id, o) in &old.operations {
        let target = format!("operation {id}");
        match new.operations.get(id) {
            None => match moved(id) {
                Some((to, n)) => {
                    push(
                        out,
                        "operation-renamed",
                        target,
                        n.pointer.clone(),
                        format!("`{id}` -> `{to}` ({} {})", o.method, o.path),
                        fine("the same method and path"),
                        breaks(format!(
                            "the method is now `{}`",
                            crate::generate::refine::method_name(to)
                        )),
                    );
                    // Renamed and changed: the changes are reported too.
                    operation(to, o, n, policy, out);
                }
                None => push(
                    out,
                    "operation-removed",
                    target,
                    o.pointer.clone(),
                    format!("{} {}", o.method, o.path),
                    breaks("the server no longer serves it"),
                    breaks("the method is gone"),
                ),
            },
            Some(n) => operation(id, o, n, policy, out),
        }
    }
    for (id, n) in &new.operations {
        if !old.operations.contains_key(id) && !renamed_to.contains(id) {
            push(
                out,
                "operation-added",
                format!("operation {id}"),
                n.pointer.clone(),
                format!("{} {}", n.method, n.path),
                fine("existing requests are unchanged"),
                fine("a new method"),
            );
        }
    }
}

fn operation(
    id: &str,
    o: &model::Operation,
    n: &model::Operation,
    policy: &Policy,
    out: &mut Vec<Change>,
) {
    let target = format!("operation {id}");
    let at = n.pointer.clone();
    if o.path != n.path {
        push(
            out,
            "operation-path-changed",
            target.clone(),
            at.clone(),
            format!("{} -> {}", o.path, n.path),
            breaks("existing clients call the old path"),
            fine("the same method and arguments"),
        );
    }
    if o.method != n.method {
        push(
            out,
            "operation-method-changed",
            target.clone(),
            at.clone(),
            format!("{} -> {}", o.method, n.method),
            breaks("existing clients send the old method"),
            fine("the same method and arguments"),
        );
    }
    let setter = |what: &str| {
        if policy.builders {
            fine(format!("{what}: the builder's setters are unchanged"))
        } else {
            breaks(format!("{what}: a positional argument changes"))
        }
    };
    for ((location, name), p) in &o.params {
        let target = format!("operation {id} {location} parameter {name}");
        match n.params.get(&(location.clone(), name.clone())) {
            None => push(
                out,
                "parameter-removed",
                target,
                at.clone(),
                "removed",
                if location == "path" {
                    breaks("the path changed")
                } else {
                    fine("the server ignores what it no longer reads")
                },
                breaks("its setter is gone"),
            ),
            Some(q) => {
                if !p.required && q.required {
                    push(
                        out,
                        "parameter-required",
                        target.clone(),
                        at.clone(),
                        "optional -> required",
                        breaks("existing clients may not send it"),
                        setter("still set the same way"),
                    );
                }
                if p.required && !q.required {
                    push(
                        out,
                        "parameter-optional",
                        target.clone(),
                        at.clone(),
                        "required -> optional",
                        fine("existing clients send it anyway"),
                        setter("still set the same way"),
                    );
                }
                if p.ty != q.ty {
                    push(
                        out,
                        "parameter-type-changed",
                        target,
                        at.clone(),
                        format!("{} -> {}", p.ty, q.ty),
                        breaks("existing clients send the old type"),
                        breaks("its setter takes another type"),
                    );
                }
            }
        }
    }
    for ((location, name), q) in &n.params {
        if !o.params.contains_key(&(location.clone(), name.clone())) {
            let (detail, wire) = if q.required {
                (
                    "added (required)",
                    breaks("existing clients do not send it"),
                )
            } else {
                ("added (optional)", fine("existing requests are unchanged"))
            };
            push(
                out,
                "parameter-added",
                format!("operation {id} {location} parameter {name}"),
                at.clone(),
                detail,
                wire,
                setter("a new setter"),
            );
        }
    }
    match (&o.body, &n.body) {
        (None, Some((ty, required))) => push(
            out,
            "body-added",
            format!("operation {id} body"),
            at.clone(),
            format!("added ({ty})"),
            if *required {
                breaks("existing clients send no body")
            } else {
                fine("the body is optional")
            },
            setter("a new `body` setter"),
        ),
        (Some((ty, _)), None) => push(
            out,
            "body-removed",
            format!("operation {id} body"),
            at.clone(),
            format!("removed ({ty})"),
            fine("the server ignores the body"),
            breaks("the `body` setter is gone"),
        ),
        (Some((a, ra)), Some((b, rb))) => {
            if a != b {
                push(
                    out,
                    "body-type-changed",
                    format!("operation {id} body"),
                    at.clone(),
                    format!("{a} -> {b}"),
                    breaks("existing clients send the old body"),
                    breaks("the body has another type"),
                );
            }
            if !ra && *rb {
                push(
                    out,
                    "body-required",
                    format!("operation {id} body"),
                    at.clone(),
                    "optional -> required",
                    breaks("existing clients may send no body"),
                    fine("the generated client always sends a body: its code does not change"),
                );
            }
            if *ra && !rb {
                push(
                    out,
                    "body-optional",
                    format!("operation {id} body"),
                    at.clone(),
                    "required -> optional",
                    fine("the server accepts what it accepted before"),
                    fine("the generated client always sends a body: its code does not change"),
                );
            }
        }
        (None, None) => {}
    }
    let success_type = |m: &std::collections::BTreeMap<String, String>| {
        m.values().next().cloned().unwrap_or_else(|| "()".into())
    };
    let (os, ns) = (success_type(&o.success), success_type(&n.success));
    if os != ns {
        push(
            out,
            "success-type-changed",
            format!("operation {id} response"),
            at.clone(),
            format!("{os} -> {ns}"),
            breaks("existing clients expect the old body"),
            breaks("`ResponseValue<T>` has another `T`"),
        );
    } else if o.success.keys().collect::<Vec<_>>() != n.success.keys().collect::<Vec<_>>() {
        let detail = format!(
            "{:?} -> {:?}",
            o.success.keys().collect::<Vec<_>>(),
            n.success.keys().collect::<Vec<_>>()
        );
        let wire = if policy.tolerant_statuses {
            fine("an undocumented 2xx whose body is the documented type is still a success")
        } else {
            breaks("existing clients treat the new status as unexpected")
        };
        push(
            out,
            "success-status-changed",
            format!("operation {id} response"),
            at.clone(),
            detail,
            wire,
            fine("the same types"),
        );
    }
    let error_type = |m: &std::collections::BTreeMap<String, String>| {
        m.values()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let (oe, ne) = (error_type(&o.errors), error_type(&n.errors));
    if oe != ne && !oe.is_empty() && !ne.is_empty() {
        push(
            out,
            "error-type-changed",
            format!("operation {id} errors"),
            at.clone(),
            format!("{oe} -> {ne}"),
            breaks("existing clients cannot read the new error body as their error type"),
            breaks("`Error<E>` has another `E`"),
        );
    }
    for code in n.errors.keys().filter(|c| !o.errors.contains_key(*c)) {
        push(
            out,
            "error-status-added",
            format!("operation {id} errors"),
            at.clone(),
            format!("{code} documented"),
            fine("an error status stays an error"),
            error_type_kept(&oe, &ne),
        );
    }
    for code in o.errors.keys().filter(|c| !n.errors.contains_key(*c)) {
        push(
            out,
            "error-status-removed",
            format!("operation {id} errors"),
            at.clone(),
            format!("{code} no longer documented"),
            fine("an error status stays an error"),
            error_type_kept(&oe, &ne),
        );
    }
}

/// The Rust verdict of documenting or dropping an error status: the error
/// type `E` of `Error<E>` changes when the first is documented (from `()`)
/// or the last dropped (to `()`).
fn error_type_kept(old: &str, new: &str) -> Verdict {
    match (old.is_empty(), new.is_empty()) {
        (true, false) => breaks(format!("`Error<()>` becomes `Error<{new}>`")),
        (false, true) => breaks(format!("`Error<{old}>` becomes `Error<()>`")),
        _ => fine("the same types"),
    }
}

fn schemas(
    old: &Api,
    new: &Api,
    old_use: &std::collections::BTreeMap<String, Usage>,
    new_use: &std::collections::BTreeMap<String, Usage>,
    policy: &Policy,
    out: &mut Vec<Change>,
) {
    let grows = |what: &str| {
        if policy.non_exhaustive {
            fine(format!("{what}: the type is #[non_exhaustive]"))
        } else {
            breaks(format!(
                "{what}: struct literals and exhaustive matches no longer compile"
            ))
        }
    };
    for (name, o) in &old.schemas {
        let pointer = old.schema_pointer(name);
        let usage = {
            let (a, b) = (
                old_use.get(name).copied().unwrap_or_default(),
                new_use.get(name).copied().unwrap_or_default(),
            );
            Usage {
                request: a.request || b.request,
                response: a.response || b.response,
            }
        };
        let Some(n) = new.schemas.get(name) else {
            // An inline schema goes with its field, reported as the field's change.
            if old.inline.contains_key(name) {
                continue;
            }
            push(
                out,
                "schema-removed",
                format!("schema {name}"),
                pointer,
                "removed",
                fine("what used it shows as its own change"),
                breaks("the type is gone"),
            );
            continue;
        };
        match (o, n) {
            (Schema::Object(of), Schema::Object(nf)) => {
                fields(name, &pointer, of, nf, usage, &grows, out)
            }
            (Schema::Enum(ov), Schema::Enum(nv)) => {
                for v in nv.difference(ov) {
                    let wire = if usage.response && policy.open_enums {
                        fine("existing clients keep the new value as `Unknown`")
                    } else if usage.response {
                        breaks("existing clients cannot read the new value in a response")
                    } else {
                        fine("only sent by clients")
                    };
                    push(
                        out,
                        "enum-value-added",
                        format!("schema {name} value {v}"),
                        pointer.clone(),
                        format!("`{v}` added"),
                        wire,
                        grows("a new variant"),
                    );
                }
                for v in ov.difference(nv) {
                    let wire = if usage.request {
                        breaks("existing clients may send the removed value")
                    } else {
                        fine("existing clients still know every value the server sends")
                    };
                    push(
                        out,
                        "enum-value-removed",
                        format!("schema {name} value {v}"),
                        pointer.clone(),
                        format!("`{v}` removed"),
                        wire,
                        breaks("the variant is gone"),
                    );
                }
            }
            (a, b) if a != b => push(
                out,
                "schema-kind-changed",
                format!("schema {name}"),
                pointer,
                format!("{} -> {}", kind(a), kind(b)),
                breaks("the values have another shape"),
                breaks("the type has another shape"),
            ),
            _ => {}
        }
    }
    for name in new
        .schemas
        .keys()
        .filter(|n| !old.schemas.contains_key(*n) && !new.inline.contains_key(*n))
    {
        push(
            out,
            "schema-added",
            format!("schema {name}"),
            join("#/components/schemas", name),
            "added",
            fine("nothing existing changes"),
            fine("a new type"),
        );
    }
}

fn kind(schema: &Schema) -> String {
    match schema {
        Schema::Object(_) => "object".into(),
        Schema::Enum(_) => "enum".into(),
        Schema::Other(t) => t.clone(),
    }
}

fn fields(
    name: &str,
    pointer: &str,
    old: &std::collections::BTreeMap<String, Field>,
    new: &std::collections::BTreeMap<String, Field>,
    usage: Usage,
    grows: &dyn Fn(&str) -> Verdict,
    out: &mut Vec<Change>,
) {
    // A field's wire verdict: breaking when either direction breaks.
    let wire = |request: Option<Verdict>, response: Option<Verdict>| {
        let mut parts = Vec::new();
        if usage.request {
            parts.extend(request);
        }
        if usage.response {
            parts.extend(response);
        }
        let breaking = parts.iter().any(|v| v.breaking);
        let why = parts
            .iter()
            .filter(|v| v.breaking == breaking)
            .map(|v| v.why.clone())
            .collect::<Vec<_>>()
            .join("; ");
        Verdict {
            breaking,
            why: if why.is_empty() {
                "not sent or received by any operation".into()
            } else {
                why
            },
        }
    };
    for (field, f) in old {
        let target = format!("schema {name} field {field}");
        let at = join(&join(pointer, "properties"), field);
        match new.get(field) {
            None => push(
                out,
                "field-removed",
                target,
                at,
                "removed",
                wire(
                    Some(fine("requests: the server ignores it")),
                    Some(if f.required {
                        breaks("responses: existing clients require it")
                    } else {
                        fine("responses: it was optional")
                    }),
                ),
                breaks("the field and its setter are gone"),
            ),
            Some(g) => {
                if !f.required && g.required {
                    push(
                        out,
                        "field-required",
                        target.clone(),
                        at.clone(),
                        "optional -> required",
                        wire(
                            Some(breaks("requests: existing clients may not send it")),
                            Some(fine("responses: existing clients accept it present")),
                        ),
                        breaks("`Option<T>` becomes `T`"),
                    );
                }
                if f.required && !g.required {
                    push(
                        out,
                        "field-optional",
                        target.clone(),
                        at.clone(),
                        "required -> optional",
                        wire(
                            Some(fine("requests: existing clients send it anyway")),
                            Some(breaks("responses: existing clients require it")),
                        ),
                        breaks("`T` becomes `Option<T>`"),
                    );
                }
                if f.ty != g.ty {
                    push(
                        out,
                        "field-type-changed",
                        target,
                        at,
                        format!("{} -> {}", f.ty, g.ty),
                        wire(
                            Some(breaks("requests: existing clients send the old type")),
                            Some(breaks("responses: existing clients expect the old type")),
                        ),
                        breaks("the field has another type"),
                    );
                }
            }
        }
    }
    for (field, g) in new.iter().filter(|(f, _)| !old.contains_key(*f)) {
        let (detail, request) = if g.required {
            (
                "added (required)",
                breaks("requests: existing clients do not send it"),
            )
        } else {
            (
                "added (optional)",
                fine("requests: existing clients need not send it"),
            )
        };
        push(
            out,
            "field-added",
            format!("schema {name} field {field}"),
            join(&join(pointer, "properties"), field),
            detail,
            wire(
                Some(request),
                Some(fine(
                    "responses: existing clients ignore fields they do not know",
                )),
            ),
            grows("a new field"),
        );
    }
}

fn servers(old: &Api, new: &Api, policy: &Policy, out: &mut Vec<Change>) {
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
                    "server-changed",
                    "servers".into(),
                    format!("#/servers/{i}"),
                    format!("{before} -> {url}"),
                    breaks("existing clients call the old URL"),
                    fine("the same environment"),
                ),
                _ => push(
                    out,
                    "server-added",
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
                "server-removed",
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

fn security(old: &Api, new: &Api, out: &mut Vec<Change>) {
    for (name, kind) in &new.security {
        match old.security.get(name) {
            None => push(
                out,
                "security-added",
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
                "security-changed",
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
            "security-removed",
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
            "security-required",
            "security".into(),
            "#/security".into(),
            "now required",
            breaks("existing clients may send no credentials"),
            fine("credentials are configured, not generated"),
        );
    }
}
