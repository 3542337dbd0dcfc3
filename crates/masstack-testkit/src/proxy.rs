//! An HTTP proxy that tunnels HTTPS with `CONNECT`, as corporate proxies do,
//! and counts what it tunnels.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A CONNECT proxy on loopback.
pub struct ConnectProxy {
    addr: SocketAddr,
    tunnels: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl ConnectProxy {
    /// Starts listening on a loopback port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let tunnels = Arc::new(Mutex::new(Vec::new()));
        let seen = tunnels.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(tunnel(client, seen.clone()));
            }
        });
        Self {
            addr,
            tunnels,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`, for `HTTPS_PROXY` or `ClientConfig::proxy`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The `host:port` of every tunnel opened, in order.
    pub fn tunnels(&self) -> Vec<String> {
        self.tunnels.lock().unwrap().clone()
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn tunnel(mut client: TcpStream, seen: Arc<Mutex<Vec<String>>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    // The request head, byte by byte: nothing after it may be consumed.
    while !head.ends_with(b"\r\n\r\n") {
        match client.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
        if head.len() > 16 * 1024 {
            return;
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let (Some("CONNECT"), Some(target)) = (words.next(), words.next()) else {
        let _ = client
            .write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
            .await;
        return;
    };
    let target = target.to_owned();
    let Ok(mut upstream) = TcpStream::connect(&target).await else {
        let _ = client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
            .await;
        return;
    };
    seen.lock().unwrap().push(target);
    if client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await
        .is_err()
    {
        return;
    }
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
}

/// A tinyproxy process (the proxy many Linux hosts run), when the machine
/// has one: `.ci/run` installs it and sets `MASSTACK_REQUIRE_TINYPROXY=1`,
/// so there its absence fails the test instead of skipping it.
pub struct Tinyproxy {
    port: u16,
    log: std::path::PathBuf,
    child: std::process::Child,
    _dir: TempDir,
}

/// A directory removed on drop, without another dependency.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Tinyproxy {
    /// Starts tinyproxy on a free loopback port, or returns `None` when it is
    /// not installed (and not required).
    pub fn start() -> Option<Self> {
        let binary = [
            "/usr/bin/tinyproxy",
            "/usr/sbin/tinyproxy",
            "/usr/local/bin/tinyproxy",
        ]
        .into_iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists());
        let Some(binary) = binary else {
            crate::skipped(
                "the tinyproxy half of this test",
                "tinyproxy is not installed (apt-get install tinyproxy)",
                "MASSTACK_REQUIRE_TINYPROXY",
            );
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let dir =
            std::env::temp_dir().join(format!("masstack-tinyproxy-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let dir = TempDir(dir);
        let log = dir.0.join("tinyproxy.log");
        let config = dir.0.join("tinyproxy.conf");
        // No ConnectPort line: CONNECT to any port (the test servers' ports).
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListen 127.0.0.1\nTimeout 30\nAllow 127.0.0.1\nLogLevel Info\nLogFile \"{}\"\nMaxClients 20\n",
                log.display()
            ),
        )
        .expect("tinyproxy.conf");
        let child = std::process::Command::new(binary)
            .arg("-d")
            .arg("-c")
            .arg(&config)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("tinyproxy starts");
        // Owned at once, so that every path below kills and waits for it.
        let proxy = Self {
            port,
            log,
            child,
            _dir: dir,
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(proxy);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("tinyproxy did not listen on port {port}");
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The `host:port` of every CONNECT tinyproxy logged, in order.
    pub fn tunnels(&self) -> Vec<String> {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        log.lines()
            .filter_map(|line| line.split(": CONNECT ").nth(1))
            .filter_map(|rest| rest.split_whitespace().next())
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
