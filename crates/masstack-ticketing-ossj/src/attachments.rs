//! Attachments as bytes: the API carries them as base64 text.

use std::path::Path;

use masstack_client_runtime::attachment::{self, DecodeError};

use crate::types::TroubleTicketAttachment;

impl TroubleTicketAttachment {
    /// An attachment from raw bytes.
    pub fn from_bytes(name: impl Into<String>, mime_type: impl Into<String>, bytes: &[u8]) -> Self {
        Self {
            content: attachment::encode(bytes),
            mime_type: mime_type.into(),
            name: name.into(),
        }
    }

    /// An attachment from a file, named after it.
    pub fn from_file(
        path: impl AsRef<Path>,
        mime_type: impl Into<String>,
    ) -> std::io::Result<Self> {
        let (name, bytes) = attachment::read_file(path.as_ref())?;
        Ok(Self::from_bytes(name, mime_type, &bytes))
    }

    /// The content's bytes.
    pub fn decoded(&self) -> Result<Vec<u8>, DecodeError> {
        attachment::decode(&self.name, &self.content)
    }
}
