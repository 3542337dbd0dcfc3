#![doc = include_str!("../README.md")]

pub mod https_mock;
pub mod pki;
pub mod proxy;
pub mod server;
pub mod skip;
pub mod stall;
pub mod tls;

pub use https_mock::HttpsMock;
pub use pki::{Leaf, TestPki};
pub use proxy::{ConnectProxy, Tinyproxy};
pub use server::{Reply, Seen, TestServer};
pub use skip::skipped;
pub use stall::StallingServer;
pub use tls::{ClientAuth, TlsFront};
