//! When a request is sent again, and after how long.
//!
//! Only requests that are safe to repeat (GET, HEAD, PUT, DELETE, OPTIONS)
//! are retried, unless the caller opts in for POST and PATCH: a retried
//! create can make a duplicate ticket. Retries happen on connection errors,
//! timeouts, 429, 502, 503 and 504, with exponential backoff and jitter; a
//! `Retry-After` header is honoured when it asks for no more than
//! [`RetryPolicy::max_retry_after`], and otherwise the answer is returned
//! to the caller as it is.

use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode};

/// How a client retries. The default retries twice (three attempts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(4),
            max_retry_after: Duration::from_secs(30),
            non_idempotent: false,
        }
    }
}

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The server answered with this status and, maybe, a `Retry-After`.
    Answered {
        /// The response status.
        status: StatusCode,
        /// The delay its `Retry-After` header asks for.
        retry_after: Option<Duration>,
    },
    /// No connection (refused, DNS, TLS handshake) or no answer in time.
    Unreachable,
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How many times a request is sent again at most (0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first backoff; each retry doubles it, up to [`Self::max_delay`].
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest backoff between two attempts.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` waited for; a server asking for more gets
    /// its answer returned to the caller instead.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Also retry POST and PATCH. Only for operations the caller knows are
    /// safe to repeat: a retried create can make a second ticket.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.non_idempotent = yes;
        self
    }

    /// The configured number of retries.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// Whether requests with `method` may be retried at all.
    pub fn applies_to(&self, method: &Method) -> bool {
        if self.max_retries == 0 {
            return false;
        }
        match *method {
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS => true,
            Method::POST | Method::PATCH => self.non_idempotent,
            _ => false,
        }
    }

    /// How long to wait before retry number `retry` (1-based) after
    /// `attempt`, or `None` when the attempt's result is final.
    pub fn delay(&self, method: &Method, retry: u32, attempt: Attempt) -> Option<Duration> {
        if retry > self.max_retries || !self.applies_to(method) {
            return None;
        }
        match attempt {
            Attempt::Answered {
                status,
                retry_after,
            } => {
                if !is_retryable_status(status) {
                    return None;
                }
                match retry_after {
                    Some(wait) if wait > self.max_retry_after => None,
                    Some(wait) => Some(wait),
                    None => Some(self.backoff(retry)),
                }
            }
            Attempt::Unreachable => Some(self.backoff(retry)),
        }
    }

    /// Exponential backoff with "equal jitter": half fixed, half random, so
    /// clients that failed together do not retry together.
    fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << (retry.saturating_sub(1)).min(16));
        let capped = exp.min(self.max_delay);
        let half = capped / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// The statuses worth another attempt: the server or a proxy says it is
/// overloaded or briefly unavailable.
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// A `Retry-After` value: delay seconds or an HTTP date, relative to `now`.
/// A date in the past means "now".
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(code: u16) -> Attempt {
        Attempt::Answered {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after: None,
        }
    }

    #[test]
    fn only_methods_safe_to_repeat_are_retried_by_default() {
        let policy = RetryPolicy::default();
        for m in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert!(policy.delay(&m, 1, answered(503)).is_some(), "{m}");
        }
        for m in [Method::POST, Method::PATCH] {
            assert_eq!(policy.delay(&m, 1, answered(503)), None, "{m}");
            assert_eq!(policy.delay(&m, 1, Attempt::Unreachable), None, "{m}");
        }
        let opted_in = RetryPolicy::default().retry_non_idempotent(true);
        assert!(opted_in.delay(&Method::POST, 1, answered(503)).is_some());
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        let policy = RetryPolicy::default();
        let retried: Vec<u16> = (100..600)
            .filter(|c| StatusCode::from_u16(*c).is_ok())
            .filter(|c| policy.delay(&Method::GET, 1, answered(*c)).is_some())
            .collect();
        assert_eq!(retried, [429, 502, 503, 504]);
    }

    #[test]
    fn the_budget_ends_retries() {
        let policy = RetryPolicy::default().max_retries(3);
        assert!(policy.delay(&Method::GET, 3, answered(503)).is_some());
        assert_eq!(policy.delay(&Method::GET, 4, answered(503)), None);
        assert_eq!(
            RetryPolicy::none().delay(&Method::GET, 1, answered(503)),
            None
        );
    }

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350))
            .max_retries(10);
        for _ in 0..200 {
            let d1 = policy.delay(&Method::GET, 1, Attempt::Unreachable).unwrap();
            assert!((50..=100).contains(&d1.as_millis()), "{d1:?}");
            let d2 = policy.delay(&Method::GET, 2, Attempt::Unreachable).unwrap();
            assert!((100..=200).contains(&d2.as_millis()), "{d2:?}");
            let d5 = policy.delay(&Method::GET, 5, Attempt::Unreachable).unwrap();
            assert!((175..=350).contains(&d5.as_millis()), "{d5:?}");
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
        let with = |secs| Attempt::Answered {
            status: StatusCode::TOO_MANY_REQUESTS,
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(
            policy.delay(&Method::GET, 1, with(7)),
            Some(Duration::from_secs(7))
        );
        assert_eq!(policy.delay(&Method::GET, 1, with(11)), None);
    }

    #[test]
    fn retry_after_parses_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Wed, 25 Nov 2026 14:00:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 25 Nov 2026 14:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 25 Nov 2026 13:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
