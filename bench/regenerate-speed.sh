#!/usr/bin/env bash
# `cargo xtask regenerate` as users type it (the cargo alias, after a
# build, nothing to write) against openapi-generator's Rust generation of
# the v2 spec alone, side by side, in alternating rounds; also the xtask
# binary called directly (what the alias costs beyond it is cargo's own
# start and its check that the binary is fresh). Prints each round and the
# medians.
#
#   bench/regenerate-speed.sh [ROUNDS]     (default 7)
#
# Needs python3 and java (openapi-generator-cli from PyPI bundles the jar).
# Everything goes under target/bench/; nothing in the tree is written.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
work=$(pwd)/target/bench/regenerate-speed
mkdir -p "$work"

if [ ! -x "$work/venv/bin/openapi-generator-cli" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q "openapi-generator-cli==7.26.0"
fi

cargo build --quiet -p xtask
xtask=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/xtask

seconds() { # command... -> elapsed seconds of one run
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
  end=$(date +%s%N)
  echo "scale=3; ($end - $start) / 1000000000" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

: >"$work/alias"; : >"$work/binary"; : >"$work/openapi-generator"
for i in $(seq "$rounds"); do
  a=$(seconds cargo xtask regenerate)
  b=$(seconds "$xtask" regenerate)
  rm -rf "$work/out"
  o=$(seconds "$work/venv/bin/openapi-generator-cli" generate -i spec/ticketing-v2.yaml -g rust \
    -o "$work/out" --additional-properties=packageName=ticketing_v2_openapi,library=reqwest)
  echo "round $i: cargo xtask regenerate ${a}s, xtask binary ${b}s, openapi-generator ${o}s"
  echo "$a" >>"$work/alias"; echo "$b" >>"$work/binary"; echo "$o" >>"$work/openapi-generator"
done
a=$(median <"$work/alias"); b=$(median <"$work/binary"); o=$(median <"$work/openapi-generator")
echo "medians: cargo xtask regenerate ${a}s ($(echo "scale=3; $a / $o" | bc)x), xtask binary ${b}s ($(echo "scale=3; $b / $o" | bc)x), openapi-generator ${o}s"
