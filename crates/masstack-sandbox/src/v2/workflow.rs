//! The sandbox's Jira workflow for v2 tickets: statuses and the
//! transitions between them. `getTicketTransitions`' example (Reasignar →
//! Asignado, Resolver → RESUELTO) and `transitionTicket`'s (111, an
//! escalation to an external system) are part of it.

use serde_json::{Value, json};

/// Where a new ticket starts.
pub(crate) const INITIAL: &str = "Abierto";

/// One transition.
pub(crate) struct Transition {
    pub id: i64,
    pub name: &'static str,
    /// The status it leads to.
    pub to: &'static str,
    pub from: &'static [&'static str],
}

const OPEN: &[&str] = &["Abierto", "Asignado", "Escalado"];

pub(crate) const TRANSITIONS: &[Transition] = &[
    Transition {
        id: 41,
        name: "Reasignar",
        to: "Asignado",
        from: OPEN,
    },
    Transition {
        id: 21,
        name: "Resolver",
        to: "RESUELTO",
        from: OPEN,
    },
    Transition {
        id: 111,
        name: "Escalar a sistema externo",
        to: "Escalado",
        from: &["Abierto", "Asignado"],
    },
    Transition {
        id: 31,
        name: "Reabrir",
        to: "Abierto",
        from: &["RESUELTO", "Cerrado"],
    },
    Transition {
        id: 51,
        name: "Cerrar",
        to: "Cerrado",
        from: &["RESUELTO"],
    },
];

/// The transitions available from `status`.
pub(crate) fn available(status: &str) -> Vec<&'static Transition> {
    TRANSITIONS
        .iter()
        .filter(|t| t.from.contains(&status))
        .collect()
}

pub(crate) fn as_json(t: &Transition) -> Value {
    json!({ "id": t.id, "name": t.name, "status": t.to })
}

/// `41 (Reasignar), 21 (Resolver)`, or `none`.
pub(crate) fn describe(list: &[&Transition]) -> String {
    if list.is_empty() {
        return "none".into();
    }
    list.iter()
        .map(|t| format!("{} ({} → {})", t.id, t.name, t.to))
        .collect::<Vec<_>>()
        .join(", ")
}
