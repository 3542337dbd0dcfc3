#!/usr/bin/env bash
# Publishing, end to end, against a real registry server on loopback:
#
# 1. installs cargo-http-registry (from crates.io, into the target
#    directory) and starts it on 127.0.0.1 with a fresh, empty registry;
# 2. publishes masstack-client-runtime, then every output's crate
#    (`cargo xtask outputs`: masstack-ticketing, masstack-ticketing-ossj)
#    to it with `cargo publish --registry masstack`
#    (the registry named in .cargo/config.toml, pointed at the loopback
#    server through CARGO_REGISTRIES_MASSTACK_INDEX);
# 3. writes a consumer crate outside the workspace (its own [workspace])
#    that depends on both clients by version from that registry, builds it,
#    checks that the three crates came from the registry, and runs it
#    against `ticketing sandbox`: one v2 call (getTicket) and one OSSJ call
#    (getTroubleTicket), whose answers it checks.
#
# Any failing step fails the script; the servers it starts are stopped on
# exit. Re-runnable: every run starts from an empty registry.
set -euo pipefail
cd "$(dirname "$0")/.."

REGISTRY_SERVER_VERSION=0.1.8
target_dir=$(realpath -m "${CARGO_TARGET_DIR:-target}")
tools="$target_dir/registry-tools"
work="$target_dir/registry"
data="$work/data"
consumer="$work/consumer"
mkdir -p "$work"

# Cargo caches each registry's index and crates in CARGO_HOME under the
# host and a hash of the URL: this run's loopback registry gets new
# directories, removed on exit (a later run on the same port must not find
# these crates there).
cargo_home=${CARGO_HOME:-$HOME/.cargo}
loopback_caches() {
  # (find fails on a fresh CARGO_HOME without these directories: not an error.)
  { find "$cargo_home/registry/index" "$cargo_home/registry/cache" "$cargo_home/registry/src" \
    -mindepth 1 -maxdepth 1 -name '127.0.0.1-*' 2>/dev/null || true; } | sort
}
caches_before=$(loopback_caches)

registry_pid=""
sandbox_pid=""
cleanup() {
  local status=$?
  for pid in "$sandbox_pid" "$registry_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  comm -13 <(echo "$caches_before") <(loopback_caches) | while read -r dir; do
    rm -rf -- "$dir"
  done
  if [ "$status" -ne 0 ]; then
    echo "registry.sh: FAILED (exit $status); logs in $work" >&2
  fi
  exit "$status"
}
trap cleanup EXIT

say() { echo "-- registry: $*"; }

# 1. The registry server, installed by this script (cached in the target
#    directory: a second run reuses it).
# (Its --version prints the version, then exits 1.)
installed=$("$tools/bin/cargo-http-registry" --version 2>/dev/null || true)
if [ "$installed" != "cargo-http-registry $REGISTRY_SERVER_VERSION" ]; then
  say "installing cargo-http-registry $REGISTRY_SERVER_VERSION into $tools"
  cargo install --quiet --locked --force cargo-http-registry \
    --version "$REGISTRY_SERVER_VERSION" --root "$tools"
fi

rm -rf "$data"
"$tools/bin/cargo-http-registry" --addr 127.0.0.1:0 "$data" >"$work/registry.log" 2>&1 &
registry_pid=$!
api=""
for _ in $(seq 100); do
  if [ -f "$data/config.json" ]; then
    api=$(jq -r '.api // empty' "$data/config.json" 2>/dev/null || true)
    [ -n "$api" ] && curl -fsS -o /dev/null "$api/git/info/refs" && break
    api=""
  fi
  kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry.log" >&2; echo "the registry did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$api" ] || { cat "$work/registry.log" >&2; echo "the registry did not answer" >&2; exit 1; }

# The server's index is a git repository served over HTTP, read with the git
# command line; the server needs no token, cargo wants one for publishing.
export CARGO_REGISTRIES_MASSTACK_INDEX="$api/git"
export CARGO_NET_GIT_FETCH_WITH_CLI=true
export CARGO_REGISTRIES_MASSTACK_TOKEN="ci-loopback"
say "registry at $CARGO_REGISTRIES_MASSTACK_INDEX"

# 2. Publish, the runtime first: the clients' dependency on it must resolve
#    from the registry; then every output's crate of spec/codegen.toml.
#    Compiling the packaged crates is left to the consumer below, which
#    builds the runtime and both clients from the registry.
outputs=$(cargo xtask outputs | awk '{print $3}')
# shellcheck disable=SC2206 # one package name a line
publish=(masstack-client-runtime $outputs)
for crate in "${publish[@]}"; do
  say "cargo publish -p $crate --registry masstack"
  cargo publish -p "$crate" --registry masstack --no-verify
done

# The versions just published, without build metadata (a requirement
# cannot carry it).
version_of() {
  cargo pkgid -p "$1" | sed 's/.*[#@]//; s/+.*//'
}
v2_version=$(version_of masstack-ticketing)
ossj_version=$(version_of masstack-ticketing-ossj)

# 3. A consumer outside the workspace, as another team writes one: its own
#    workspace, Cargo.lock and registry configuration, the clients by
#    version from the registry.
rm -rf "$consumer/src" "$consumer/.cargo" "$consumer/Cargo.toml" "$consumer/Cargo.lock"
mkdir -p "$consumer/src" "$consumer/.cargo"
cat >"$consumer/.cargo/config.toml" <<EOF
[registries.masstack]
index = "$CARGO_REGISTRIES_MASSTACK_INDEX"

# cargo-http-registry's index is a git repository served over plain HTTP.
[net]
git-fetch-with-cli = true
EOF
cat >"$consumer/Cargo.toml" <<EOF
[package]
name = "masstack-registry-consumer"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
masstack-ticketing = { version = "$v2_version", registry = "masstack" }
masstack-ticketing-ossj = { version = "$ossj_version", registry = "masstack" }
tokio = { version = "1", features = ["macros", "rt"] }

# Not a member of the SDK's workspace (it sits in its target directory).
[workspace]

[profile.dev]
debug = false
EOF
cat >"$consumer/src/main.rs" <<'EOF'
//! Calls one operation of each API with the clients from the registry.

use std::process::ExitCode;

use masstack_ticketing::ErrorDetails as _;
use masstack_ticketing::types::TicketingProvider;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Some(base_url) = std::env::args().nth(1) else {
        eprintln!("usage: masstack-registry-consumer BASE_URL");
        return ExitCode::from(2);
    };
    match run(&base_url).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("consumer: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(base_url: &str) -> Result<(), String> {
    let v2 = masstack_ticketing::Client::from_config(
        masstack_ticketing::ClientConfig::new(base_url)
            .bearer_token("sandbox")
            .no_proxy(),
    )
    .map_err(|e| e.to_string())?;
    let ticket = v2
        .get_ticket()
        .org("yoigo")
        .ticket_id("INST-7902")
        .ticketing_provider(TicketingProvider::Jam)
        .send()
        .await
        .map_err(|e| e.report().to_string())?
        .into_inner();
    println!(
        "v2 getTicket yoigo/INST-7902: key {:?}, project {:?}, summary {:?}",
        ticket.key.as_deref().unwrap_or_default(),
        ticket.project.as_deref().unwrap_or_default(),
        ticket.summary.as_deref().unwrap_or_default(),
    );
    if ticket.key.as_deref() != Some("INST-7902") {
        return Err(format!("getTicket answered ticket {:?}", ticket.key));
    }

    let ossj = masstack_ticketing_ossj::Client::from_config(
        masstack_ticketing_ossj::ClientConfig::new(base_url)
            .bearer_token("TO-sandbox")
            .no_proxy(),
    )
    .map_err(|e| e.to_string())?;
    let trouble = ossj
        .get_trouble_ticket()
        .ticket_id("INST-7902")
        .send()
        .await
        .map_err(|e| e.report().to_string())?
        .into_inner();
    let state = trouble.base_trouble_ticket_state.to_string();
    println!(
        "OSSJ getTroubleTicket INST-7902: id {:?}, state {state}",
        trouble.id
    );
    if trouble.id != "INST-7902" || state != "OPENACTIVE" {
        return Err(format!(
            "getTroubleTicket answered {:?} in state {state}",
            trouble.id
        ));
    }
    println!(
        "consumer: {} and {} from the registry answered as documented",
        masstack_ticketing::API_TITLE,
        masstack_ticketing_ossj::API_TITLE
    );
    Ok(())
}
EOF

# Cargo in the consumer's directory, with its configuration only (not the
# variables set above for publishing) and its own target directory.
in_consumer() {
  (cd "$consumer" &&
    env -u CARGO_REGISTRIES_MASSTACK_INDEX -u CARGO_REGISTRIES_MASSTACK_TOKEN \
      -u CARGO_NET_GIT_FETCH_WITH_CLI CARGO_TARGET_DIR="$consumer/target" "$@")
}
say "building the consumer (masstack-ticketing $v2_version, masstack-ticketing-ossj $ossj_version from the registry)"
in_consumer cargo build --quiet

# The three crates must come from the registry, not from a path.
for crate in masstack-client-runtime masstack-ticketing masstack-ticketing-ossj; do
  source=$(awk -v name="$crate" '
    $0 == "name = \"" name "\"" { found = 1; next }
    found && /^source = / { gsub(/^source = "|"$/, ""); print; exit }
    found && /^$/ { exit }' "$consumer/Cargo.lock")
  if [ "$source" != "registry+$CARGO_REGISTRIES_MASSTACK_INDEX" ]; then
    echo "the consumer's $crate comes from '${source:-a path}', not from the registry" >&2
    exit 1
  fi
done
in_consumer cargo tree --quiet --depth 1 -i masstack-client-runtime

# The sandbox: the workspace's `ticketing` binary, on a free loopback port.
# shellcheck source=.ci/sandbox.sh
. .ci/sandbox.sh
start_sandbox "$work/sandbox.log"
url=$sandbox_url

say "running the consumer against the sandbox at $url"
"$consumer/target/debug/masstack-registry-consumer" "$url"
say "published to a registry on loopback and used from it: OK"
