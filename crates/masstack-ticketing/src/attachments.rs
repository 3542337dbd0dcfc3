//! Attachments as bytes: the API carries them as base64 text.

use std::path::Path;

use masstack_client_runtime::attachment::{self, DecodeError};

use crate::types::{Attachment, AttachmentUpload};

impl AttachmentUpload {
    /// An upload body from raw bytes.
    pub fn from_bytes(name: impl Into<String>, mime_type: impl Into<String>, bytes: &[u8]) -> Self {
        Self {
            data: attachment::encode(bytes),
            mime_type: Some(mime_type.into()),
            name: name.into(),
        }
    }

    /// An upload body from a file, named after it.
    pub fn from_file(
        path: impl AsRef<Path>,
        mime_type: impl Into<String>,
    ) -> std::io::Result<Self> {
        let (name, bytes) = attachment::read_file(path.as_ref())?;
        Ok(Self::from_bytes(name, mime_type, &bytes))
    }
}

impl Attachment {
    /// The downloaded content's bytes (empty when the API sent none).
    pub fn decoded(&self) -> Result<Vec<u8>, DecodeError> {
        let name = self.name.as_deref().unwrap_or("(unnamed)");
        attachment::decode(name, self.base64.as_deref().unwrap_or(""))
    }
}
