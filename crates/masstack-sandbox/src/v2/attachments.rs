//! Attachments: stored decoded-and-checked, returned base64.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use serde_json::json;

use super::ticket;
use crate::error::ApiError;
use crate::reply::{Ctx, Reply};
use crate::request::Checked;
use crate::state::Attachment;

/// The time format of the service's attachment metadata.
pub(crate) const CREATED_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3f%z";

pub(super) fn create(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let (ticket_key, ticket_id) = {
        let t = ticket(ctx, req)?;
        (t.key().to_owned(), t.id)
    };
    let body = req.body();
    let name = body["name"].as_str().unwrap_or_default().to_owned();
    if name.trim().is_empty() {
        return Err(ApiError::bad_request("field `name`: give the file a name"));
    }
    let data: String = body["data"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = STANDARD
        .decode(&data)
        .or_else(|_| STANDARD_NO_PAD.decode(&data))
        .map_err(|e| {
            ApiError::bad_request(format!(
                "field `data`: not base64 ({e}); send the file's bytes base64-encoded (standard alphabet)"
            ))
        })?;
    let mime_type = body["mimeType"]
        .as_str()
        .unwrap_or("application/octet-stream")
        .to_owned();
    let id = ctx.state.next_attachment_id();
    let created = ctx.now.format(CREATED_FORMAT).to_string();
    let own = format!("{}/v2/ticket/{ticket_id}/attachment/{id}", ctx.base_url);
    let reply = json!({
        "self": own,
        "content": format!("{own}/{name}"),
        "filename": name,
        "created": created,
        "mimeType": mime_type,
        "size": bytes.len(),
    });
    ctx.state.attachments.insert(
        id.clone(),
        Attachment {
            id,
            ticket_key,
            name,
            mime_type,
            base64: STANDARD.encode(&bytes),
            size: bytes.len() as u64,
            created,
        },
    );
    Ok(Reply::created(reply))
}

pub(super) fn get(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let key = ticket(ctx, req)?.key().to_owned();
    let id = req.path("attachmentId");
    let attachment = ctx
        .state
        .attachments
        .get(id)
        .filter(|a| a.ticket_key == key)
        .ok_or_else(|| ApiError::not_found(format!("ticket {key} has no attachment `{id}`")))?;
    Ok(Reply::ok(json!({
        "ticketId": req.path("ticketId"),
        "name": attachment.name,
        "attachmentId": attachment.id,
        "base64": attachment.base64,
    })))
}

pub(super) fn delete(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let id = req.path("attachmentId");
    match ctx.state.attachments.remove(id) {
        Some(_) => Ok(Reply::no_content()),
        None => Err(ApiError::not_found(format!("no attachment `{id}`"))),
    }
}
