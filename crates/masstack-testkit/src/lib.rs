//! Real peers for the clients' and the CLI's tests, on loopback: a test
//! PKI whose certificates are made when the test runs ([`pki`]), TLS
//! servers that terminate real TLS (optionally requiring a client
//! certificate) in front of any plain server ([`tls`]), a CONNECT proxy
//! ([`proxy`]), an httpmock server behind real TLS ([`https_mock`]) and a
//! scripted HTTP/1.1 + HTTP/2 server that records what it
//! receives ([`server`]).

pub mod https_mock;
pub mod pki;
pub mod proxy;
pub mod server;
pub mod tls;

pub use https_mock::HttpsMock;
pub use pki::{Leaf, TestPki};
pub use proxy::{ConnectProxy, Tinyproxy};
pub use server::{Reply, Seen, TestServer};
pub use tls::{ClientAuth, TlsFront};
