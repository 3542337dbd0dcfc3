//! `MASSTACK_TIMINGS=1`: how long each stage of a generation took, on
//! standard error, to see where a big spec's time goes.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("MASSTACK_TIMINGS").is_some_and(|v| !v.is_empty()))
}

/// Runs `f`, and prints how long it took when timings are on.
pub fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    eprintln!(
        "timing: {name:<28} {:>8.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    out
}
