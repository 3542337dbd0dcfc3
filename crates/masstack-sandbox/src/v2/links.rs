//! Issue links between tickets, their types, and remote links.

use serde_json::{Value, json};

use crate::catalogue;
use crate::error::ApiError;
use crate::reply::{Ctx, Reply};
use crate::request::Checked;
use crate::state::IssueLink;

pub(super) fn create(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let body = req.body();
    let type_name = body
        .pointer("/type/name")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "field `type.name` is required: one of {}",
                type_names()
            ))
        })?;
    let link_type = catalogue::link_type(type_name).ok_or_else(|| {
        ApiError::bad_request(format!(
            "field `type.name`: unknown link type `{type_name}`; known: {}",
            type_names()
        ))
    })?;
    let mut ends = Vec::new();
    for side in ["inwardIssue", "outwardIssue"] {
        let key = body
            .pointer(&format!("/{side}/key"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                ApiError::bad_request(format!("field `{side}.key` is required: the ticket's key"))
            })?;
        let ticket = ctx
            .state
            .ticket(key)
            .ok_or_else(|| ApiError::not_found(format!("field `{side}.key`: no ticket `{key}`")))?;
        ends.push(ticket.key().to_owned());
    }
    let id = ctx.state.next_issue_link_id();
    ctx.state.issue_links.insert(
        id.clone(),
        IssueLink {
            id: id.clone(),
            type_name: link_type["name"].as_str().unwrap_or_default().to_owned(),
            inward: ends[0].clone(),
            outward: ends[1].clone(),
        },
    );
    // The documented body carries no ID; `Location` tells where the link is.
    Ok(
        Reply::created(json!({ "message": "issue link created successfully." })).header(
            http::header::LOCATION,
            format!("{}/v2/issueLink/{id}", ctx.base_url),
        ),
    )
}

fn type_names() -> String {
    catalogue::link_types()
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn link<'s>(ctx: &'s Ctx<'_>, req: &Checked) -> Result<&'s IssueLink, ApiError> {
    let id = req.path("issueLinkId");
    ctx.state
        .issue_links
        .get(id)
        .ok_or_else(|| ApiError::not_found(format!("no issue link `{id}`")))
}

pub(super) fn get(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let link = link(ctx, req)?;
    Ok(Reply::ok(json!({
        "id": link.id,
        "type": { "name": link.type_name },
        "inwardIssue": { "key": link.inward },
        "outwardIssue": { "key": link.outward },
    })))
}

pub(super) fn delete(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let id = link(ctx, req)?.id.clone();
    ctx.state.issue_links.remove(&id);
    Ok(Reply::no_content())
}

pub(super) fn types(_: &mut Ctx<'_>, _: &Checked) -> Result<Reply, ApiError> {
    Ok(Reply::ok(catalogue::link_types()))
}

pub(super) fn types_of_link(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let link = link(ctx, req)?;
    let found = catalogue::link_type(&link.type_name).unwrap_or(Value::Null);
    Ok(Reply::ok(json!([found])))
}

pub(super) fn create_remote(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    ctx.state.remote_links.push(req.body().clone());
    Ok(Reply::created(
        json!({ "message": "remote issue link created successfully." }),
    ))
}
