//! progenitor asserts instead of returning errors for some inputs. The lint
//! stage rules those out, and this guard turns anything that slips through
//! into an error instead of a backtrace.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// A panic caught by [`catch`]: its message.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Panic(pub String);

/// Runs `f`; a panic inside it becomes `Err(Panic(message))` and prints
/// nothing.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Panic> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        // Only this thread's guarded calls are silenced; other panics
        // (tests, real bugs) still print as usual.
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    // Restored on drop, so that even a panic escaping this guard (a bug
    // here) does not silence the thread's later panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            QUIET.with(|q| q.set(self.0));
        }
    }
    let _restore = Restore(QUIET.with(|q| q.replace(true)));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    result.map_err(|payload| {
        Panic(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "unknown panic".to_owned()),
        )
    })
}
