//! A server whose answer stops after the headers: the status line, the
//! headers and the start of a body, then silence on an open connection.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::Duration;

/// Answers one request with `head`, then holds the connection silent for
/// `hold` (longer than the client's timeout). Plain TCP on loopback: the
/// point is what a well-behaved HTTP server never does.
pub struct StallingServer {
    port: u16,
    thread: Option<JoinHandle<()>>,
}

impl StallingServer {
    /// Starts it; `head` is sent as is (`HTTP/1.1 200 OK\r\n…\r\n\r\n{"key":`).
    pub fn start(head: &'static str, hold: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let thread = std::thread::spawn(move || {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.flush();
            std::thread::sleep(hold);
        });
        Self {
            port,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for StallingServer {
    /// Waits for the hold to end, so the connection outlives the test's call.
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
