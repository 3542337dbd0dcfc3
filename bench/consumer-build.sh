#!/usr/bin/env bash
# Cold debug build of a consumer calling one v2 operation: our generated
# crate against openapi-generator's Rust client for the same spec (its
# default features: native-tls, HTTP/1.1 only, no gzip), side by side, in
# fresh target directories. Ours is built three ways: default features
# (rustls, HTTP/2, gzip), `rustls` only, and `native-tls` only (what
# openapi-generator's default gives). Prints each run and the medians.
#
#   bench/consumer-build.sh [RUNS]     (default 3)
#
# Needs python3 (openapi-generator-cli from PyPI bundles the jar), java,
# and for openapi-generator's default TLS the OpenSSL headers (libssl-dev).
# Everything goes under target/bench/; nothing in the tree is written.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-3}
work=$root/target/bench/consumer-build
mkdir -p "$work"

# openapi-generator, pinned, in a virtual environment of its own.
if [ ! -x "$work/venv/bin/openapi-generator-cli" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q "openapi-generator-cli==7.26.0"
fi
rm -rf "$work/openapi-generator"
"$work/venv/bin/openapi-generator-cli" generate -i spec/ticketing-v2.yaml -g rust \
  -o "$work/openapi-generator" --additional-properties=packageName=ticketing_v2_openapi,library=reqwest \
  > "$work/openapi-generator.log" 2>&1

consumer() { # name, dependency line, main.rs
  local dir=$work/consumers/$1
  rm -rf "$dir"; mkdir -p "$dir/src"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "consumer-$1"
version = "0.0.0"
edition = "2021"

[dependencies]
$2
tokio = { version = "1", features = ["macros", "rt"] }

[workspace]
TOML
  printf '%s\n' "$3" > "$dir/src/main.rs"
}

ours_main='
use masstack_ticketing::types::TicketingProvider;
use masstack_ticketing::{Client, ClientConfig};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = Client::from_config(ClientConfig::new("https://ticketing.sta.masstack.com").bearer_token("t")).unwrap();
    let ticket = client.get_ticket().org("yoigo").ticket_id("INST-7902").ticketing_provider(TicketingProvider::Jam).send().await;
    println!("{:?}", ticket.map(|t| t.into_inner().key));
}'
dep="masstack-ticketing = { path = \"$root/crates/masstack-ticketing\""
consumer ours "$dep }" "$ours_main"
consumer ours-rustls "$dep, default-features = false, features = [\"rustls\"] }" "$ours_main"
consumer ours-native "$dep, default-features = false, features = [\"native-tls\"] }" "$ours_main"
# Our lock file: the versions our own tests build.
for c in ours ours-rustls ours-native; do
  cp Cargo.lock "$work/consumers/$c/Cargo.lock"
done

consumer theirs "ticketing_v2_openapi = { path = \"$work/openapi-generator\" }" '
use ticketing_v2_openapi::apis::configuration::Configuration;
use ticketing_v2_openapi::apis::ticket_api::get_ticket;
use ticketing_v2_openapi::models::TicketingProvider;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut config = Configuration::new();
    config.base_path = "https://ticketing.sta.masstack.com".into();
    config.bearer_access_token = Some("t".into());
    let ticket = get_ticket(&config, "yoigo", "INST-7902", TicketingProvider::Jam, None).await;
    println!("{:?}", ticket.map(|t| t.key));
}'

consumers="ours ours-rustls ours-native theirs"
for c in $consumers; do
  (cd "$work/consumers/$c" && cargo fetch -q)
done

declare -A times
for i in $(seq 1 "$runs"); do
  for c in $consumers; do
    target=$work/target-$c
    rm -rf "$target"
    start=$(date +%s.%N)
    (cd "$work/consumers/$c" && CARGO_TARGET_DIR=$target cargo build -q --offline)
    end=$(date +%s.%N)
    t=$(awk "BEGIN {print $end - $start}")
    times[$c]="${times[$c]:-} $t"
    crates=$(cd "$work/consumers/$c" && cargo tree -e normal,build --prefix none --offline 2>/dev/null | sort -u | wc -l)
    printf 'run %d %-12s %6.1f s  (%d crates)\n' "$i" "$c" "$t" "$crates"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
theirs=$(echo "${times[theirs]}" | median)
for c in ours ours-rustls ours-native; do
  m=$(echo "${times[$c]}" | median)
  printf 'median %-12s %5.1f s vs openapi-generator %5.1f s: %.2fx (target <= 0.85)\n' "$c" "$m" "$theirs" "$(awk "BEGIN {print $m / $theirs}")"
done
