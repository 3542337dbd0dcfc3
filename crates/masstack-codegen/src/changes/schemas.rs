//! The changes of named (and inline) schemas: objects' fields, enums'
//! values, a schema's kind.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{Change, Verdict, breaks, fine, push};
use super::kind::ChangeKind;
use super::model::{Api, Field, Schema, Usage};
use super::policy::Policy;
use crate::diagnostic::join;

pub(super) fn diff(
    old: &Api,
    new: &Api,
    old_use: &BTreeMap<String, Usage>,
    new_use: &BTreeMap<String, Usage>,
    policy: &Policy,
    out: &mut Vec<Change>,
) {
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
                ChangeKind::SchemaRemoved,
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
                fields(name, &pointer, of, nf, usage, policy, out)
            }
            (Schema::Enum(ov), Schema::Enum(nv)) => {
                enum_values(name, &pointer, ov, nv, usage, policy, out)
            }
            (a, b) if a != b => push(
                out,
                ChangeKind::SchemaKindChanged,
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
            ChangeKind::SchemaAdded,
            format!("schema {name}"),
            join("#/components/schemas", name),
            "added",
            fine("nothing existing changes"),
            fine("a new type"),
        );
    }
}

/// The Rust verdict of a type that gains a field or a variant.
fn grows(policy: &Policy, what: &str) -> Verdict {
    if policy.non_exhaustive {
        fine(format!("{what}: the type is #[non_exhaustive]"))
    } else {
        breaks(format!(
            "{what}: struct literals and exhaustive matches no longer compile"
        ))
    }
}

/// The values an enum gained and lost.
fn enum_values(
    name: &str,
    pointer: &str,
    ov: &BTreeSet<String>,
    nv: &BTreeSet<String>,
    usage: Usage,
    policy: &Policy,
    out: &mut Vec<Change>,
) {
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
            ChangeKind::EnumValueAdded,
            format!("schema {name} value {v}"),
            pointer.to_owned(),
            format!("`{v}` added"),
            wire,
            grows(policy, "a new variant"),
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
            ChangeKind::EnumValueRemoved,
            format!("schema {name} value {v}"),
            pointer.to_owned(),
            format!("`{v}` removed"),
            wire,
            breaks("the variant is gone"),
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
    old: &BTreeMap<String, Field>,
    new: &BTreeMap<String, Field>,
    usage: Usage,
    policy: &Policy,
    out: &mut Vec<Change>,
) {
    let wire = |request, response| field_wire(usage, request, response);
    for (field, f) in old {
        let target = format!("schema {name} field {field}");
        let at = join(&join(pointer, "properties"), field);
        match new.get(field) {
            None => push(
                out,
                ChangeKind::FieldRemoved,
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
                        ChangeKind::FieldRequired,
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
                        ChangeKind::FieldOptional,
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
                        ChangeKind::FieldTypeChanged,
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
    added_fields(name, pointer, old, new, usage, policy, out);
}

/// The fields `new` has and `old` has not.
fn added_fields(
    name: &str,
    pointer: &str,
    old: &BTreeMap<String, Field>,
    new: &BTreeMap<String, Field>,
    usage: Usage,
    policy: &Policy,
    out: &mut Vec<Change>,
) {
    let wire = |request, response| field_wire(usage, request, response);
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
            ChangeKind::FieldAdded,
            format!("schema {name} field {field}"),
            join(&join(pointer, "properties"), field),
            detail,
            wire(
                Some(request),
                Some(fine(
                    "responses: existing clients ignore fields they do not know",
                )),
            ),
            grows(policy, "a new field"),
        );
    }
}

/// A field's wire verdict from its verdicts in requests and in responses,
/// where the schema travels: breaking when either direction breaks.
fn field_wire(usage: Usage, request: Option<Verdict>, response: Option<Verdict>) -> Verdict {
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
}
