//! What every connection of one sandbox shares: its state (behind a lock),
//! the saver of its state file, its armed faults and its own URL.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use crate::faults::Faults;
use crate::saver::Saver;
use crate::state::State;

/// What every connection shares.
pub(crate) struct Shared {
    state: Mutex<State>,
    pub saver: Saver,
    pub faults: Faults,
    pub base_url: String,
}

impl Shared {
    pub fn new(
        state: State,
        faults: Faults,
        state_file: Option<PathBuf>,
        base_url: String,
    ) -> Self {
        Self {
            state: Mutex::new(state),
            saver: Saver::new(state_file),
            faults,
            base_url,
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        // Handlers do not panic while holding the lock; if one did, the
        // state is still a valid value to go on with.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The state if nobody holds the lock: a test's way to see that a
    /// handler let it go, without hanging when one did not.
    #[cfg(test)]
    pub fn try_lock(&self) -> Option<MutexGuard<'_, State>> {
        self.state.try_lock().ok()
    }
}
