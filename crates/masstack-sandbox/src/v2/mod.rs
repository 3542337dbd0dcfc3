//! The Ticketing API v2: one handler per operation, over the shared state.

mod attachments;
pub(crate) mod fields;
mod filters;
mod ia;
pub(crate) mod jql;
mod links;
mod lookups;
mod search;
mod system_fields;
mod tickets;
pub(crate) mod workflow;

use crate::error::ApiError;
use crate::reply::{Ctx, Reply};
use crate::request::Checked;
use crate::state::Ticket;

/// Runs v2 operation `id`.
pub(crate) fn handle(id: &str, ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    match id {
        "createTicket" => tickets::create(ctx, req),
        "getTicket" => tickets::get(ctx, req),
        "updateTicket" => tickets::update(ctx, req),
        "assignTicket" => tickets::assign(ctx, req),
        "getTicketTransitions" => tickets::transitions(ctx, req),
        "transitionTicket" => tickets::transition(ctx, req),
        "createComment" => tickets::comment(ctx, req),
        "updateGrid" => tickets::update_grid(ctx, req),
        "searchTicketsByJql" => search::by_jql(ctx, req),
        "searchTickets" => search::by_filters(ctx, req),
        "searchTicketsByTerritoryOwner" => search::by_territory_owner(ctx, req),
        "searchTicketsByIdParams" => search::by_id_params(ctx, req),
        "createAttachment" => attachments::create(ctx, req),
        "getAttachment" => attachments::get(ctx, req),
        "deleteAttachment" => attachments::delete(ctx, req),
        "createIssueLink" => links::create(ctx, req),
        "getIssueLink" => links::get(ctx, req),
        "deleteIssueLink" => links::delete(ctx, req),
        "getIssueLinkTypes" => links::types(ctx, req),
        "getIssueLinkTypesForIssueLink" => links::types_of_link(ctx, req),
        "createRemoteLink" => links::create_remote(ctx, req),
        "getCreateMetadata" => lookups::create_metadata(ctx, req),
        "getEditMetadata" => lookups::edit_metadata(ctx, req),
        "getTicketTypes" => lookups::ticket_types(ctx, req),
        "getFieldInfo" => lookups::field_info(ctx, req),
        "getIaSummary" => ia::summary(ctx, req),
        "getIaDuration" => ia::duration(ctx, req),
        other => Err(ApiError::internal(format!(
            "the sandbox has no handler for v2 operation {other}"
        ))),
    }
}

/// The ticket named in the path (`ticketId`: key or numeric ID).
fn ticket<'s>(ctx: &'s Ctx<'_>, req: &Checked) -> Result<&'s Ticket, ApiError> {
    let id = req.path("ticketId");
    ctx.state
        .ticket(id)
        .ok_or_else(|| ApiError::not_found(format!("no ticket `{id}`")))
}

fn ticket_mut<'s>(ctx: &'s mut Ctx<'_>, req: &Checked) -> Result<&'s mut Ticket, ApiError> {
    let id = req.path("ticketId");
    ctx.state
        .ticket_mut(id)
        .ok_or_else(|| ApiError::not_found(format!("no ticket `{id}`")))
}

/// The ticket named in the path, which must belong to the path's `org`.
fn ticket_in_org<'s>(ctx: &'s Ctx<'_>, req: &Checked) -> Result<&'s Ticket, ApiError> {
    let ticket = ticket(ctx, req)?;
    let org = req.path("org");
    if ticket.org != org {
        return Err(ApiError::not_found(format!(
            "no ticket `{}` in org `{org}` (it belongs to org `{}`)",
            req.path("ticketId"),
            ticket.org
        )));
    }
    Ok(ticket)
}
