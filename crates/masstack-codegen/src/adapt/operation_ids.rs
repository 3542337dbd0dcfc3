//! Operations without an operationId, named from their method and path.
//! (Stub: filled in by the operation-naming work.)

use serde_json::Value;

use crate::compromise::Compromise;

pub fn apply(_file: &str, _json: &mut Value, _out: &mut Vec<Compromise>) {}
