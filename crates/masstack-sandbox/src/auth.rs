//! Who is calling: the bearer token, and the OSSJ role it stands for.
//!
//! The sandbox checks no signature. A request needs
//! `Authorization: Bearer <token>` with a token in the RFC 6750 syntax;
//! the role rule is in [`role_of`].

use http::HeaderMap;
use masstack_ticketing_ossj::lifecycle::Role;

use crate::error::ApiError;

/// The caller as its token describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Caller {
    /// `None`: the token names no role and may act as either.
    pub role: Option<Role>,
}

/// Reads the `Authorization` header; a missing or malformed one is a 401.
pub(crate) fn caller(headers: &HeaderMap) -> Result<Caller, ApiError> {
    let Some(value) = headers.get(http::header::AUTHORIZATION) else {
        return Err(ApiError::unauthorized(
            "no Authorization header: send `Authorization: Bearer <token>` (the sandbox accepts any well-formed token)",
        ));
    };
    let value = value.to_str().unwrap_or_default();
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token,
        _ => {
            return Err(ApiError::unauthorized(
                "the Authorization header is not `Bearer <token>`",
            ));
        }
    };
    if !well_formed(token) {
        return Err(ApiError::unauthorized(
            "the bearer token is malformed: it must be one or more of A-Z a-z 0-9 - . _ ~ + / followed by optional `=`",
        ));
    }
    Ok(Caller {
        role: role_of(token),
    })
}

/// RFC 6750's `b64token`: what a JWT or any opaque token looks like.
fn well_formed(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

/// The sandbox's role rule: a token whose first part, up to the first `-`,
/// `.` or `_`, is `TU` or `TO` (any case) acts as that role
/// (`TU`, `to-team-a`, `TO.ci`); any other token (a JWT, `sandbox`) names
/// no role and may send either role's transactions.
pub fn role_of(token: &str) -> Option<Role> {
    let first = token
        .split(['-', '.', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    first.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_part_of_the_token_names_the_role() {
        assert_eq!(role_of("TO"), Some(Role::To));
        assert_eq!(role_of("to-team-a"), Some(Role::To));
        assert_eq!(role_of("TU.ci"), Some(Role::Tu));
        assert_eq!(role_of("tu_x"), Some(Role::Tu));
        assert_eq!(role_of("token"), None);
        assert_eq!(role_of("TOTO"), None);
        assert_eq!(role_of("eyJhbGciOiJIUzI1NiJ9.e30.sig"), None);
        assert_eq!(role_of("sandbox"), None);
    }

    #[test]
    fn malformed_tokens_are_refused() {
        assert!(well_formed("abc.def-_~+/=="));
        assert!(!well_formed(""));
        assert!(!well_formed("=="));
        assert!(!well_formed("a b"));
        assert!(!well_formed("ñ"));
    }
}
