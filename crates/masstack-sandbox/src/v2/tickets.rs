//! Tickets: create, read, update, assign, transitions, comments, grids.

use serde_json::{Map, Value, json};

use super::{ticket, ticket_in_org, ticket_mut, workflow};
use crate::catalogue;
use crate::error::ApiError;
use crate::reply::{Ctx, Reply};
use crate::request::Checked;
use crate::state::Ticket;

/// The `Ticket` schema's fields a client may set (the key is the server's).
const SETTABLE: &[&str] = &[
    "project",
    "ticketType",
    "summary",
    "description",
    "components",
    "customFields",
];

pub(super) fn create(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let body = req.body();
    let project = body.get("project").and_then(Value::as_str).ok_or_else(|| {
        ApiError::bad_request(format!(
            "field `project` is required to open a ticket; known projects: {}",
            catalogue::project_keys().join(", ")
        ))
    })?;
    if body.get("ticketType").is_none() {
        return Err(ApiError::bad_request(format!(
            "field `ticketType` is required to open a ticket; project {project} offers: {}",
            types_text(project)
        )));
    }
    check_project_and_type(body)?;
    check_type(project, body.get("ticketType"))?;
    let mut fields = Map::new();
    let key = ctx.state.next_key(project);
    fields.insert("key".into(), Value::String(key.clone()));
    for name in SETTABLE {
        match body.get(*name) {
            None | Some(Value::Null) => {}
            Some(v) => {
                fields.insert((*name).into(), v.clone());
            }
        }
    }
    let id = ctx.state.next_ticket_id();
    ctx.state.tickets.insert(
        key.clone(),
        Ticket {
            id,
            org: req.path("org").to_owned(),
            fields,
            status: workflow::INITIAL.to_owned(),
            assignee: None,
            comments: Vec::new(),
            created: ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        },
    );
    Ok(Reply::created(json!({ "id": id, "key": key })))
}

fn types_text(project: &str) -> String {
    catalogue::types_of(project)
        .map(|t| t.join(", "))
        .unwrap_or_else(|| "nothing (unknown project)".into())
}

/// `project` must be a known project and `ticketType` one it offers.
fn check_project_and_type(body: &Value) -> Result<(), ApiError> {
    if let Some(project) = body.get("project").and_then(Value::as_str)
        && catalogue::types_of(project).is_none()
    {
        return Err(ApiError::bad_request(format!(
            "field `project`: unknown project `{project}`; known projects: {} (see getTicketTypes)",
            catalogue::project_keys().join(", ")
        )));
    }
    Ok(())
}

fn check_type(project: &str, ticket_type: Option<&Value>) -> Result<(), ApiError> {
    let Some(ticket_type) = ticket_type.and_then(Value::as_str) else {
        return Ok(());
    };
    let offered = catalogue::types_of(project).unwrap_or_default();
    if !offered.iter().any(|t| t == ticket_type) {
        return Err(ApiError::bad_request(format!(
            "field `ticketType`: project {project} has no type `{ticket_type}`; it offers: {}",
            offered.join(", ")
        )));
    }
    Ok(())
}

pub(super) fn get(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let ticket = ticket_in_org(ctx, req)?;
    let wanted: Vec<&str> = req
        .query("fields")
        .map(|f| {
            f.split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut out = ticket.fields.clone();
    let named: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|f| *f != "attachment")
        .collect();
    if !named.is_empty() {
        out.retain(|k, _| k == "key" || named.contains(&k.as_str()));
    }
    if wanted.contains(&"attachment") {
        let attachments: Vec<Value> = ctx
            .state
            .attachments
            .values()
            .filter(|a| a.ticket_key == ticket.key())
            .map(|a| json!({ "ticketId": a.ticket_key, "name": a.name, "attachmentId": a.id }))
            .collect();
        out.insert("attachments".into(), Value::Array(attachments));
    }
    Ok(Reply::ok(Value::Object(out)))
}

pub(super) fn update(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    ticket_in_org(ctx, req)?;
    let body = req.body().clone();
    check_project_and_type(&body)?;
    let ticket = ticket_mut(ctx, req)?;
    let project = body
        .get("project")
        .and_then(Value::as_str)
        .or_else(|| ticket.fields.get("project").and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned();
    check_type(&project, body.get("ticketType"))?;
    for name in SETTABLE {
        match (name, body.get(*name)) {
            (_, None) | (_, Some(Value::Null)) => {}
            (&"customFields", Some(Value::Object(changes))) => {
                ticket.custom_fields_mut().extend(changes.clone());
            }
            (_, Some(v)) => {
                ticket.fields.insert((*name).into(), v.clone());
            }
        }
    }
    Ok(Reply::no_content())
}

pub(super) fn assign(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let assignee = req
        .body()
        .get("assignee")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    ticket_mut(ctx, req)?.assignee = assignee;
    Ok(Reply::no_content())
}

pub(super) fn transitions(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let ticket = ticket_in_org(ctx, req)?;
    let list: Vec<Value> = workflow::available(&ticket.status)
        .into_iter()
        .map(workflow::as_json)
        .collect();
    Ok(Reply::ok(json!([list])))
}

pub(super) fn transition(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let ticket = ticket_in_org(ctx, req)?;
    let body = req.body();
    let available = workflow::available(&ticket.status);
    let wanted = &body["transitionId"];
    let Some(t) = wanted
        .as_i64()
        .and_then(|id| workflow::TRANSITIONS.iter().find(|t| t.id == id))
    else {
        return Err(ApiError::not_found(format!(
            "field `transitionId`: no transition {wanted}; from status {} the ticket can take: {}",
            ticket.status,
            workflow::describe(&available)
        )));
    };
    if !available.iter().any(|a| a.id == t.id) {
        return Err(ApiError::bad_request(format!(
            "field `transitionId`: {} ({}) cannot be taken from status {}; available: {}",
            t.id,
            t.name,
            ticket.status,
            workflow::describe(&available)
        )));
    }
    if let Some(status) = body.get("status").and_then(Value::as_str)
        && !status.eq_ignore_ascii_case(t.to)
    {
        return Err(ApiError::bad_request(format!(
            "field `status`: transition {} leads to {}, not `{status}`",
            t.id, t.to
        )));
    }
    let changes = body.get("customFields").and_then(Value::as_object).cloned();
    let ticket = ticket_mut(ctx, req)?;
    ticket.status = t.to.to_owned();
    if let Some(changes) = changes {
        ticket.custom_fields_mut().extend(changes);
    }
    Ok(Reply::no_content())
}

pub(super) fn comment(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let ticket = ticket(ctx, req)?;
    let mut comment = req.body().as_object().cloned().unwrap_or_default();
    if let Some(named) = comment.get("ticketId").and_then(Value::as_str)
        && named != ticket.key()
        && named != ticket.id.to_string()
    {
        return Err(ApiError::bad_request(format!(
            "field `ticketId`: `{named}` is not the ticket in the path (`{}`); leave it out or send the same ticket",
            req.path("ticketId")
        )));
    }
    comment
        .entry("ticketId")
        .or_insert_with(|| Value::String(req.path("ticketId").to_owned()));
    // Only the schema's fields are kept and echoed.
    comment.retain(|k, _| matches!(k.as_str(), "ticketId" | "author" | "body"));
    let comment = Value::Object(comment);
    ticket_mut(ctx, req)?.comments.push(comment.clone());
    Ok(Reply::created(comment))
}

pub(super) fn update_grid(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let name = req.query("customFieldName").unwrap_or_default().to_owned();
    let rows = req.body().as_array().cloned().unwrap_or_default();
    let key = ticket(ctx, req)?.key().to_owned();
    let ticket = ticket_mut(ctx, req)?;
    let Some(Value::Array(grid)) = ticket.custom_fields_mut().get_mut(&name) else {
        return Err(ApiError::not_found(format!(
            "ticket {key} has no grid field `{name}`"
        )));
    };
    // Check every row first: a request either applies whole or not at all.
    let mut targets = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let Some(row_id) = row.get("rowId").and_then(Value::as_str) else {
            return Err(ApiError::bad_request(format!(
                "field `[{i}].rowId` is required: it picks the row to change"
            )));
        };
        let Some(at) = grid.iter().position(|r| r["rowId"] == row_id) else {
            return Err(ApiError::not_found(format!(
                "grid `{name}` of ticket {key} has no row `{row_id}`"
            )));
        };
        targets.push((at, row.get("columns").and_then(Value::as_object).cloned()));
    }
    for (at, columns) in targets {
        if let Some(columns) = columns {
            let slot = &mut grid[at]["columns"];
            if !slot.is_object() {
                *slot = json!({});
            }
            if let Some(existing) = slot.as_object_mut() {
                existing.extend(columns);
            }
        }
    }
    Ok(Reply::no_content())
}
