//! The JSON filters of `searchTickets`: each field maps to a plain value
//! (equality) or an operator object, all of whose operators must hold.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::fields;
use crate::error::ApiError;
use crate::state::Ticket;

/// Whether `ticket` passes every filter. The body was checked against
/// `SearchFilters`, so operator objects hold only documented operators.
pub(crate) fn matches(filters: &Map<String, Value>, ticket: &Ticket) -> bool {
    filters.iter().all(|(name, condition)| {
        let value = fields::value_of(ticket, name);
        let value = value.as_ref();
        match condition {
            Value::Object(operators) => operators.iter().all(|(op, arg)| holds(value, op, arg)),
            plain => fields::equals(value, plain),
        }
    })
}

fn holds(value: Option<&Value>, op: &str, arg: &Value) -> bool {
    let list = || arg.as_array().map(Vec::as_slice).unwrap_or_default();
    match op {
        "$like" => fields::like(value, arg),
        "$in" => list().iter().any(|v| fields::equals(value, v)),
        "$notIn" => !list().iter().any(|v| fields::equals(value, v)),
        "$isEmpty" => fields::is_empty(value),
        "$isNotEmpty" => !fields::is_empty(value),
        "$greaterThanEquals" => fields::compares(value, arg, Ordering::is_ge),
        "$greaterThan" => fields::compares(value, arg, Ordering::is_gt),
        "$lessThanEquals" => fields::compares(value, arg, Ordering::is_le),
        "$lessThan" => fields::compares(value, arg, Ordering::is_lt),
        _ => false,
    }
}

/// `orderby.fields` entries (`status desc`) as `(field, descending)`.
pub(crate) fn order(entries: &[Value]) -> Result<Vec<(String, bool)>, ApiError> {
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let text = entry.as_str().unwrap_or_default().trim();
            let (field, direction) = match text.rsplit_once(char::is_whitespace) {
                Some((f, d)) if d.eq_ignore_ascii_case("asc") || d.eq_ignore_ascii_case("desc") => {
                    (f.trim(), d)
                }
                _ => (text, "asc"),
            };
            if field.is_empty() {
                return Err(ApiError::bad_request(format!(
                    "field `orderby.fields[{i}]`: name a field, optionally followed by asc or desc (such as `status desc`)"
                )));
            }
            Ok((field.to_owned(), direction.eq_ignore_ascii_case("desc")))
        })
        .collect()
}
