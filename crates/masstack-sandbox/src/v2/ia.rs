//! The AI operations, answered by fixed rules instead of a model: the
//! summary is put together from the ticket, the duration depends on the
//! ticket type.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::{ticket, ticket_mut};
use crate::error::ApiError;
use crate::reply::{Ctx, Reply};
use crate::request::Checked;

pub(super) fn summary(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let t = ticket(ctx, req)?;
    let text = |name: &str| t.fields.get(name).and_then(Value::as_str).unwrap_or("");
    let last = t
        .comments
        .last()
        .and_then(|c| c["body"].as_str())
        .map(|b| format!(" Last comment: {b}"))
        .unwrap_or_default();
    Ok(Reply::ok(json!({
        "operative_summary": format!(
            "{} ({}, status {}): {}. {} comment(s), assignee {}.{last}",
            t.key(),
            text("ticketType"),
            t.status,
            text("summary"),
            t.comments.len(),
            t.assignee.as_deref().unwrap_or("none"),
        ),
        "message_for_client": format!(
            "We are working on your request {}; its current status is {}.",
            t.key(),
            t.status
        ),
    })))
}

/// Minutes to resolve: two days, one for a `Petición`.
fn minutes_for(ticket_type: &str) -> f64 {
    if ticket_type == "Petición" {
        1440.0
    } else {
        2880.0
    }
}

pub(super) fn duration(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let t = ticket(ctx, req)?;
    let minutes = minutes_for(
        t.fields
            .get("ticketType")
            .and_then(Value::as_str)
            .unwrap_or(""),
    );
    let created = DateTime::parse_from_rfc3339(&t.created)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(ctx.now);
    let date = (created + Duration::minutes(minutes as i64))
        .format("%d/%m/%Y %H:%M")
        .to_string();
    // As documented, the ticket's field is updated as a side effect.
    ticket_mut(ctx, req)?.custom_fields_mut().insert(
        "estimated_resolution_date".into(),
        Value::String(date.clone()),
    );
    Ok(Reply::ok(json!({
        "estimated_resolution_date": date,
        "estimated_minutes": minutes,
    })))
}
