//! Reading a ticket's field by the names searches use, and the comparisons
//! the JQL subset and the filter operators share.
//!
//! Text compares case-insensitively; a number and a text holding a number
//! compare as numbers; a list field matches when any of its items does.

use std::cmp::Ordering;

use serde_json::Value;

use crate::catalogue;
use crate::state::Ticket;

/// The standard fields searches read, each under the names they accept.
#[derive(Debug, Clone, Copy)]
enum Standard {
    Key,
    Id,
    Project,
    IssueType,
    Summary,
    Description,
    Status,
    Assignee,
    Components,
    Created,
    Comment,
    Text,
}

impl Standard {
    fn named(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "key" | "issuekey" => Self::Key,
            "id" => Self::Id,
            "project" => Self::Project,
            "issuetype" | "type" | "tickettype" => Self::IssueType,
            "summary" => Self::Summary,
            "description" => Self::Description,
            "status" => Self::Status,
            "assignee" => Self::Assignee,
            "component" | "components" => Self::Components,
            "created" => Self::Created,
            "comment" => Self::Comment,
            "text" => Self::Text,
            _ => return None,
        })
    }

    fn value(self, ticket: &Ticket) -> Option<Value> {
        let field = |n: &str| ticket.fields.get(n).cloned();
        let comments = || {
            ticket
                .comments
                .iter()
                .filter_map(|c| c.get("body").cloned())
                .collect::<Vec<_>>()
        };
        match self {
            Self::Key => field("key"),
            Self::Id => Some(Value::from(ticket.id)),
            Self::Project => field("project"),
            Self::IssueType => field("ticketType"),
            Self::Summary => field("summary"),
            Self::Description => field("description"),
            Self::Status => Some(Value::String(ticket.status.clone())),
            Self::Assignee => ticket.assignee.clone().map(Value::String),
            Self::Components => field("components"),
            Self::Created => Some(Value::String(ticket.created.clone())),
            Self::Comment => Some(Value::Array(comments())),
            Self::Text => {
                let mut all = vec![field("summary"), field("description")]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>();
                all.extend(comments());
                Some(Value::Array(all))
            }
        }
    }
}

/// Whether [`value_of`] knows `name`: a standard field or a custom field
/// of the catalogue.
pub(crate) fn is_modelled(name: &str) -> bool {
    Standard::named(name).is_some() || catalogue::field_by_any_name(name).is_some()
}

/// The value of field `name` of `ticket`: a standard field (`key`,
/// `project`, `issuetype`/`ticketType`, `summary`, `description`,
/// `status`, `assignee`, `component(s)`, `created`, `comment`, `text`) or
/// a custom field by its API name, Jira label or `customfield_…` ID.
pub(crate) fn value_of(ticket: &Ticket, name: &str) -> Option<Value> {
    if let Some(standard) = Standard::named(name) {
        return standard.value(ticket);
    }
    let custom = ticket.custom_fields()?;
    let api_name = catalogue::field_by_any_name(name).map(|f| f.api_name);
    api_name
        .and_then(|n| custom.get(n))
        .or_else(|| custom.get(name))
        .cloned()
}

/// No value: absent, null, empty text, empty list or object.
pub(crate) fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    }
}

/// The items a field holds: a list's items, or the value itself.
fn items(value: Option<&Value>) -> Vec<&Value> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
    }
}

fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.to_lowercase()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn item_equals(item: &Value, wanted: &Value) -> bool {
    if let (Some(a), Some(b)) = (as_number(item), as_number(wanted))
        && (item.is_number() || wanted.is_number())
    {
        return a == b;
    }
    match (as_text(item), as_text(wanted)) {
        (Some(a), Some(b)) => a == b,
        _ => item == wanted,
    }
}

/// The field equals `wanted` (any item of a list field).
pub(crate) fn equals(value: Option<&Value>, wanted: &Value) -> bool {
    items(value)
        .into_iter()
        .any(|item| item_equals(item, wanted))
}

/// The field contains `pattern`; `%` in the pattern stands for any text.
pub(crate) fn like(value: Option<&Value>, pattern: &Value) -> bool {
    let Some(pattern) = as_text(pattern) else {
        return false;
    };
    items(value)
        .into_iter()
        .filter_map(as_text)
        .any(|text| contains_in_order(&text, &pattern))
}

fn contains_in_order(text: &str, pattern: &str) -> bool {
    let mut rest = text;
    for piece in pattern.split('%').filter(|p| !p.is_empty()) {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

/// How the field compares with `wanted` (numbers as numbers, text as
/// text); `true` when any item compares as `accept` says.
pub(crate) fn compares(
    value: Option<&Value>,
    wanted: &Value,
    accept: fn(Ordering) -> bool,
) -> bool {
    items(value).into_iter().any(|item| {
        let order = match (as_number(item), as_number(wanted)) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => match (as_text(item), as_text(wanted)) {
                (Some(a), Some(b)) => Some(a.cmp(&b)),
                _ => None,
            },
        };
        order.is_some_and(accept)
    })
}

/// Sorts by `(field, descending)` pairs, then by creation (numeric ID).
pub(crate) fn sort(tickets: &mut [&Ticket], order: &[(String, bool)]) {
    tickets.sort_by(|a, b| {
        for (field, descending) in order {
            let (x, y) = (value_of(a, field), value_of(b, field));
            let ordering = compare_values(x.as_ref(), y.as_ref());
            let ordering = if *descending {
                ordering.reverse()
            } else {
                ordering
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        a.id.cmp(&b.id)
    });
}

fn compare_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => match (as_number(a), as_number(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
            _ => as_text(a).cmp(&as_text(b)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn comparisons() {
        assert!(equals(Some(&json!("Abierto")), &json!("abierto")));
        assert!(equals(Some(&json!(["a", "b"])), &json!("B")));
        assert!(equals(Some(&json!("12")), &json!(12)));
        assert!(!equals(None, &json!("x")));
        assert!(like(Some(&json!("Cita - Y28257924")), &json!("y2825")));
        assert!(like(Some(&json!("Cita - Y28257924")), &json!("cita%924")));
        assert!(!like(Some(&json!("Cita")), &json!("924%cita")));
        assert!(compares(Some(&json!(5)), &json!("3"), Ordering::is_gt));
        assert!(compares(
            Some(&json!("2026-02-01")),
            &json!("2026-01-31"),
            Ordering::is_gt
        ));
        assert!(is_empty(Some(&json!(""))) && is_empty(None) && !is_empty(Some(&json!(0))));
    }
}
