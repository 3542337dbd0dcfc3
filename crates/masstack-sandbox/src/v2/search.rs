//! The four searches: JQL, JSON filters, identifiers, territory owner.
//! Each looks only at the tickets of the path's org.

use serde_json::{Value, json};

use super::{fields, filters, jql};
use crate::error::ApiError;
use crate::reply::{Ctx, Reply};
use crate::request::Checked;
use crate::state::Ticket;

/// The page size of the searches that answer with paging figures.
const PAGE: usize = 50;

fn in_org<'s>(ctx: &'s Ctx<'_>, req: &Checked) -> Vec<&'s Ticket> {
    let org = req.path("org");
    ctx.state
        .tickets
        .values()
        .filter(|t| t.org == org)
        .collect()
}

fn page(mut tickets: Vec<&Ticket>) -> Value {
    let total = tickets.len();
    tickets.truncate(PAGE);
    json!({
        "startAt": 0,
        "maxResults": PAGE,
        "total": total,
        "tickets": tickets.iter().map(|t| Value::Object(t.fields.clone())).collect::<Vec<_>>(),
    })
}

pub(super) fn by_jql(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let text = req.query("jql").unwrap_or_default();
    let query = jql::parse(text)
        .map_err(|e| ApiError::bad_request(format!("query parameter `jql`: {e}")))?;
    let mut found: Vec<&Ticket> = in_org(ctx, req)
        .into_iter()
        .filter(|t| query.matches(t))
        .collect();
    fields::sort(&mut found, &query.order);
    Ok(Reply::ok(page(found)))
}

pub(super) fn by_filters(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let body = req.body();
    let filters = body
        .get("filters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let order = filters::order(
        body.pointer("/orderby/fields")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default(),
    )?;
    let number = |name: &str| -> Result<Option<usize>, ApiError> {
        match body.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| {
                    ApiError::bad_request(format!("field `{name}`: {v} is not a count (0 or more)"))
                }),
        }
    };
    let start = number("startAt")?.unwrap_or(0);
    let max = number("maxResults")?.unwrap_or(PAGE);
    let mut found: Vec<&Ticket> = in_org(ctx, req)
        .into_iter()
        .filter(|t| filters::matches(&filters, t))
        .collect();
    fields::sort(&mut found, &order);
    let wanted: Vec<&str> = body
        .get("fields")
        .and_then(Value::as_array)
        .map(|f| f.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let list: Vec<Value> = found
        .into_iter()
        .skip(start)
        .take(max)
        .map(|t| {
            let mut out = t.fields.clone();
            if !wanted.is_empty() {
                out.retain(|k, _| k == "key" || wanted.contains(&k.as_str()));
            }
            Value::Object(out)
        })
        .collect();
    Ok(Reply::ok(Value::Array(list)))
}

pub(super) fn by_territory_owner(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    Ok(Reply::ok(page(in_org(ctx, req))))
}

/// The identifiers `searchTicketsByIdParams` takes, matched against the
/// custom fields of the same names.
const ID_PARAMS: &[&str] = &["customer_id", "work_order_id", "line", "document_id"];

pub(super) fn by_id_params(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let given: Vec<(&str, &str)> = ID_PARAMS
        .iter()
        .filter_map(|name| req.query(name).map(|v| (*name, v)))
        .collect();
    if given.is_empty() {
        return Err(ApiError::bad_request(format!(
            "give at least one of the query parameters {}",
            ID_PARAMS.join(", ")
        )));
    }
    let found = in_org(ctx, req)
        .into_iter()
        .filter(|t| {
            given.iter().all(|(name, value)| {
                fields::equals(fields::value_of(t, name).as_ref(), &json!(value))
            })
        })
        .collect();
    Ok(Reply::ok(page(found)))
}
