//! The state file (`--state FILE`): JSON, written atomically (a temporary
//! file in the same directory, flushed, then renamed over the old one), and
//! checked on load: a file that is not a sandbox state, or holds tickets
//! the specs would not return, is refused and left untouched.
//!
//! ```json
//! { "format": "masstack-sandbox-state", "version": 1, "state": { "tickets": { … }, … } }
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::request::first_errors;
use crate::spec::{Api, specs};
use crate::state::State;

/// The `format` every state file names.
pub const FORMAT: &str = "masstack-sandbox-state";
/// The layout version this sandbox reads and writes.
pub const VERSION: u64 = 1;

/// A state file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StateFileError {
    /// The file could not be read or written.
    #[error("state file {path}: {action} failed: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// `reading` or `writing`.
        action: &'static str,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a usable sandbox state; it was left as it was.
    #[error(
        "state file {path} cannot be used: {problem}. The sandbox did not start and left the file untouched: fix it, remove it to start from the seeded examples, or name another file"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where in the file.
        problem: String,
    },
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u64,
    state: &'a State,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    version: u64,
    state: Value,
}

/// Reads `path`; `Ok(None)` when there is no such file yet.
pub(crate) fn load(path: &Path) -> Result<Option<State>, StateFileError> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StateFileError::Io {
                path: path.to_owned(),
                action: "reading",
                source,
            });
        }
    };
    let corrupt = |problem: String| StateFileError::Corrupt {
        path: path.to_owned(),
        problem,
    };
    let header: Header = serde_json::from_slice(&text).map_err(|e| {
        corrupt(format!(
            "it is not a sandbox state file (a JSON object with `format`, `version` and `state`): {e}"
        ))
    })?;
    if header.format != FORMAT {
        return Err(corrupt(format!(
            "`format` is `{}`, not `{FORMAT}`",
            header.format
        )));
    }
    if header.version != VERSION {
        return Err(corrupt(format!(
            "`version` is {}, and this sandbox reads version {VERSION}",
            header.version
        )));
    }
    let state: State = serde_path_to_error::deserialize(header.state)
        .map_err(|e| corrupt(format!("at `state.{}`: {}", e.path(), e.inner())))?;
    check(&state).map_err(corrupt)?;
    Ok(Some(state))
}

/// What the API would return from this state must match the specs.
fn check(state: &State) -> Result<(), String> {
    let specs = specs();
    let ticket = specs
        .schema(Api::V2, "Ticket")
        .expect("the v2 spec has Ticket");
    let trouble = specs
        .schema(Api::Ossj, "TroubleTicket")
        .expect("the OSSJ spec has TroubleTicket");
    let known = specs
        .schema(Api::Ossj, "TroubleTicketState")
        .expect("the OSSJ spec has TroubleTicketState");
    for (key, t) in &state.tickets {
        if t.key() != key {
            return Err(format!("ticket `{key}` has key `{}`", t.key()));
        }
        if let Some(e) = first_errors(ticket, &Value::Object(t.fields.clone())) {
            return Err(format!("ticket `{key}`: {e}"));
        }
    }
    for (key, t) in &state.trouble_tickets {
        let value = Value::Object(t.clone());
        if let Some(e) = first_errors(trouble, &value) {
            return Err(format!("trouble ticket `{key}`: {e}"));
        }
        if let Some(e) = first_errors(known, &value["baseTroubleTicketState"]) {
            return Err(format!(
                "trouble ticket `{key}`: baseTroubleTicketState: {e}"
            ));
        }
    }
    Ok(())
}

/// Writes `state` to `path` atomically: readers see the old file or the
/// new one, never a part.
pub(crate) fn save(path: &Path, state: &State) -> Result<(), StateFileError> {
    write(path, &encode(path, state)?)
}

/// The file's bytes for `state` (`path` only names the file in errors).
pub(crate) fn encode(path: &Path, state: &State) -> Result<Vec<u8>, StateFileError> {
    let mut body = serde_json::to_vec_pretty(&FileOut {
        format: FORMAT,
        version: VERSION,
        state,
    })
    .map_err(|e| writing(path, std::io::Error::other(e)))?;
    body.push(b'\n');
    Ok(body)
}

/// Writes `body` to `path` atomically.
pub(crate) fn write(path: &Path, body: &[u8]) -> Result<(), StateFileError> {
    let io = |source| writing(path, source);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".sandbox-state-")
        .tempfile_in(dir)
        .map_err(io)?;
    file.write_all(body).map_err(io)?;
    file.as_file().sync_all().map_err(io)?;
    file.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Writing `path` failed.
pub(crate) fn writing(path: &Path, source: std::io::Error) -> StateFileError {
    StateFileError::Io {
        path: path.to_owned(),
        action: "writing",
        source,
    }
}
