//! The changes of operations: added, removed, renamed, moved; their
//! parameters, bodies and responses.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{Change, Verdict, breaks, fine, push};
use super::kind::ChangeKind;
use super::model::{self, Api};
use super::policy::Policy;

pub(super) fn diff(old: &Api, new: &Api, policy: &Policy, out: &mut Vec<Change>) {
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
                        ChangeKind::OperationRenamed,
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
                    ChangeKind::OperationRemoved,
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
                ChangeKind::OperationAdded,
                format!("operation {id}"),
                n.pointer.clone(),
                format!("{} {}", n.method, n.path),
                fine("existing requests are unchanged"),
                fine("a new method"),
            );
        }
    }
}

/// One operation at the base (`o`) and now (`n`), under `id` now.
struct Op<'a> {
    id: &'a str,
    o: &'a model::Operation,
    n: &'a model::Operation,
    policy: &'a Policy,
    /// The operation's JSON pointer now.
    at: String,
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
            ChangeKind::OperationPathChanged,
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
            ChangeKind::OperationMethodChanged,
            target.clone(),
            at.clone(),
            format!("{} -> {}", o.method, n.method),
            breaks("existing clients send the old method"),
            fine("the same method and arguments"),
        );
    }
    let op = Op {
        id,
        o,
        n,
        policy,
        at,
    };
    parameters(&op, out);
    body(&op, out);
    success(&op, out);
    errors(&op, out);
}

/// A setter's Rust verdict: builders keep their setters where positional
/// arguments change.
fn setter(policy: &Policy, what: &str) -> Verdict {
    if policy.builders {
        fine(format!("{what}: the builder's setters are unchanged"))
    } else {
        breaks(format!("{what}: a positional argument changes"))
    }
}

fn parameters(op: &Op<'_>, out: &mut Vec<Change>) {
    let Op {
        id, o, n, policy, ..
    } = *op;
    let at = &op.at;
    for ((location, name), p) in &o.params {
        let target = format!("operation {id} {location} parameter {name}");
        match n.params.get(&(location.clone(), name.clone())) {
            None => push(
                out,
                ChangeKind::ParameterRemoved,
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
                        ChangeKind::ParameterRequired,
                        target.clone(),
                        at.clone(),
                        "optional -> required",
                        breaks("existing clients may not send it"),
                        setter(policy, "still set the same way"),
                    );
                }
                if p.required && !q.required {
                    push(
                        out,
                        ChangeKind::ParameterOptional,
                        target.clone(),
                        at.clone(),
                        "required -> optional",
                        fine("existing clients send it anyway"),
                        setter(policy, "still set the same way"),
                    );
                }
                if p.ty != q.ty {
                    push(
                        out,
                        ChangeKind::ParameterTypeChanged,
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
                ChangeKind::ParameterAdded,
                format!("operation {id} {location} parameter {name}"),
                at.clone(),
                detail,
                wire,
                setter(policy, "a new setter"),
            );
        }
    }
}

fn body(op: &Op<'_>, out: &mut Vec<Change>) {
    let Op {
        id, o, n, policy, ..
    } = *op;
    let at = &op.at;
    match (&o.body, &n.body) {
        (None, Some((ty, required))) => push(
            out,
            ChangeKind::BodyAdded,
            format!("operation {id} body"),
            at.clone(),
            format!("added ({ty})"),
            if *required {
                breaks("existing clients send no body")
            } else {
                fine("the body is optional")
            },
            setter(policy, "a new `body` setter"),
        ),
        (Some((ty, _)), None) => push(
            out,
            ChangeKind::BodyRemoved,
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
                    ChangeKind::BodyTypeChanged,
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
                    ChangeKind::BodyRequired,
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
                    ChangeKind::BodyOptional,
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
}

/// Several types among an operation's success (or error) statuses: the
/// generated code reads them into a per-status enum
/// ([`crate::adapt::status_enums`]), one `#[non_exhaustive]` variant per
/// status.
fn per_status(statuses: &BTreeMap<String, String>) -> bool {
    statuses.values().collect::<BTreeSet<_>>().len() > 1
}

/// The Rust changes between two per-status enums: a status documented is a
/// new variant (callers match with a wildcard), a status dropped removes
/// its variant, and a status whose body changed type changes its variant.
fn enum_variants(
    op: &Op<'_>,
    what: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    kinds: (ChangeKind, ChangeKind, ChangeKind),
    out: &mut Vec<Change>,
) {
    let (added, removed, retyped) = kinds;
    let (id, at) = (op.id, &op.at);
    for (code, ty) in new {
        match old.get(code) {
            None => push(
                out,
                added,
                format!("operation {id} {what}"),
                at.clone(),
                format!("{code} documented"),
                if what == "errors" {
                    fine("an error status stays an error")
                } else {
                    breaks("existing clients treat the new status as unexpected")
                },
                fine("a new variant of the `#[non_exhaustive]` per-status enum"),
            ),
            Some(was) if was != ty => push(
                out,
                retyped,
                format!("operation {id} {what}"),
                at.clone(),
                format!("{code}: {was} -> {ty}"),
                breaks("existing clients cannot read the new body as the old type"),
                breaks(format!("the variant of {code} holds another type")),
            ),
            Some(_) => {}
        }
    }
    for code in old.keys().filter(|c| !new.contains_key(*c)) {
        push(
            out,
            removed,
            format!("operation {id} {what}"),
            at.clone(),
            format!("{code} no longer documented"),
            fine("the server no longer sends it"),
            breaks(format!(
                "the variant of {code} is gone from the per-status enum"
            )),
        );
    }
}

/// The success responses: their type, else their statuses.
fn success(op: &Op<'_>, out: &mut Vec<Change>) {
    let Op {
        id, o, n, policy, ..
    } = *op;
    let at = &op.at;
    if per_status(&o.success) && per_status(&n.success) {
        let kinds = (
            ChangeKind::SuccessStatusChanged,
            ChangeKind::SuccessStatusChanged,
            ChangeKind::SuccessTypeChanged,
        );
        return enum_variants(op, "response", &o.success, &n.success, kinds, out);
    }
    let success_type = |m: &BTreeMap<String, String>| {
        m.values()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let or_unit = |t: String| if t.is_empty() { "()".to_owned() } else { t };
    let (os, ns) = (
        or_unit(success_type(&o.success)),
        or_unit(success_type(&n.success)),
    );
    if os != ns {
        push(
            out,
            ChangeKind::SuccessTypeChanged,
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
            ChangeKind::SuccessStatusChanged,
            format!("operation {id} response"),
            at.clone(),
            detail,
            wire,
            fine("the same types"),
        );
    }
}

/// The error responses: their type, and each status documented or dropped.
fn errors(op: &Op<'_>, out: &mut Vec<Change>) {
    let Op { id, o, n, .. } = *op;
    let at = &op.at;
    if per_status(&o.errors) && per_status(&n.errors) {
        let kinds = (
            ChangeKind::ErrorStatusAdded,
            ChangeKind::ErrorStatusRemoved,
            ChangeKind::ErrorTypeChanged,
        );
        return enum_variants(op, "errors", &o.errors, &n.errors, kinds, out);
    }
    let error_type = |m: &BTreeMap<String, String>| {
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
            ChangeKind::ErrorTypeChanged,
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
            ChangeKind::ErrorStatusAdded,
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
            ChangeKind::ErrorStatusRemoved,
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
