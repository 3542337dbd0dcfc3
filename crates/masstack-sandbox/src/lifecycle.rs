//! The OSSJ lifecycle on the server side: which transaction a
//! `updateTroubleTicket` body is, and whether the caller may send it, by
//! the same generated table (`masstack_ticketing_ossj::lifecycle`) the
//! client checks before sending.

use masstack_ticketing_ossj::lifecycle::{Role, Transaction};
use masstack_ticketing_ossj::transition;
use masstack_ticketing_ossj::types::TroubleTicketState;

/// The operation that carries every transaction after the creation.
const UPDATE: &str = "updateTroubleTicket";

/// Why an update is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub transaction: Transaction,
    pub wrong_role: bool,
    pub current: TroubleTicketState,
    pub roles: Vec<Role>,
    pub allowed: Vec<Transaction>,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.transaction;
        let roles = roles_text(&self.roles);
        if self.wrong_role {
            write!(
                f,
                "{t} ({}) is sent by the {}, but the token acts as the {roles}",
                t.name_en(),
                t.role()
            )?;
        } else {
            write!(
                f,
                "{t} ({}) is not allowed from state {}",
                t.name_en(),
                self.current
            )?;
        }
        let allowed = if self.allowed.is_empty() {
            "none".to_owned()
        } else {
            self.allowed
                .iter()
                .map(|t| t.code())
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(
            f,
            "; the ticket is in state {}, where the {roles} may send: {allowed}",
            self.current
        )
    }
}

fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The transaction an update to `target` from `current` is, for a caller
/// acting as `role` (`None`: either role). Among equivalent transactions
/// (TU03 and TU-ACCEPTS-CANCELLATION) the table's first wins.
pub(crate) fn resolve(
    role: Option<Role>,
    current: TroubleTicketState,
    target: TroubleTicketState,
) -> Result<Transaction, Refusal> {
    let roles: Vec<Role> = match role {
        Some(r) => vec![r],
        None => Role::ALL.to_vec(),
    };
    let candidates: Vec<Transaction> = Transaction::ALL
        .iter()
        .copied()
        .filter(|t| t.operation_id() == Some(UPDATE))
        .filter(|t| t.resulting_state().unwrap_or_else(|| current.clone()) == target)
        .collect();
    let accepted = candidates.iter().copied().find(|t| {
        roles
            .iter()
            .any(|r| transition::check(*r, *t, Some(current.clone())).is_ok())
    });
    if let Some(t) = accepted {
        return Ok(t);
    }
    // Name the transaction the caller most likely meant: one the state
    // allows (so the role is wrong), else one of the caller's role.
    let (transaction, wrong_role) = candidates
        .iter()
        .copied()
        .find(|t| t.allowed_from(current.clone()))
        .map(|t| (t, true))
        .or_else(|| {
            candidates
                .iter()
                .copied()
                .find(|t| roles.contains(&t.role()))
                .map(|t| (t, false))
        })
        .or_else(|| candidates.first().map(|t| (*t, true)))
        .expect("every state is the target of some update transaction");
    let mut allowed: Vec<Transaction> = Vec::new();
    for r in &roles {
        for t in transition::allowed(*r, Some(current.clone())) {
            if t.operation_id() == Some(UPDATE) && !allowed.contains(&t) {
                allowed.push(t);
            }
        }
    }
    allowed.sort();
    Err(Refusal {
        transaction,
        wrong_role,
        current,
        roles,
        allowed,
    })
}

/// Whether `role` (`None`: either) may open a ticket (TU01).
pub(crate) fn may_create(role: Option<Role>) -> Result<(), String> {
    let role = role.unwrap_or(Role::Tu);
    transition::check(role, Transaction::Tu01, None).map_err(|refused| {
        format!(
            "{} ({}) is sent by the {}, but the token acts as the {role}",
            refused.transaction,
            refused.transaction.name_en(),
            refused.transaction.role()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use TroubleTicketState::*;

    #[test]
    fn an_update_is_the_transaction_its_target_state_names() {
        assert_eq!(
            resolve(Some(Role::To), Openactive, DeferredAwaitingInformation),
            Ok(Transaction::To05)
        );
        assert_eq!(resolve(None, Openactive, Cleared), Ok(Transaction::To07));
        assert_eq!(
            resolve(Some(Role::Tu), Openactive, Openactive),
            Ok(Transaction::Tu10)
        );
        assert_eq!(
            resolve(Some(Role::Tu), DeferredAwaitingCancelation, ClosedCanceled),
            Ok(Transaction::Tu03)
        );
        assert_eq!(
            resolve(Some(Role::To), Cleared, Closed),
            Ok(Transaction::ToClosesAfterWarranty)
        );
        assert_eq!(
            resolve(Some(Role::Tu), Cleared, Closed),
            Ok(Transaction::Tu09)
        );
    }

    #[test]
    fn refusals_name_the_transaction_the_state_and_what_is_allowed() {
        let refused = resolve(Some(Role::Tu), Openactive, DeferredAwaitingInformation).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "TO05 (Requests additional information) is sent by the TO, but the token acts as the TU; the ticket is in state OPENACTIVE, where the TU may send: TU10"
        );
        let refused = resolve(Some(Role::To), Cleared, DeferredAwaitingInformation).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "TO05 (Requests additional information) is not allowed from state CLEARED; the ticket is in state CLEARED, where the TO may send: TO-CLOSES-AFTER-WARRANTY"
        );
        let refused = resolve(None, Closed, Closed).unwrap_err();
        assert!(
            refused
                .to_string()
                .ends_with("where the TU or TO may send: none"),
            "{refused}"
        );
    }
}
