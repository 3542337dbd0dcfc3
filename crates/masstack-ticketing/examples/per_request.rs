//! Per-request cost of the generated client against raw reqwest decoding
//! the same type, on loopback (a benchmark; run it in release):
//!
//! ```sh
//! cargo run --release -p masstack-ticketing --example per_request [-- ROUNDS]
//! ```
//!
//! Both send the same request (bearer token, `ticketing-provider` header)
//! over one kept-alive connection to a server that answers the documented
//! ticket, and decode a `types::Ticket`. Blocks of requests alternate
//! between the two so that drift on the machine hits both; the medians of
//! the per-block means are printed, and their ratio (target: at most 1.03).

use std::time::Instant;

use masstack_ticketing::types::{Ticket, TicketingProvider};
use masstack_ticketing::{Client, ClientConfig};

const TICKET: &str = r#"{"key":"INST-7902","project":"INST","ticketType":"Incidencia","description":"Cita - Cliente solicita contacto en fecha concreta - Y28257924","summary":"Cita - Y28257924","customFields":{"brand":"Yoigo","category":"Cita","subcategory":"Cliente solicita contacto en fecha concreta","work_order_id":"Y28257924"}}"#;
const BLOCK: usize = 2000;

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (base, _server) = masstack_testkit::server::serve_json(TICKET).await;
        let generated = Client::from_config(ClientConfig::new(&base).bearer_token("t0ken")).unwrap();
        let raw = reqwest::Client::new();
        let url = format!("{base}/v2/orgs/yoigo/ticket/INST-7902");

        let via_generated = || async {
            let ticket: Ticket = generated
                .get_ticket()
                .org("yoigo")
                .ticket_id("INST-7902")
                .ticketing_provider(TicketingProvider::Jam)
                .send()
                .await
                .unwrap()
                .into_inner();
            std::hint::black_box(ticket);
        };
        let via_raw = || async {
            let ticket: Ticket = raw
                .get(&url)
                .header("authorization", "Bearer t0ken")
                .header("ticketing-provider", "JAM")
                .header("accept", "application/json")
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            std::hint::black_box(ticket);
        };

        // Warm up connections, allocators and caches.
        for _ in 0..BLOCK {
            via_generated().await;
            via_raw().await;
        }
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        for _ in 0..rounds {
            let start = Instant::now();
            for _ in 0..BLOCK {
                via_generated().await;
            }
            ours.push(start.elapsed().as_secs_f64() / BLOCK as f64);
            let start = Instant::now();
            for _ in 0..BLOCK {
                via_raw().await;
            }
            theirs.push(start.elapsed().as_secs_f64() / BLOCK as f64);
        }
        let (ours, theirs) = (median(&mut ours), median(&mut theirs));
        println!(
            "per request (median of {rounds} blocks of {BLOCK}): generated client {:.1} us, raw reqwest {:.1} us, ratio {:.3} (target <= 1.03)",
            ours * 1e6,
            theirs * 1e6,
            ours / theirs
        );
    });
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}
