#!/usr/bin/env bash
# Fuzzes the sandbox (`ticketing sandbox`) with schemathesis, a spec-based
# fuzzer written by others, over every operation of both specs: its checks
# for server errors, status codes, content types and response schemas must
# all pass. schemathesis comes from PyPI into a local virtual environment.
#
# Bounded: at most FUZZ_MAX_EXAMPLES cases per operation and phase, and
# FUZZ_MAX_TIME seconds per spec. FUZZ_SEED makes a run repeatable (fixed
# by default so CI results do not depend on chance; set it to vary).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
: "${FUZZ_MAX_EXAMPLES:=100}"
: "${FUZZ_MAX_TIME:=90}"
: "${FUZZ_SEED:=20260213}"
root=$(pwd)
target_dir=$(realpath -m "${CARGO_TARGET_DIR:-target}")
venv=${FUZZ_VENV:-$target_dir/schemathesis-venv}
# schemathesis keeps a cache in its working directory: not in the repository.
work="$target_dir/schemathesis-work"
mkdir -p "$work"

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# shellcheck source=.ci/sandbox.sh
. .ci/sandbox.sh
log=$(mktemp)
sandbox_pid=""
trap '[ -z "$sandbox_pid" ] || kill "$sandbox_pid" 2>/dev/null || true; rm -f "$log"' EXIT
start_sandbox "$log"
url=$sandbox_url
echo "sandbox at $url"

status=0
for spec in spec/ticketing-v2.yaml spec/ticketing-ossj.yaml; do
  echo "== schemathesis: $spec"
  (cd "$work" && "$venv/bin/schemathesis" run "$root/$spec" \
    --url "$url" \
    --header "Authorization: Bearer sandbox" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing \
    --max-examples "$FUZZ_MAX_EXAMPLES" \
    --max-time "$FUZZ_MAX_TIME" \
    --request-timeout 10 \
    --seed "$FUZZ_SEED" \
    --no-color) || status=1
done

if ! kill -0 "$sandbox_pid" 2>/dev/null; then
  cat "$log" >&2
  echo "the sandbox exited during the run" >&2
  status=1
fi
exit "$status"
