//! `SSL_CERT_FILE` and `SSL_CERT_DIR` as curl and OpenSSL read them: an
//! empty value is unset (the system's store, not the Mozilla roots nor
//! nothing), and a value that names nothing usable fails the client's
//! build naming the variable, instead of trusting other roots. One test in
//! its own process: it changes the variables, which every client built
//! afterwards reads.

use masstack_client_runtime::{TrustStore, trust_store};
use masstack_ticketing::{Client, ClientConfig, ConfigError};

#[allow(unsafe_code)] // the environment is the subject of this test
fn set(name: &str, value: Option<&str>) {
    // SAFETY: this test binary runs this one test, on one thread.
    unsafe {
        match value {
            Some(v) => std::env::set_var(name, v),
            None => std::env::remove_var(name),
        }
    }
}

fn build() -> Result<Client, ConfigError> {
    Client::from_config(ClientConfig::new("https://ticketing.example"))
}

/// The variable a refused build names, or a panic saying what happened.
fn refused_naming(expected: &str) -> String {
    match build() {
        Err(e @ ConfigError::TrustStoreVariable { variable, .. }) => {
            assert_eq!(variable, expected, "{e}");
            e.to_string()
        }
        Err(e) => panic!("refused for another reason: {e}"),
        Ok(_) => panic!("a client was built although {expected} names nothing usable"),
    }
}

#[test]
fn empty_variables_are_unset_and_unusable_ones_are_named() {
    // The system store this machine has, asked the way the client asks
    // when neither variable is set.
    // (OpenSSL's usual places, which the runtime probes.)
    let system_has_store = [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/cert.pem",
    ]
    .iter()
    .any(|f| std::fs::metadata(f).is_ok_and(|m| m.len() > 0));

    // Empty first, before anything caches what an unset store holds.
    set("SSL_CERT_FILE", Some(""));
    set("SSL_CERT_DIR", Some(""));
    if system_has_store {
        assert_eq!(
            trust_store(),
            TrustStore::OperatingSystem,
            "an empty SSL_CERT_FILE is unset: the system's store, not the Mozilla roots"
        );
    } else {
        masstack_testkit::skipped(
            "the empty-variable store check",
            "this machine has no system CA bundle (apt-get install ca-certificates)",
            "MASSTACK_REQUIRE_SYSTEM_STORE",
        );
    }
    build().expect("empty variables are unset: the client builds");

    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pem");
    set("SSL_CERT_DIR", None);
    set("SSL_CERT_FILE", Some(missing.to_str().unwrap()));
    let message = refused_naming("SSL_CERT_FILE");
    assert!(message.contains("missing.pem"), "{message}");

    let no_certificate = dir.path().join("key-only.pem");
    std::fs::write(&no_certificate, "not a certificate\n").unwrap();
    set("SSL_CERT_FILE", Some(no_certificate.to_str().unwrap()));
    let message = refused_naming("SSL_CERT_FILE");
    assert!(message.contains("holds no PEM certificate"), "{message}");

    set("SSL_CERT_FILE", None);
    set("SSL_CERT_DIR", Some(missing.to_str().unwrap()));
    refused_naming("SSL_CERT_DIR");

    set("SSL_CERT_DIR", None);
    build().expect("unset again: the client builds");
}
