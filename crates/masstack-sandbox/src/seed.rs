//! The state a sandbox starts with, taken from the specs' examples: the
//! v2 ticket `INST-7902` of `getTicket` (org `yoigo`, numeric ID 73232 as
//! in the attachment example), its attachment 24819 of `getAttachment`,
//! the grid row of `updateGrid`, and the OSSJ trouble ticket `INST-7902`
//! of `createTroubleTicket`, in state `OPENACTIVE`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::spec::{Api, specs};
use crate::state::{Attachment, State, Ticket};
use crate::v2::workflow;

/// The numeric ID of the seeded ticket (the attachment example's `ticketId`).
const SEED_ID: u64 = 73232;

pub(crate) fn state() -> State {
    let specs = specs();
    let example = |api, op, status| {
        specs
            .response_example(api, op, status)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let mut state = State::default();

    let fields: Map<String, Value> = example(Api::V2, "getTicket", "200")
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut ticket = Ticket {
        id: SEED_ID,
        org: specs
            .parameter_example(Api::V2, "getTicket", "org")
            .and_then(Value::as_str)
            .unwrap_or("yoigo")
            .to_owned(),
        fields,
        status: workflow::INITIAL.to_owned(),
        assignee: None,
        comments: Vec::new(),
        created: "2026-02-12T08:30:00.000Z".to_owned(),
    };
    let key = ticket.key().to_owned();
    // The grid `updateGrid`'s example edits: its row, no columns yet.
    let grid_field = specs
        .parameter_example(Api::V2, "updateGrid", "customFieldName")
        .and_then(Value::as_str)
        .unwrap_or("workorder_index")
        .to_owned();
    let rows: Vec<Value> = specs
        .request_example(Api::V2, "updateGrid")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|row| json!({ "rowId": row["rowId"], "columns": {} }))
        .collect();
    ticket
        .custom_fields_mut()
        .insert(grid_field, Value::Array(rows));
    state.tickets.insert(key.clone(), ticket);

    let attachment = example(Api::V2, "getAttachment", "200");
    // The example's content is cut short (`…/...`): its whole base64
    // quads are kept.
    let text = attachment["base64"].as_str().unwrap_or_default();
    let clean: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "+/".contains(*c))
        .collect();
    let whole = &clean[..clean.len() / 4 * 4];
    let bytes = STANDARD.decode(whole).unwrap_or_default();
    let id = attachment["attachmentId"]
        .as_str()
        .unwrap_or("24819")
        .to_owned();
    state.attachments.insert(
        id.clone(),
        Attachment {
            id: id.clone(),
            ticket_key: key,
            name: attachment["name"].as_str().unwrap_or_default().to_owned(),
            mime_type: "application/pdf".to_owned(),
            base64: STANDARD.encode(&bytes),
            size: bytes.len() as u64,
            created: example(Api::V2, "createAttachment", "201")["created"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        },
    );

    let trouble = example(Api::Ossj, "createTroubleTicket", "201");
    if let Some(trouble) = trouble.as_object() {
        let key = trouble["id"].as_str().unwrap_or("INST-7902").to_owned();
        state.trouble_tickets.insert(key, trouble.clone());
    }

    state.counters.ticket_id = SEED_ID + 1;
    state.counters.attachment_id = id.parse::<u64>().unwrap_or(24819) + 1;
    state.counters.issue_link_id = 10000;
    // Keys go on after the seeded INST-7902.
    state.counters.key_numbers.insert("INST".into(), 7903);
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_examples_are_there() {
        let s = state();
        assert_eq!(s.tickets["INST-7902"].org, "yoigo");
        assert_eq!(s.tickets["INST-7902"].fields["summary"], "Cita - Y28257924");
        assert_eq!(
            s.attachments["24819"].base64,
            "/9j/4AAQSkZJRgABAQAAAQABAAD/"
        );
        assert_eq!(
            s.trouble_tickets["INST-7902"]["baseTroubleTicketState"],
            "OPENACTIVE"
        );
        assert_eq!(
            s.tickets["INST-7902"].fields["customFields"]["workorder_index"][0]["rowId"],
            "row_94ba7042-c49b-4f53-971b-44549b9c08a0"
        );
    }
}
