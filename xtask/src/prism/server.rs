//! Prism (`@stoplight/prism-cli`) in mock mode, serving one spec on a free
//! port of the loopback interface until dropped.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Prism may take to read a spec and listen (the largest corpus
/// spec takes a few seconds on a slow machine).
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A running Prism; killed when dropped.
pub struct Prism {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
}

/// Where Prism is: `--prism`, else `MASSTACK_PRISM`, else
/// `target/prism/node_modules/.bin/prism` (where CI installs it), else
/// `prism` on the PATH.
pub fn locate(root: &Path, given: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = given {
        return Some(path.to_owned());
    }
    if let Some(path) = std::env::var_os("MASSTACK_PRISM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let installed = root.join("target/prism/node_modules/.bin/prism");
    if installed.exists() {
        return Some(installed);
    }
    let on_path = std::env::var_os("PATH")?;
    std::env::split_paths(&on_path)
        .map(|dir| dir.join("prism"))
        .find(|p| p.is_file())
}

impl Prism {
    /// Starts `prism mock` on `spec`, its output in `log`, and waits until it
    /// listens; the error says why it did not (with the end of its log).
    /// `dynamic`: answers generated from the schemas (seeded, so the same
    /// on every run) instead of the spec's examples and Prism's fixed values.
    pub fn start(program: &Path, spec: &Path, log: &Path, dynamic: bool) -> Result<Self, String> {
        let port = free_port().map_err(|e| format!("no free port: {e}"))?;
        let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = file
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let child = Command::new(program)
            .args(["mock", "--host", "127.0.0.1", "-p", &port.to_string()])
            .args(if dynamic {
                &[
                    "--dynamic",
                    "--seed",
                    "1",
                    "--json-schema-faker-fillProperties=false",
                ][..]
            } else {
                &[]
            })
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        let mut prism = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
        };
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!(
                    "Prism exited ({status}) before listening:\n{}",
                    tail(log)
                ));
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(prism);
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "Prism did not listen within {START_TIMEOUT:?}:\n{}",
                    tail(log)
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on now (Prism binds it a moment later).
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// The last lines of Prism's log, for a message.
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..]
        .iter()
        .map(|l| format!("    {l}\n"))
        .collect()
}
