#!/usr/bin/env bash
# Self-test of scripts/failover-drill without Nomad: runs the drill against Tests/Drill/fake_nomad.py
# (canned /v1 answers that follow a real fill file) in two scenarios:
#   failover   the driver flips, the allocation is evicted and replaced: every objective passes
#   no-evict   the driver flips but nothing is evicted: the drill must fail, and still clean up
#   Tests/Drill/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d "${TMPDIR:-/tmp}/drill-test.XXXXXX")
fake_pid=""
failures=0

cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A port nothing listens on: stands for absent Consul and Traefik.
closed_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

start_fake() {
  local name=$1; shift
  mkdir -p "$work/$name"
  python3 Tests/Drill/fake_nomad.py --dir "$work/$name" "$@" >"$work/$name.addr" &
  fake_pid=$!
  local tries=0
  until [ -s "$work/$name.addr" ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 50 ] || { echo "fake_nomad.py did not start" >&2; exit 1; }
    sleep 0.1
  done
}

stop_fake() {
  kill "$fake_pid" 2>/dev/null || true
  wait "$fake_pid" 2>/dev/null || true
  fake_pid=""
}

# run_drill NAME ARGS...: runs the drill against the fake started as NAME; output in $work/NAME.out.
run_drill() {
  local name=$1; shift
  set +e
  NOMAD_ADDR=$(head -n1 "$work/$name.addr") CONSUL_HTTP_ADDR=127.0.0.1:$closed_port \
    TRAEFIK_URL=http://127.0.0.1:$closed_port DRILL_POLL_SECONDS=0.2 \
    scripts/failover-drill --local "$@" >"$work/$name.out" 2>&1 </dev/null
  drill_rc=$?
  set -e
}

check() {
  local what=$1; shift
  if "$@"; then
    echo "ok    $what"
  else
    echo "FAIL  $what"
    failures=$((failures + 1))
  fi
}

has_line() { grep -qE -- "$2" "$work/$1.out"; }
no_fill_left() { [ -z "$(find "$work/$1" -name 'swiftdriver-drill-fill*')" ]; }

echo "== scenario failover (every objective passes)"
start_fake failover
run_drill failover --timeout 15 --recover-timeout 15
stop_fake
check "drill exits 0" [ "$drill_rc" -eq 0 ]
check "initial state passes" has_line failover '^PASS  initial state: 3 running allocations'
check "round-robin sees 3 nodes" has_line failover '^PASS  round-robin: 30 requests answered by 3 distinct nodes'
check "fill size from the driver's attributes (12 MiB free of 20, keep 1)" has_line failover '^PASS  disk fill: 11 MiB in .*/client-1/data on client-1'
check "driver Unhealthy with its description" has_line failover '^PASS  driver swift Unhealthy on client-1: disk pressure \(hard\)'
check "eviction event seen" has_line failover '^PASS  evicted: allocation alloc-0 on client-1 is failed: .*evicted: disk pressure'
check "replacement on client-4" has_line failover '^PASS  replaced: 3 running allocations again, the new one on client-4'
check "answers from client-4" has_line failover '^PASS  go-api answers from client-4'
check "Consul absence said once" [ "$(grep -c 'Consul does not answer' "$work/failover.out")" -eq 1 ]
check "Nomad health instead of Consul" has_line failover '^PASS  Nomad: 3 healthy allocations of .go-api., service registrations: 3'
check "no downtime" has_line failover '^PASS  no downtime'
check "recovered" has_line failover '^PASS  recovered: fill removed, driver swift Healthy again on client-1'
check "no FAIL line" bash -c "! grep -q '^FAIL' '$work/failover.out'"
check "fill file removed" no_fill_left failover
if [ "$failures" -gt 0 ]; then sed 's/^/    | /' "$work/failover.out"; fi

echo "== scenario no-evict (the drill must fail)"
before=$failures
start_fake no-evict --no-evict
run_drill no-evict --timeout 3 --recover-timeout 15
stop_fake
check "drill exits 1" [ "$drill_rc" -eq 1 ]
check "driver Unhealthy still passes" has_line no-evict '^PASS  driver swift Unhealthy on client-1'
check "eviction fails" has_line no-evict '^FAIL  evicted: allocation alloc-0 on client-1 still running'
check "replacement fails" has_line no-evict '^FAIL  replaced'
check "cleanup still runs and recovers" has_line no-evict '^PASS  recovered'
check "fill file removed" no_fill_left no-evict
if [ "$failures" -gt "$before" ]; then sed 's/^/    | /' "$work/no-evict.out"; fi

echo
if [ "$failures" -eq 0 ]; then
  echo "Tests/Drill: all checks passed"
else
  echo "Tests/Drill: $failures check(s) failed"
  exit 1
fi
