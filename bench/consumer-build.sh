#!/usr/bin/env bash
# Cold debug build of a consumer calling one v2 operation: our generated
# crate against openapi-generator's Rust client for the same spec (its
# default features: native-tls, HTTP/1.1 only, no gzip), side by side, in
# fresh target directories, alternating in each round. Ours is built three
# ways: its default features (rustls only), `rustls` with `http2` and
# `gzip` (the defaults before 0.3), and `native-tls` only (what
# openapi-generator's default gives). Then each consumer built calls a
# local HTTPS server (a certificate made here, trusted through
# SSL_CERT_FILE): a build that cannot reach HTTPS does not count. Prints
# each run, the medians and the spread (min-max).
#
#   bench/consumer-build.sh [RUNS]     (default 5)
#
# Needs python3 (openapi-generator-cli from PyPI bundles the jar), java,
# openssl, and for openapi-generator's default TLS the OpenSSL headers
# (libssl-dev). Everything goes under target/bench/; nothing in the tree is
# written.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-5}
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
    let client = Client::from_config(ClientConfig::new(std::env::var("BASE_URL").unwrap()).bearer_token("t")).unwrap();
    let ticket = client.get_ticket().org("yoigo").ticket_id("INST-7902").ticketing_provider(TicketingProvider::Jam).send().await;
    println!("{:?}", ticket.map(|t| t.into_inner().key));
}'
dep="masstack-ticketing = { path = \"$root/crates/masstack-ticketing\""
consumer ours "$dep }" "$ours_main"
consumer ours-full "$dep, features = [\"http2\", \"gzip\"] }" "$ours_main"
consumer ours-native "$dep, default-features = false, features = [\"native-tls\"] }" "$ours_main"
# Our lock file: the versions our own tests build.
for c in ours ours-full ours-native; do
  cp Cargo.lock "$work/consumers/$c/Cargo.lock"
done

consumer theirs "ticketing_v2_openapi = { path = \"$work/openapi-generator\" }" '
use ticketing_v2_openapi::apis::configuration::Configuration;
use ticketing_v2_openapi::apis::ticket_api::get_ticket;
use ticketing_v2_openapi::models::TicketingProvider;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut config = Configuration::new();
    config.base_path = std::env::var("BASE_URL").unwrap();
    config.bearer_access_token = Some("t".into());
    let ticket = get_ticket(&config, "yoigo", "INST-7902", TicketingProvider::Jam, None).await;
    println!("{:?}", ticket.map(|t| t.key));
}'

consumers="ours ours-full ours-native theirs"
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
spread() { tr ' ' '\n' | grep . | sort -n | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%.1f-%.1f", lo, hi}'; }

# HTTPS: a local server with a certificate made now, trusted by each
# consumer through SSL_CERT_FILE (rustls-native-certs and OpenSSL read it).
tls=$work/tls
mkdir -p "$tls"
# A CA and a server certificate it signs (webpki refuses a self-signed CA
# certificate presented as the server's own).
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=bench CA" \
  -keyout "$tls/ca-key.pem" -out "$tls/ca.pem" 2> /dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=localhost \
  -keyout "$tls/key.pem" -out "$tls/server.csr" 2> /dev/null
printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$tls/server.ext"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" -CAcreateserial \
  -days 1 -extfile "$tls/server.ext" -out "$tls/cert.pem" 2> /dev/null
python3 - "$tls" > "$tls/port" <<'PY' &
import http.server, ssl, sys
class Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"code":"NOT_FOUND","message":"no such ticket"}'
        self.send_response(404)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1] + "/cert.pem", sys.argv[1] + "/key.pem")
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
server=$!
trap 'kill $server 2> /dev/null' EXIT
for _ in $(seq 50); do [ -s "$tls/port" ] && break; sleep 0.1; done
port=$(cat "$tls/port")
https_ok=1
for c in $consumers; do
  out=$(cd "$work/consumers/$c" && BASE_URL="https://localhost:$port" SSL_CERT_FILE="$tls/ca.pem" \
    "$work/target-$c/debug/consumer-$c" 2>&1 || true)
  # The server's 404 reached the caller: TLS handshake, request, answer.
  if grep -q 404 <<< "$out"; then
    printf 'https %-12s ok: %s\n' "$c" "$(head -c 120 <<< "$out")"
  else
    printf 'https %-12s FAILED: %s\n' "$c" "$(head -c 300 <<< "$out")"
    https_ok=0
  fi
done

theirs=$(echo "${times[theirs]}" | median)
for c in ours ours-full ours-native; do
  m=$(echo "${times[$c]}" | median)
  printf 'median %-12s %5.1f s (%s) vs openapi-generator %5.1f s (%s): %.2fx (target <= 1.0)\n' \
    "$c" "$m" "$(echo "${times[$c]}" | spread)" "$theirs" "$(echo "${times[theirs]}" | spread)" \
    "$(awk "BEGIN {print $m / $theirs}")"
done
[ "$https_ok" = 1 ] || { echo "a consumer could not call the HTTPS server"; exit 1; }
