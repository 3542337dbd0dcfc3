//! Applying lifecycle transactions to trouble tickets, refused before any
//! request when the generated transaction table forbids them.
//!
//! The table itself (who may send what, from which state, to which state)
//! is generated from the spec's `x-transactions` into [`crate::lifecycle`];
//! this module only enforces it.

use std::fmt;

use serde::Deserialize;

use crate::lifecycle::{ExamplePayload, Role, Transaction};
use crate::types::{
    ErrorResponse, TroubleTicket, TroubleTicketAttachment, TroubleTicketCreate, TroubleTicketState,
    TroubleTicketUpdate,
};
use crate::{Client, Error, ResponseValue};

/// Why a transaction was refused before anything was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalReason {
    /// The transaction is sent by the other role.
    WrongRole,
    /// The transaction cannot start from the ticket's current state.
    WrongState,
    /// The transaction is not a request (for example `TO-RECEIVES`, which
    /// happens when the TU creates the ticket), or is the creation, which
    /// goes through [`Actor::create`].
    NotARequest,
}

/// A transaction the lifecycle forbids, with what would have been allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The transaction refused.
    pub transaction: Transaction,
    /// The role the client acts as.
    pub role: Role,
    /// `None` when there is no ticket yet.
    pub current: Option<TroubleTicketState>,
    /// Why it is refused.
    pub reason: RefusalReason,
    /// What `role` may send from `current`, in table order.
    pub allowed: Vec<Transaction>,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.transaction;
        let state = match &self.current {
            Some(s) => s.to_string(),
            None => "no ticket".to_string(),
        };
        match self.reason {
            RefusalReason::WrongRole => write!(
                f,
                "{t} ({}) is sent by the {}, but this client acts as the {}",
                t.name_en(),
                t.role(),
                self.role
            )?,
            RefusalReason::WrongState => {
                write!(f, "{t} ({}) is not allowed from state {state}", t.name_en())?
            }
            RefusalReason::NotARequest => write!(
                f,
                "{t} ({}) cannot be applied to an existing ticket as a request",
                t.name_en()
            )?,
        }
        let allowed = if self.allowed.is_empty() {
            "none".to_string()
        } else {
            self.allowed
                .iter()
                .map(|t| t.code())
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(f, "; the {} may send from {state}: {allowed}", self.role)
    }
}

impl std::error::Error for Refused {}

/// What can go wrong when applying a transaction.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// Refused by the lifecycle; no request was sent.
    #[error("transaction refused: {0}")]
    Refused(Refused),
    /// The body does not fit the spec (for example a `dialog` over 4000
    /// characters); no request was sent.
    #[error("invalid body for {transaction}: {message}")]
    InvalidBody {
        /// The transaction.
        transaction: Transaction,
        /// What does not fit.
        message: String,
    },
    /// The ticket is in a state this client does not know (a server added
    /// it after the spec was written), so the table cannot say what is
    /// allowed; no request was sent.
    #[error(
        "{transaction} refused: the ticket is in state `{state}`, which the lifecycle table does not list"
    )]
    UnknownState {
        /// The transaction.
        transaction: Transaction,
        /// The state as the server sent it.
        state: String,
    },
    /// The request was sent and failed.
    #[error("{transaction} failed: {source}")]
    Api {
        /// The transaction.
        transaction: Transaction,
        // Boxed: progenitor's error is large and this is the rare path.
        /// The client's error, with everything the server said.
        #[source]
        source: Box<Error<ErrorResponse>>,
    },
}

/// What a transaction carries besides the state change: the text and files.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct TransactionBody {
    /// The reason, information or resolution text.
    pub dialog: Option<String>,
    /// Files sent with the transaction.
    pub attachments: Vec<TroubleTicketAttachment>,
}

impl TransactionBody {
    /// A body with only a `dialog` text.
    pub fn dialog(text: impl Into<String>) -> Self {
        Self {
            dialog: Some(text.into()),
            attachments: Vec::new(),
        }
    }

    /// The dialog and attachments of a published example payload.
    pub fn from_example(example: &ExamplePayload) -> Self {
        example
            .to_json()
            .ok()
            .and_then(|json| serde_json::from_value(json).ok())
            .unwrap_or_default()
    }
}

/// Checks `transaction` for a caller acting as `role` on a ticket in
/// `current` (`None`: no ticket yet), without sending anything.
pub fn check(
    role: Role,
    transaction: Transaction,
    current: Option<TroubleTicketState>,
) -> Result<(), Refused> {
    let refuse = |reason| Refused {
        transaction,
        role,
        current: current.clone(),
        reason,
        allowed: allowed(role, current.clone()),
    };
    if transaction.role() != role {
        return Err(refuse(RefusalReason::WrongRole));
    }
    match &current {
        None if transaction.from_states().is_empty() => Ok(()),
        None => Err(refuse(RefusalReason::WrongState)),
        Some(_) if transaction.from_states().is_empty() => Err(refuse(RefusalReason::NotARequest)),
        Some(state) if !transaction.allowed_from(state.clone()) => {
            Err(refuse(RefusalReason::WrongState))
        }
        Some(_) if transaction.operation_id() != Some(UPDATE_OPERATION) => {
            Err(refuse(RefusalReason::NotARequest))
        }
        Some(_) => Ok(()),
    }
}

/// What `role` may send to a ticket in `current`, in table order; only
/// transactions that are requests count.
pub fn allowed(role: Role, current: Option<TroubleTicketState>) -> Vec<Transaction> {
    Transaction::ALL
        .iter()
        .copied()
        .filter(|t| t.role() == role && t.operation_id().is_some())
        .filter(|t| match &current {
            None => t.from_states().is_empty(),
            Some(state) => t.allowed_from(state.clone()),
        })
        .collect()
}

/// The operation that carries every transaction after the creation.
const UPDATE_OPERATION: &str = "updateTroubleTicket";

/// A client that acts as one role; every lifecycle call is checked first.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    client: &'a Client,
    role: Role,
}

impl Client {
    /// Acts as `role` (TU or TO) for lifecycle calls.
    pub fn acting_as(&self, role: Role) -> Actor<'_> {
        Actor { client: self, role }
    }
}

impl<'a> Actor<'a> {
    /// The role this actor plays.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Opens a ticket (TU01). Refused unless acting as the TU.
    pub async fn create(&self, body: TroubleTicketCreate) -> Result<TroubleTicket, ApplyError> {
        let transaction = Transaction::Tu01;
        check(self.role, transaction, None).map_err(ApplyError::Refused)?;
        let response = self.client.create_trouble_ticket().body(body).send().await;
        into_ticket(transaction, response)
    }

    /// Applies `transaction` to `ticket`, whose state is taken as current.
    /// The request sets `baseTroubleTicketState` to the transaction's
    /// resulting state (the current one for TU10).
    pub async fn apply(
        &self,
        ticket: &TroubleTicket,
        transaction: Transaction,
        body: TransactionBody,
    ) -> Result<TroubleTicket, ApplyError> {
        let current = match &ticket.base_trouble_ticket_state {
            TroubleTicketState::Unknown(state) => {
                return Err(ApplyError::UnknownState {
                    transaction,
                    state: state.clone(),
                });
            }
            state => state.clone(),
        };
        check(self.role, transaction, Some(current.clone())).map_err(ApplyError::Refused)?;
        let update = update_body(transaction, current, body)?;
        let response = self
            .client
            .update_trouble_ticket()
            .ticket_id(ticket.id.clone())
            .body(update)
            .send()
            .await;
        into_ticket(transaction, response)
    }
}

fn update_body(
    transaction: Transaction,
    current: TroubleTicketState,
    body: TransactionBody,
) -> Result<TroubleTicketUpdate, ApplyError> {
    let dialog = body.dialog.map(TryInto::try_into).transpose().map_err(
        |e: crate::types::error::ConversionError| ApplyError::InvalidBody {
            transaction,
            message: format!("dialog: {e}"),
        },
    )?;
    Ok(TroubleTicketUpdate {
        base_trouble_ticket_state: transaction.resulting_state().unwrap_or(current),
        dialog,
        attachments: body.attachments,
        clearence_person: None,
        preferred_priority: None,
        trouble_description: None,
    })
}

fn into_ticket(
    transaction: Transaction,
    response: Result<ResponseValue<TroubleTicket>, Error<ErrorResponse>>,
) -> Result<TroubleTicket, ApplyError> {
    response
        .map(ResponseValue::into_inner)
        .map_err(|source| ApplyError::Api {
            transaction,
            source: Box::new(source),
        })
}
