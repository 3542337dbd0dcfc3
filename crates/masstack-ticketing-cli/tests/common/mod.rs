//! What the binary's test files share.

use std::time::Duration;

use assert_cmd::Command;

/// The binary with a clean environment: nothing from the developer's shell
/// (token, provider, CA bundle, proxies, log filter).
pub fn ticketing() -> Command {
    let mut command = Command::cargo_bin("ticketing").unwrap();
    for name in [
        "MASSTACK_TOKEN",
        "TICKETING_PROVIDER",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "MASSTACK_CLIENT_CERT",
        "MASSTACK_CLIENT_KEY",
        "MASSTACK_TIMEOUT",
        "MASSTACK_RETRIES",
        "RUST_LOG",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        command.env_remove(name);
    }
    command.timeout(Duration::from_secs(60));
    command
}
