//! The OSSJ Trouble Ticket API: opening (TU01), reading, and every later
//! transaction, enforced by [`crate::lifecycle`].

use masstack_ticketing_ossj::lifecycle::Transaction;
use masstack_ticketing_ossj::types::TroubleTicketState;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::lifecycle;
use crate::reply::{Ctx, Reply};
use crate::request::{Checked, first_errors};
use crate::spec::{Api, specs};

/// The project whose keys new trouble tickets get.
const PROJECT: &str = "INST";

/// Fields of a trouble ticket a transaction may change besides the state.
const UPDATABLE: &[&str] = &[
    "dialog",
    "troubleDescription",
    "clearencePerson",
    "preferredPriority",
];

/// Runs OSSJ operation `id`.
pub(crate) fn handle(id: &str, ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    match id {
        "createTroubleTicket" => create(ctx, req),
        "getTroubleTicket" => get(ctx, req),
        "updateTroubleTicket" => update(ctx, req),
        other => Err(ApiError::internal(format!(
            "the sandbox has no handler for OSSJ operation {other}"
        ))),
    }
}

/// The property names of the spec's `TroubleTicket`.
fn ticket_properties() -> Vec<String> {
    specs()
        .ossj
        .pointer("/components/schemas/TroubleTicket/properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn create(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    lifecycle::may_create(ctx.caller.role).map_err(ApiError::bad_request)?;
    let properties = ticket_properties();
    let mut ticket: Map<String, Value> = req
        .body()
        .as_object()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| properties.contains(k))
        .collect();
    let key = ctx.state.next_key(PROJECT);
    ticket.insert("id".into(), Value::String(key.clone()));
    ctx.state.trouble_tickets.insert(key, ticket.clone());
    Ok(Reply::created(Value::Object(ticket)))
}

fn get(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let id = req.path("ticketId");
    let ticket = ctx
        .state
        .trouble_tickets
        .get(id)
        .ok_or_else(|| ApiError::not_found(format!("no trouble ticket `{id}`")))?;
    Ok(Reply::ok(Value::Object(ticket.clone())))
}

fn state_of(value: &Value) -> Option<TroubleTicketState> {
    serde_json::from_value(value.clone()).ok()
}

fn update(ctx: &mut Ctx<'_>, req: &Checked) -> Result<Reply, ApiError> {
    let id = req.path("ticketId").to_owned();
    let ticket = ctx
        .state
        .trouble_tickets
        .get(&id)
        .ok_or_else(|| ApiError::not_found(format!("no trouble ticket `{id}`")))?;
    let body = req.body();
    let current = state_of(&ticket["baseTroubleTicketState"]).ok_or_else(|| {
        ApiError::internal(format!(
            "trouble ticket {id} is in state {}, which the lifecycle table does not list",
            ticket["baseTroubleTicketState"]
        ))
    })?;
    // The body was checked against TroubleTicketUpdate: the state is known.
    let target = state_of(&body["baseTroubleTicketState"]).ok_or_else(|| {
        ApiError::bad_request("field `baseTroubleTicketState`: not a known state")
    })?;
    let transaction = lifecycle::resolve(ctx.caller.role, current, target)
        .map_err(|refusal| ApiError::bad_request(format!("transaction refused: {refusal}")))?;
    check_example_body(transaction, body)?;
    let ticket = ctx
        .state
        .trouble_tickets
        .get_mut(&id)
        .expect("looked up above");
    ticket.insert(
        "baseTroubleTicketState".into(),
        body["baseTroubleTicketState"].clone(),
    );
    for name in UPDATABLE {
        if let Some(value) = body.get(*name) {
            ticket.insert((*name).into(), value.clone());
        }
    }
    if let Some(Value::Array(new)) = body.get("attachments") {
        let slot = ticket
            .entry("attachments")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(all) = slot {
            all.extend(new.iter().cloned());
        }
    }
    Ok(Reply::ok(Value::Object(ticket.clone())))
}

/// A transaction's body must also fit its example schema from
/// `x-transactions` (most require a `dialog`).
fn check_example_body(transaction: Transaction, body: &Value) -> Result<(), ApiError> {
    let schema_name = specs()
        .doc(Api::Ossj)
        .get("x-transactions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|t| t["id"] == transaction.code())
        .and_then(|t| t["example"].as_str());
    let Some(name) = schema_name else {
        return Ok(());
    };
    let Some(validator) = specs().schema(Api::Ossj, name) else {
        return Ok(());
    };
    match first_errors(validator, body) {
        None => Ok(()),
        Some(message) => Err(ApiError::bad_request(format!(
            "{transaction} ({}) takes a body like {name}: {message}",
            transaction.name_en()
        ))),
    }
}
