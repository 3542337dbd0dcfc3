//! Metadata lookups: creation and edit fields, ticket types, field names.

use serde_json::{Value, json};

use super::ticket;
use crate::catalogue;
use crate::error::ApiError;
use crate::reply::{Ctx, Reply};
use crate::request::Checked;
use crate::spec::{Api, specs};

fn example(operation_id: &str) -> Value {
    specs()
        .response_example(Api::V2, operation_id, "200")
        .cloned()
        .unwrap_or(json!({}))
}

/// The documented example's fields, for every known project and type.
pub(super) fn create_metadata(_: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let project = req.query("projectKey").unwrap_or_default();
    let ticket_type = req.query("ticketType").unwrap_or_default();
    let Some(types) = catalogue::types_of(project) else {
        return Err(ApiError::not_found(format!(
            "query parameter `projectKey`: unknown project `{project}`; known: {}",
            catalogue::project_keys().join(", ")
        )));
    };
    if !types.iter().any(|t| t == ticket_type) {
        return Err(ApiError::not_found(format!(
            "query parameter `ticketType`: project {project} has no type `{ticket_type}`; it offers: {}",
            types.join(", ")
        )));
    }
    Ok(Reply::ok(example("getCreateMetadata")))
}

/// The documented example's fields, for every ticket.
pub(super) fn edit_metadata(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    ticket(ctx, req)?;
    Ok(Reply::ok(example("getEditMetadata")))
}

pub(super) fn ticket_types(_: &mut Ctx<'_>, _: &Checked) -> Result<Reply, ApiError> {
    Ok(Reply::ok(catalogue::ticket_types()))
}

const LOOKUPS: [&str; 3] = ["api_name", "customfield_id", "jira_label"];

pub(super) fn field_info(_: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let given: Vec<(&str, &str)> = LOOKUPS
        .iter()
        .filter_map(|name| req.query(name).map(|v| (*name, v)))
        .collect();
    let [(name, value)] = given.as_slice() else {
        return Err(ApiError::bad_request(format!(
            "give exactly one of the query parameters {} (got {})",
            LOOKUPS.join(", "),
            given.len()
        )));
    };
    let found = catalogue::FIELDS.iter().find(|f| match *name {
        "api_name" => f.api_name == *value,
        "customfield_id" => f.customfield_id == *value,
        _ => f.jira_label == *value,
    });
    let field = found.ok_or_else(|| {
        ApiError::not_found(format!("query parameter `{name}`: no field `{value}`"))
    })?;
    Ok(Reply::ok(
        json!({ "jira_label": field.jira_label, "api_name": field.api_name }),
    ))
}
