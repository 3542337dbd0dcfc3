//! Attachments travel as base64 text; users hold bytes.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Attachment content that is not valid base64.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("attachment `{name}` is not valid base64: {reason}")]
pub struct DecodeError {
    /// The attachment's file name.
    pub name: String,
    /// What the base64 decoder said.
    pub reason: String,
}

/// Bytes as the base64 text the APIs expect.
pub fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// The bytes of base64 `content`; `name` is only for the error message.
pub fn decode(name: &str, content: &str) -> Result<Vec<u8>, DecodeError> {
    // Servers may wrap long base64 text over lines.
    let compact: String = content
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    STANDARD.decode(compact).map_err(|e| DecodeError {
        name: name.to_owned(),
        reason: e.to_string(),
    })
}

/// A file's name (its last path component) and bytes.
pub fn read_file(path: &Path) -> std::io::Result<(String, Vec<u8>)> {
    let bytes = std::fs::read(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, bytes))
}
