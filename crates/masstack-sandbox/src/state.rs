//! What the sandbox remembers: tickets and what hangs off them, and the
//! OSSJ trouble tickets. One value, kept behind a lock, saved as JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The whole state; also the `data` of a state file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct State {
    /// v2 tickets by key.
    pub tickets: BTreeMap<String, Ticket>,
    /// v2 attachments by ID.
    pub attachments: BTreeMap<String, Attachment>,
    /// v2 issue links by ID.
    pub issue_links: BTreeMap<String, IssueLink>,
    /// v2 remote links, as sent (the spec documents no body).
    pub remote_links: Vec<Value>,
    /// OSSJ trouble tickets by Jira key, as the API returns them.
    pub trouble_tickets: BTreeMap<String, Map<String, Value>>,
    pub counters: Counters,
}

/// The next identifiers to hand out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Counters {
    pub ticket_id: u64,
    pub attachment_id: u64,
    pub issue_link_id: u64,
    /// The next key number of each project (`INST` → 7903).
    pub key_numbers: BTreeMap<String, u64>,
}

/// A v2 ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Ticket {
    /// The numeric ID, the other way to name the ticket in paths.
    pub id: u64,
    pub org: String,
    /// The fields of the spec's `Ticket` schema, as the API returns them.
    pub fields: Map<String, Value>,
    /// Workflow status (see `v2::workflow`).
    pub status: String,
    pub assignee: Option<String>,
    /// Comments, as the API echoes them.
    pub comments: Vec<Value>,
    /// RFC 3339, UTC.
    pub created: String,
}

impl Ticket {
    pub fn key(&self) -> &str {
        self.fields
            .get("key")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    pub fn custom_fields(&self) -> Option<&Map<String, Value>> {
        self.fields.get("customFields").and_then(Value::as_object)
    }

    /// The custom fields, made an object if they were absent or null.
    pub fn custom_fields_mut(&mut self) -> &mut Map<String, Value> {
        let slot = self
            .fields
            .entry("customFields")
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        slot.as_object_mut().expect("made an object above")
    }
}

/// A v2 attachment with its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Attachment {
    pub id: String,
    pub ticket_key: String,
    pub name: String,
    pub mime_type: String,
    /// The content, base64 (standard alphabet, padded).
    pub base64: String,
    pub size: u64,
    /// As the service writes it: `2022-01-13T09:20:22.556+0000`.
    pub created: String,
}

/// A v2 issue link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct IssueLink {
    pub id: String,
    pub type_name: String,
    pub inward: String,
    pub outward: String,
}

impl State {
    /// The next key of `project`, such as `INST-7903`.
    pub fn next_key(&mut self, project: &str) -> String {
        let taken = |s: &Self, n: u64| {
            let key = format!("{project}-{n}");
            s.tickets.contains_key(&key) || s.trouble_tickets.contains_key(&key)
        };
        let mut n = *self.counters.key_numbers.get(project).unwrap_or(&1);
        while taken(self, n) {
            n += 1;
        }
        self.counters.key_numbers.insert(project.to_owned(), n + 1);
        format!("{project}-{n}")
    }

    pub fn next_ticket_id(&mut self) -> u64 {
        let id = self.counters.ticket_id;
        self.counters.ticket_id += 1;
        id
    }

    pub fn next_attachment_id(&mut self) -> String {
        let id = self.counters.attachment_id;
        self.counters.attachment_id += 1;
        id.to_string()
    }

    pub fn next_issue_link_id(&mut self) -> String {
        let id = self.counters.issue_link_id;
        self.counters.issue_link_id += 1;
        id.to_string()
    }

    /// A v2 ticket by key or numeric ID.
    pub fn ticket(&self, id_or_key: &str) -> Option<&Ticket> {
        self.tickets.get(id_or_key).or_else(|| {
            let id: u64 = id_or_key.parse().ok()?;
            self.tickets.values().find(|t| t.id == id)
        })
    }

    pub fn ticket_mut(&mut self, id_or_key: &str) -> Option<&mut Ticket> {
        let key = self.ticket(id_or_key)?.key().to_owned();
        self.tickets.get_mut(&key)
    }
}
