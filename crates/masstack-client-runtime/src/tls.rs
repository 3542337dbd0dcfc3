//! Which servers a client trusts and which certificate it shows them.
//!
//! With the default `rustls` feature: rustls with the ring provider, the
//! operating system's trust store (through the platform verifier, which on
//! Linux also reads `SSL_CERT_FILE` and `SSL_CERT_DIR`), or the Mozilla roots
//! on a machine that has no store, plus any CA the configuration adds.
//! An empty `SSL_CERT_FILE` or `SSL_CERT_DIR` is unset (as for curl and
//! OpenSSL); a file that is missing or holds no certificate, or a directory
//! that is missing, fails the build of the client, naming the variable,
//! rather than trusting other roots. An existing directory with no
//! certificate is an empty store: the Mozilla roots, with a warning.

use std::path::{Path, PathBuf};

use crate::config::ConfigError;

/// PEM text, or the file it is read from when the client is built.
#[derive(Debug, Clone)]
pub(crate) enum Pem {
    Text(Vec<u8>),
    File(PathBuf),
}

impl Pem {
    fn read(&self, what: &'static str) -> Result<(Vec<u8>, String), ConfigError> {
        match self {
            Pem::Text(bytes) => Ok((bytes.clone(), format!("the {what} given as PEM text"))),
            Pem::File(path) => std::fs::read(path)
                .map(|bytes| (bytes, display(path)))
                .map_err(|e| ConfigError::Tls {
                    what,
                    source_name: display(path),
                    reason: e.to_string(),
                }),
        }
    }
}

fn display(path: &Path) -> String {
    format!("`{}`", path.display())
}

/// The TLS part of a [`crate::ClientConfig`].
#[derive(Debug, Clone, Default)]
pub(crate) struct TlsSettings {
    pub extra_roots: Vec<Pem>,
    /// Certificate chain and private key, for mutual TLS.
    pub identity: Option<(Pem, Pem)>,
}

impl TlsSettings {
    /// Applies these settings to a reqwest builder.
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    pub fn apply(
        &self,
        builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, ConfigError> {
        let mut roots = Vec::new();
        for pem in &self.extra_roots {
            let (bytes, name) = pem.read("CA certificate")?;
            let bad = |reason: String| ConfigError::Tls {
                what: "CA certificate",
                source_name: name.clone(),
                reason,
            };
            let certs = reqwest::Certificate::from_pem_bundle(&bytes)
                .map_err(|e| bad(crate::report::chain(&e)))?;
            if certs.is_empty() {
                return Err(bad("it holds no PEM certificate".into()));
            }
            roots.extend(certs);
        }
        let builder = backend(builder, roots)?;
        match &self.identity {
            None => Ok(builder),
            Some((cert, key)) => Ok(builder.identity(identity(cert, key)?)),
        }
    }

    /// Without a TLS feature (plain HTTP only, for tests and sidecars),
    /// asking for a CA or a client certificate is an error, not ignored.
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    pub fn apply(
        &self,
        builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, ConfigError> {
        let asked = match (self.extra_roots.first(), &self.identity) {
            (Some(pem), _) => Some(("CA certificate", pem)),
            (None, Some((cert, _))) => Some(("client certificate", cert)),
            (None, None) => None,
        };
        match asked {
            None => Ok(builder),
            Some((what, pem)) => Err(ConfigError::Tls {
                what,
                source_name: pem.read(what)?.1,
                reason: "this build has no TLS: enable the `rustls` or `native-tls` feature".into(),
            }),
        }
    }
}

#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn identity(cert: &Pem, key: &Pem) -> Result<reqwest::Identity, ConfigError> {
    let (cert, cert_name) = cert.read("client certificate")?;
    let (key, key_name) = key.read("client key")?;
    let bad = |e: reqwest::Error| ConfigError::Tls {
        what: "client certificate",
        source_name: format!("{cert_name} with {key_name}"),
        reason: crate::report::chain(&e),
    };
    #[cfg(feature = "rustls")]
    {
        let mut pem = cert;
        pem.push(b'\n');
        pem.extend_from_slice(&key);
        reqwest::Identity::from_pem(&pem).map_err(bad)
    }
    #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
    {
        reqwest::Identity::from_pkcs8_pem(&cert, &key).map_err(bad)
    }
}

#[cfg(feature = "rustls")]
fn backend(
    builder: reqwest::ClientBuilder,
    roots: Vec<reqwest::Certificate>,
) -> Result<reqwest::ClientBuilder, ConfigError> {
    // reqwest asks rustls for the process default; another crate may have
    // installed one already, which is just as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let builder = builder.tls_backend_rustls();
    match os_roots()? {
        OsRoots::Platform => Ok(builder.tls_certs_merge(roots)),
        OsRoots::Loaded(os) => Ok(builder.tls_certs_only(os.into_iter().chain(roots))),
        OsRoots::Absent => {
            let mozilla = webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .filter_map(|der| reqwest::Certificate::from_der(der).ok());
            Ok(builder.tls_certs_only(mozilla.chain(roots)))
        }
    }
}

/// Where the operating system's roots come from for a client built now.
#[cfg(feature = "rustls")]
enum OsRoots {
    /// The platform verifier reads them (and `SSL_CERT_FILE`/`SSL_CERT_DIR`).
    Platform,
    /// Read here: an empty `SSL_CERT_FILE` is unset, as for curl and
    /// OpenSSL, but the platform verifier would take it for a path and
    /// trust nothing.
    Loaded(Vec<reqwest::Certificate>),
    /// The machine has no store: the Mozilla roots.
    Absent,
}

/// `name`'s value when it is set and not empty; an empty value is unset.
#[cfg(feature = "rustls")]
fn non_empty_var(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

#[cfg(feature = "rustls")]
fn os_roots() -> Result<OsRoots, ConfigError> {
    let file = non_empty_var("SSL_CERT_FILE").map(PathBuf::from);
    let dirs: Vec<PathBuf> = non_empty_var("SSL_CERT_DIR")
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    let unusable = |variable: &'static str, path: &Path, reason: String| {
        Err(ConfigError::TrustStoreVariable {
            variable,
            value: path.display().to_string(),
            reason,
        })
    };
    if let Some(file) = &file {
        let loaded = rustls_native_certs::load_certs_from_paths(Some(file), None);
        if let Some(e) = loaded.errors.first() {
            return unusable("SSL_CERT_FILE", file, e.to_string());
        }
        if loaded.certs.is_empty() {
            return unusable("SSL_CERT_FILE", file, "it holds no PEM certificate".into());
        }
        // It holds certificates: the platform verifier reads it (and
        // SSL_CERT_DIR) itself, once the directories are checked.
    }
    for dir in &dirs {
        if !dir.is_dir() {
            return unusable("SSL_CERT_DIR", dir, "no such directory".into());
        }
    }
    if file.is_some() {
        return Ok(OsRoots::Platform);
    }
    // Set, but to nothing.
    let empty_file_set = std::env::var_os("SSL_CERT_FILE").is_some();
    if dirs.is_empty() && !empty_file_set {
        return Ok(if os_store_is_empty() {
            OsRoots::Absent
        } else {
            OsRoots::Platform
        });
    }
    // The directories decide, read on each build since they may change
    // (for an empty SSL_CERT_FILE alone, the system's own locations).
    let (system_file, dirs) = if empty_file_set && dirs.is_empty() {
        system_locations()
    } else {
        (None, dirs)
    };
    let mut certs = Vec::new();
    if let Some(system_file) = &system_file {
        certs.extend(rustls_native_certs::load_certs_from_paths(Some(system_file), None).certs);
    }
    for dir in &dirs {
        certs.extend(rustls_native_certs::load_certs_from_paths(None, Some(dir)).certs);
    }
    if certs.is_empty() {
        // An existing but empty store (a directory with no certificate):
        // a machine without roots, as a minimal container is; said, not
        // silent.
        tracing::warn!(
            "SSL_CERT_FILE/SSL_CERT_DIR name no certificate: trusting the Mozilla roots and the configured CAs"
        );
        return Ok(OsRoots::Absent);
    }
    if !empty_file_set {
        return Ok(OsRoots::Platform);
    }
    certs.sort_by(|a, b| a.as_ref().cmp(b.as_ref()));
    certs.dedup();
    Ok(OsRoots::Loaded(
        certs
            .iter()
            .filter_map(|der| reqwest::Certificate::from_der(der).ok())
            .collect(),
    ))
}

/// The system's certificate file and directories, as OpenSSL would look.
#[cfg(all(feature = "rustls", unix, not(target_vendor = "apple")))]
fn system_locations() -> (Option<PathBuf>, Vec<PathBuf>) {
    let probe = openssl_probe::probe();
    (probe.cert_file, probe.cert_dir)
}

/// Elsewhere the platform verifier does not read the variables at all.
#[cfg(all(feature = "rustls", not(all(unix, not(target_vendor = "apple")))))]
fn system_locations() -> (Option<PathBuf>, Vec<PathBuf>) {
    (None, Vec::new())
}

#[cfg(all(feature = "native-tls", not(feature = "rustls")))]
fn backend(
    builder: reqwest::ClientBuilder,
    roots: Vec<reqwest::Certificate>,
) -> Result<reqwest::ClientBuilder, ConfigError> {
    Ok(builder.tls_backend_native().tls_certs_merge(roots))
}

/// Whether this machine has no usable trust store; asked once per process.
#[cfg(feature = "rustls")]
fn os_store_is_empty() -> bool {
    static EMPTY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *EMPTY.get_or_init(|| {
        let empty = rustls_native_certs::load_native_certs().certs.is_empty();
        if empty {
            tracing::debug!("no operating-system trust store: trusting the Mozilla roots");
        }
        empty
    })
}

/// Which roots a client built now trusts (besides the CAs it is given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustStore {
    /// The operating system's store (on Linux also `SSL_CERT_FILE` and
    /// `SSL_CERT_DIR`), through the platform verifier.
    OperatingSystem,
    /// The Mozilla roots built into the client: the machine has no store.
    Mozilla,
    /// The platform's TLS library decides (`native-tls`), or no TLS at all.
    Platform,
}

/// Which roots clients trust on this machine.
pub fn trust_store() -> TrustStore {
    #[cfg(feature = "rustls")]
    {
        // (A variable that names nothing usable fails the client's build.)
        match os_roots() {
            Ok(OsRoots::Absent) => TrustStore::Mozilla,
            _ => TrustStore::OperatingSystem,
        }
    }
    #[cfg(not(feature = "rustls"))]
    {
        TrustStore::Platform
    }
}
