# shellcheck shell=bash
# Sourced by the CI scripts that need a running sandbox (not run alone).
#
# start_sandbox LOG: builds the `ticketing` binary, starts `ticketing
# sandbox` on a free loopback port with its output in LOG, and sets
# sandbox_pid and sandbox_url; exits, showing LOG, if it does not start.
# Needs target_dir (the cargo target directory). The caller stops it.
start_sandbox() {
  local log=$1 target=${target_dir:?start_sandbox needs target_dir}
  cargo build --quiet -p masstack-ticketing-cli
  "$target/debug/ticketing" sandbox --port 0 >"$log" 2>&1 &
  sandbox_pid=$!
  sandbox_url=""
  for _ in $(seq 100); do
    sandbox_url=$(sed -n 's/^v2 base URL: *//p' "$log")
    [ -n "$sandbox_url" ] && return 0
    kill -0 "$sandbox_pid" 2>/dev/null || { cat "$log" >&2; echo "the sandbox did not start" >&2; exit 1; }
    sleep 0.1
  done
  cat "$log" >&2
  echo "the sandbox printed no base URL" >&2
  exit 1
}
