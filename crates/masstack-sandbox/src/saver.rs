//! Saving the state file outside the state lock, in order. A change takes
//! a snapshot (the serialised state, numbered) under the state lock; the
//! file is written after the lock is released, one write at a time, and a
//! snapshot older than the one on disk is skipped, so an older state never
//! replaces a newer one. A save returns once its snapshot, or a newer one,
//! is on disk: a request is answered only then.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, MutexGuard};

use tokio::task::JoinError;

use crate::persist::{self, StateFileError};
use crate::state::State;

/// Writes the state file, if there is one.
pub(crate) struct Saver {
    path: Option<PathBuf>,
    /// The generation of the last snapshot taken.
    taken: AtomicU64,
    /// The generation on disk (0: the state the sandbox started with),
    /// held for the whole of a write.
    written: Arc<tokio::sync::Mutex<u64>>,
}

/// The state as one change left it.
#[derive(Debug)]
pub(crate) struct Snapshot {
    generation: u64,
    body: Vec<u8>,
}

impl Saver {
    pub fn new(path: Option<PathBuf>) -> Self {
        Self {
            path,
            taken: AtomicU64::new(0),
            written: Arc::new(tokio::sync::Mutex::new(0)),
        }
    }

    /// The state to save; `None` without a state file. It takes the guard
    /// so that it runs under the state lock: generations then follow the
    /// order of the changes.
    pub fn snapshot(
        &self,
        state: &MutexGuard<'_, State>,
    ) -> Result<Option<Snapshot>, StateFileError> {
        let Some(path) = &self.path else {
            return Ok(None);
        };
        let body = persist::encode(path, state)?;
        let generation = self.taken.fetch_add(1, Ordering::Relaxed) + 1;
        Ok(Some(Snapshot { generation, body }))
    }

    /// Writes `snapshot`, if any, unless a newer one is on disk already;
    /// returns once it, or a newer one, is.
    pub async fn save(&self, snapshot: Option<Snapshot>) -> Result<(), StateFileError> {
        let (Some(path), Some(snapshot)) = (self.path.clone(), snapshot) else {
            return Ok(());
        };
        let written = self.written.clone();
        // A task of its own, which goes on if the client hangs up: dropped
        // half way, it would free the writer lock while its file is still
        // being written, and an older file could land after a newer one.
        let task = tokio::spawn({
            let path = path.clone();
            async move {
                let mut on_disk = written.lock().await;
                if snapshot.generation <= *on_disk {
                    return Ok(()); // a newer state is saved already
                }
                let Snapshot { generation, body } = snapshot;
                let target = path.clone();
                // Off the runtime's threads (`ticketing sandbox` has one).
                tokio::task::spawn_blocking(move || persist::write(&target, &body))
                    .await
                    .map_err(|e| failed(&path, e))??;
                *on_disk = generation;
                Ok(())
            }
        });
        task.await.map_err(|e| failed(&path, e))?
    }

    /// Holds every write back until dropped, like a disk that stalls.
    #[cfg(test)]
    pub async fn stall(&self) -> tokio::sync::MutexGuard<'_, u64> {
        self.written.lock().await
    }
}

/// A write task that panicked or was cancelled.
fn failed(path: &Path, e: JoinError) -> StateFileError {
    persist::writing(path, std::io::Error::other(e))
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use serde_json::json;

    use super::*;
    use crate::seed;

    #[tokio::test]
    async fn an_older_snapshot_never_overwrites_a_newer_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let saver = Saver::new(Some(path.clone()));
        let state = Mutex::new(seed::state());
        let change = |n: u64| {
            let mut state = state.lock().unwrap();
            state.remote_links.push(json!({ "change": n }));
            saver.snapshot(&state).unwrap()
        };
        let older = change(1);
        let newer = change(2);
        // The newer write gets to the file first; the older one comes
        // after, and must not replace it.
        saver.save(newer).await.unwrap();
        saver.save(older).await.unwrap();
        let on_disk = persist::load(&path).unwrap().unwrap();
        assert_eq!(
            on_disk.remote_links,
            [json!({ "change": 1 }), json!({ "change": 2 })],
            "the newest state stays on disk"
        );
    }
}
