//! Fault injection: the next requests answer with a failure instead of
//! (or, for a delay, before) their normal answer, so client retries and
//! timeouts can be tested. Armed in-process with [`Faults::inject`] or over
//! HTTP with `POST /_sandbox/faults` (see the crate documentation).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One kind of failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fault", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Fault {
    /// `429 Too Many Requests` with `Retry-After: <seconds>`.
    #[serde(rename = "429", rename_all = "camelCase")]
    TooManyRequests {
        /// The `Retry-After` value, in seconds.
        retry_after_seconds: u64,
    },
    /// `503 Service Unavailable`, JSON body, no `Retry-After`.
    #[serde(rename = "503")]
    Unavailable,
    /// `502 Bad Gateway` with an HTML page, as a proxy in front of the API
    /// would answer.
    #[serde(rename = "502-html")]
    BadGatewayHtml,
    /// The normal answer, after a pause.
    #[serde(rename = "delay", rename_all = "camelCase")]
    Delay {
        /// The pause, in milliseconds.
        delay_ms: u64,
    },
}

impl Fault {
    /// The pause of a [`Fault::Delay`].
    pub fn delay(&self) -> Option<Duration> {
        match self {
            Self::Delay { delay_ms } => Some(Duration::from_millis(*delay_ms)),
            _ => None,
        }
    }
}

/// A fault and how many more requests it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Armed {
    /// The fault.
    #[serde(flatten)]
    pub fault: Fault,
    /// How many of the next requests get it.
    pub count: u32,
}

/// The queue of armed faults, shared by the server and its handles.
/// Faults apply in the order they were armed; API requests only (the
/// `/_sandbox/…` endpoints are never faulted).
#[derive(Debug, Clone, Default)]
pub struct Faults(Arc<Mutex<VecDeque<Armed>>>);

impl Faults {
    /// The next `count` requests (after any faults already armed) get `fault`.
    pub fn inject(&self, fault: Fault, count: u32) {
        if count > 0 {
            self.lock().push_back(Armed { fault, count });
        }
    }

    /// Disarms every fault.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// What is still armed, in order.
    pub fn pending(&self) -> Vec<Armed> {
        self.lock().iter().copied().collect()
    }

    /// The fault for the request now arriving, if any.
    pub(crate) fn take(&self) -> Option<Fault> {
        let mut queue = self.lock();
        let head = queue.front_mut()?;
        let fault = head.fault;
        head.count -= 1;
        if head.count == 0 {
            queue.pop_front();
        }
        Some(fault)
    }

    /// Reads the JSON form `{"fault": "429", "retryAfterSeconds": 2,
    /// "count": 3}`; `count` is 1 when left out.
    pub(crate) fn parse(body: &[u8]) -> Result<Armed, String> {
        let mut value: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).map_err(|e| format!("not a JSON object: {e}"))?;
        let count = match value.remove("count") {
            None => 1,
            Some(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("`count` must be a whole number from 1, not {n}"))?,
        };
        let fault: Fault = serde_json::from_value(serde_json::Value::Object(value.clone())).map_err(|e| {
            format!(
                "{e}; expected {{\"fault\": \"429\", \"retryAfterSeconds\": N}}, {{\"fault\": \"503\"}}, {{\"fault\": \"502-html\"}} or {{\"fault\": \"delay\", \"delayMs\": N}}, each with an optional \"count\""
            )
        })?;
        // serde lets unknown keys through for field-less faults: the keys
        // must be exactly those of the fault read.
        let known = serde_json::to_value(fault).unwrap_or_default();
        if let Some(extra) = value.keys().find(|k| known.get(k.as_str()).is_none()) {
            return Err(format!(
                "unknown key `{extra}` for fault {}",
                value["fault"]
            ));
        }
        Ok(Armed { fault, count })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Armed>> {
        // A panic while holding this lock cannot leave the queue invalid.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_apply_in_order_and_run_out() {
        let faults = Faults::default();
        faults.inject(Fault::Unavailable, 2);
        faults.inject(Fault::BadGatewayHtml, 1);
        assert_eq!(faults.take(), Some(Fault::Unavailable));
        assert_eq!(faults.take(), Some(Fault::Unavailable));
        assert_eq!(faults.take(), Some(Fault::BadGatewayHtml));
        assert_eq!(faults.take(), None);
    }

    #[test]
    fn the_json_form() {
        let armed = Faults::parse(br#"{"fault":"429","retryAfterSeconds":2,"count":3}"#).unwrap();
        assert_eq!(
            armed,
            Armed {
                fault: Fault::TooManyRequests {
                    retry_after_seconds: 2
                },
                count: 3
            }
        );
        let armed = Faults::parse(br#"{"fault":"delay","delayMs":1500}"#).unwrap();
        assert_eq!(armed.fault.delay(), Some(Duration::from_millis(1500)));
        assert_eq!(armed.count, 1);
        assert!(
            Faults::parse(br#"{"fault":"418"}"#)
                .unwrap_err()
                .contains("unknown variant")
        );
        assert!(Faults::parse(br#"{"fault":"503","count":0}"#).is_err());
        assert!(Faults::parse(br#"{"fault":"503","extra":1}"#).is_err());
    }
}
