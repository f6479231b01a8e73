#!/usr/bin/env bash
# Self-test of scripts/failover-drill without Nomad: runs the drill against Tests/Drill/fake_nomad.py
# (canned /v1 answers that follow a real fill file) in two scenarios:
#   failover   the driver flips, the allocation is evicted and replaced: every objective passes
#   traefik    the same through a router (the fake's own /go-api, JSON answers) and with Consul
#   no-evict   the driver flips but nothing is evicted: the drill must fail, and still clean up
#   slow-fill  --fill-rate-mb-per-s: a growing fill; the fake answers as the driver's predictive
#              level does, and the drill checks the move came before the hard threshold
#   local-cluster (root only; ports 4646 and 8000 free): scripts/local-cluster up, status, the
#              drill --local, down, as scripts/demo runs them, with Tests/Drill/fake-bin/nomad
#              standing in for Nomad 1.1.0: real tmpfs mounts, configs, pid files and teardown,
#              on the loopback layout it falls back to when `ip netns` fails; then `up` as Nomad
#              1.7 (its config keys), and `up` with a client agent that exits at start (up must
#              stop waiting at once and show that agent's log)
#   hosts      (root, `ip netns` and haproxy): the hosts layout with the fake nomad and no Consul:
#              namespaces and addresses, traffic between hosts, the DNS redirect, HAProxy's
#              config and balance straight over go-api look-alikes on the static port, the drill
#              through HAProxy, a backend killed under load without a failed request, and a
#              `down` that leaves no namespace, link, mount or process
#   Tests/Drill/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# Each scenario sets its own addresses; a developer's real cluster must not leak in.
unset NOMAD_ADDR NOMAD_TOKEN CONSUL_HTTP_ADDR CONSUL_HTTP_TOKEN TRAEFIK_URL

work=$(mktemp -d "${TMPDIR:-/tmp}/drill-test.XXXXXX")
fake_pid=""
mounted=""
failures=0

cluster=$work/cluster

# PATH with the fake nomad first and without a real consul or traefik, which the local cluster
# would start: these scenarios test the script, not a developer's real stack.
fake_path=$PWD/Tests/Drill/fake-bin
IFS=: read -ra path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
  [ -x "$d/consul" ] || [ -x "$d/traefik" ] || fake_path+=:$d
done

# scripts/local-cluster with the fake nomad and small, test-owned paths; loopback layout unless
# LC_LAYOUT says otherwise, LC_PATH_PREFIX goes before the fake's PATH.
lc() {
  PATH=${LC_PATH_PREFIX:-}$fake_path FAKE_NOMAD_DIR=$work/local-cluster SWIFTDRIVER_CLUSTER_DIR=$cluster \
    SWIFTDRIVER_BIN_DIR=$work/bin SWIFTDRIVER_TMPFS_MB=16 SWIFTDRIVER_UP_TIMEOUT=20 \
    SWIFTDRIVER_LAYOUT=${LC_LAYOUT:-loopback} SWIFTDRIVER_BRIDGE=sdtest0 scripts/local-cluster "$@"
}

cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; fi
  # A scenario that stopped half-way must not leave mounts or agents behind.
  if [ -e "$cluster" ]; then lc down >/dev/null 2>&1 || true; fi
  if [ -n "$mounted" ]; then umount "$mounted" || true; fi
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
  SWIFTDRIVER_CLUSTER_DIR=$cluster NOMAD_ADDR=$(head -n1 "$work/$name.addr") CONSUL_HTTP_ADDR=${CONSUL_HTTP_ADDR:-127.0.0.1:$closed_port} \
    TRAEFIK_URL=${TRAEFIK_URL:-http://127.0.0.1:$closed_port} DRILL_POLL_SECONDS=0.2 \
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
# As root, client-1's watched dir is a 20 MiB tmpfs, as large as the fake's capacity_mb: the drill
# must then size the fill from statvfs (20 MiB free, keep 1). Otherwise the dir is on a disk of
# another size and the size must come from the driver's attributes (12 MiB free, keep 1).
fill_expected="11 MiB"
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$work/failover/client-1/data"
  if mount -t tmpfs -o size=20m drill-test "$work/failover/client-1/data" 2>/dev/null; then
    fill_expected="19 MiB"
    mounted=$work/failover/client-1/data
  fi
fi
start_fake failover
run_drill failover --timeout 15 --recover-timeout 15
stop_fake
if [ -n "$mounted" ]; then umount "$mounted" && mounted=""; fi
check "drill exits 0" [ "$drill_rc" -eq 0 ]
check "initial state passes" has_line failover '^PASS  initial state: 3 running allocations'
check "round-robin sees 3 nodes" has_line failover '^PASS  round-robin: 30 requests answered by 3 distinct nodes'
check "fill size $fill_expected (statvfs when the filesystem matches, else attributes)" has_line failover "^PASS  disk fill: $fill_expected in .*/client-1/data on client-1"
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

echo "== scenario traefik (the same through a router answering JSON on /go-api, and Consul)"
before=$failures
start_fake traefik
fake=$(head -n1 "$work/traefik.addr")
TRAEFIK_URL=$fake CONSUL_HTTP_ADDR=${fake#http://} run_drill traefik --timeout 15 --recover-timeout 15
stop_fake
check "drill exits 0" [ "$drill_rc" -eq 0 ]
check "Traefik mode chosen" has_line traefik 'Traefik answers at .*/go-api: requests go through it'
check "fill size from the attributes on another filesystem (12 MiB free, keep 1)" has_line traefik '^PASS  disk fill: 11 MiB in .*/client-1/data on client-1'
check "round-robin through it" has_line traefik '^PASS  round-robin: 30 requests answered by 3 distinct nodes'
check "answers from client-4 through Traefik" has_line traefik '^PASS  go-api answers from client-4 through Traefik'
check "no downtime" has_line traefik '^PASS  no downtime'
check "Consul passing instances (address without scheme)" has_line traefik "^PASS  Consul: 3 passing instances of 'go-api'"
if [ "$failures" -gt "$before" ]; then sed 's/^/    | /' "$work/traefik.out"; fi

echo "== scenario no-evict (the drill must fail)"
before=$failures
start_fake no-evict --no-evict
run_drill no-evict --timeout 6 --recover-timeout 15
stop_fake
check "drill exits 1" [ "$drill_rc" -eq 1 ]
check "driver Unhealthy still passes" has_line no-evict '^PASS  driver swift Unhealthy on client-1'
check "eviction fails" has_line no-evict '^FAIL  evicted: allocation alloc-0 on client-1 still running'
check "replacement fails" has_line no-evict '^FAIL  replaced'
check "cleanup still runs and recovers" has_line no-evict '^PASS  recovered'
check "fill file removed" no_fill_left no-evict
if [ "$failures" -gt "$before" ]; then sed 's/^/    | /' "$work/no-evict.out"; fi

echo "== scenario slow-fill (--fill-rate-mb-per-s: predictive eviction before the hard threshold)"
before=$failures
# As root on a 20 MiB tmpfs, so free space really crosses the hard threshold (2 MiB) and the
# timeline has a lead time; otherwise the dir is on a large disk and it never does.
slow_size="11 MiB"
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$work/slow-fill/client-1/data"
  if mount -t tmpfs -o size=20m drill-test "$work/slow-fill/client-1/data" 2>/dev/null; then
    slow_size="19 MiB"
    mounted=$work/slow-fill/client-1/data
  fi
fi
start_fake slow-fill --predictive
run_drill slow-fill --timeout 15 --recover-timeout 15 --fill-rate-mb-per-s 2.5 --hard-free-mb 2
stop_fake
if [ -n "$mounted" ]; then umount "$mounted" && mounted=""; fi
check "drill exits 0" [ "$drill_rc" -eq 0 ]
check "the fill grows at the rate" has_line slow-fill "slow fill: .*/client-1/data/swiftdriver-drill-fill grows by 2.5 MiB/s up to $slow_size"
check "driver Unhealthy with the predictive sentence" has_line slow-fill '^PASS  driver swift Unhealthy on client-1: disk filling at 240 MiB/min'
check "moved before the hard threshold" has_line slow-fill '^PASS  moved before the hard threshold: evicted at the predictive level with [0-9]+ MiB free \(hard threshold 2 MiB\)'
check "timeline: free space at the eviction" has_line slow-fill '^  free MiB when the evicted task finished +[0-9]+$'
if [ "$slow_size" = "19 MiB" ]; then
  check "timeline: the lead time" has_line slow-fill '^  lead time: task gone before the hard threshold \(s\) +[0-9.]+$'
fi
check "recovered" has_line slow-fill '^PASS  recovered'
check "fill file removed" no_fill_left slow-fill
check "a bad rate is refused" bash -c "! scripts/failover-drill --fill-rate-mb-per-s 1.2.3 >/dev/null 2>&1"
if [ "$failures" -gt "$before" ]; then sed 's/^/    | /' "$work/slow-fill.out"; fi

echo "== scenario local-cluster (up, status, drill, down with a fake nomad)"
ports_busy() { python3 -c 'import socket, sys
for p in (4646, 8000):
    s = socket.socket()
    # As the servers do: connections of an earlier run in TIME_WAIT must not count as busy.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        sys.exit(0)
    finally:
        s.close()
sys.exit(1)'; }
if [ "$(id -u)" -ne 0 ]; then
  echo "skip  (needs root to mount tmpfs)"
elif ports_busy; then
  echo "skip  (port 4646 or 8000 is in use)"
else
  before=$failures
  mkdir -p "$work/bin" "$work/local-cluster"
  printf '#!/bin/sh\nexit 1\n' >"$work/bin/nomad-driver-swift"
  printf '#!/bin/sh\nexit 1\n' >"$work/bin/go-api"
  chmod +x "$work/bin/nomad-driver-swift" "$work/bin/go-api"
  # An `ip` whose `netns add` fails, as where namespaces are not allowed: up must fall back.
  mkdir -p "$work/no-netns"
  printf '#!/bin/sh\necho "mount --make-shared /run/netns failed: Operation not permitted" >&2\nexit 1\n' >"$work/no-netns/ip"
  chmod +x "$work/no-netns/ip"
  set +e
  LC_LAYOUT=auto LC_PATH_PREFIX=$work/no-netns: lc up >"$work/local-cluster.out" 2>&1
  up_rc=$?
  set -e
  check "up exits 0" [ "$up_rc" -eq 0 ]
  check "up says it fell back to loopback, and why" grep -q "layout: loopback, every agent on 127.0.0.1 (no network namespaces: 'ip netns add' failed: mount --make-shared" "$work/local-cluster.out"
  check "4 tmpfs mounts" [ "$(grep -c " $cluster/client-[1-4]/data tmpfs " /proc/mounts)" -eq 4 ]
  # What Nomad leaves behind until an allocation is garbage-collected: a task's secrets tmpfs.
  mkdir -p "$cluster/client-2/data/alloc/a1/api/secrets"
  mount -t tmpfs -o size=1m drill-test-secrets "$cluster/client-2/data/alloc/a1/api/secrets" || true
  check "plugin copied into each plugin_dir" [ "$(find "$cluster" -path '*/plugins/nomad-driver-swift' | wc -l)" -eq 4 ]
  check "client-3 config watches its own data dir" grep -q "paths *= \[\"$cluster/client-3/data\"\]" "$cluster/client-3/client.hcl"
  check "client-2 ports 4666-4668" [ "$(grep -cE '^  (http = 4666|rpc  = 4667|serf = 4668)$' "$cluster/client-2/client.hcl")" -eq 3 ]
  check "Nomad 1.1: client-2 reserves Nomad's port range but 22000-22999" grep -q 'reserved_ports = "20000-21999,23000-32000"' "$cluster/client-2/client.hcl"
  check "Nomad 1.1: no dynamic port range keys" bash -c "! grep -q _dynamic_port $cluster/client-*/client.hcl"
  check "go-api job submitted with the copied binary" grep -q "go_api_binary=$cluster/bin/go-api" "$work/local-cluster/jobs.log"
  check "Nomad 1.1 without Consul: examples/go-api.nomad" grep -q "job run .* examples/go-api.nomad$" "$work/local-cluster/jobs.log"
  lc status >"$work/status.out" 2>&1 || true
  check "status lists 4 healthy nodes" [ "$(grep -c ' ready  healthy ' "$work/status.out")" -eq 4 ]
  check "status lists 5 running agents" [ "$(grep -cE '^  (client-[1-4]|server) +running \(pid [0-9]+\)$' "$work/status.out")" -eq 5 ]
  if [ -x Tests/Conformance/bin/conformance ]; then
    check "generated configs parse" Tests/Conformance/bin/conformance -validate-hcl "$cluster/server/server.hcl" "$cluster"/client-*/client.hcl
  fi
  echo "drill against it:" >>"$work/local-cluster.out"
  set +e
  PATH=$fake_path SWIFTDRIVER_CLUSTER_DIR=$cluster CONSUL_HTTP_ADDR=127.0.0.1:$closed_port TRAEFIK_URL=http://127.0.0.1:$closed_port DRILL_POLL_SECONDS=0.2 \
    scripts/failover-drill --local --timeout 15 --recover-timeout 15 >>"$work/local-cluster.out" 2>&1 </dev/null
  drill_rc=$?
  lc down >>"$work/local-cluster.out" 2>&1
  down_rc=$?
  set -e
  check "drill passes against it" [ "$drill_rc" -eq 0 ]
  check "down exits 0" [ "$down_rc" -eq 0 ]
  check "down unmounts every tmpfs" bash -c "! grep -q ' $cluster/' /proc/mounts"
  check "down removes the state dir" [ ! -e "$cluster" ]
  check "down stops every agent" bash -c "! pgrep -f '[n]omad-fake-client|--dir $work/local-cluste[r]' >/dev/null"
  check "the drill shows 'nomad job status'" grep -q '^  \$ nomad job status go-api' "$work/local-cluster.out"
  check "the drill shows 'nomad alloc status' of the replacement" grep -q '^  \$ nomad alloc status alloc-3' "$work/local-cluster.out"
  check "the drill says what it skipped" grep -q 'skipping the Consul DNS check\|dig is not on PATH' "$work/local-cluster.out"
  if [ "$failures" -gt "$before" ]; then sed 's/^/    | /' "$work/local-cluster.out"; fi

  echo "== scenario local-cluster as Nomad 1.7 (dynamic port range keys, Nomad-native services)"
  before=$failures
  : >"$work/local-cluster/jobs.log"
  set +e
  FAKE_NOMAD_VERSION=1.7.7 lc up >"$work/local-cluster-17.out" 2>&1
  up_rc=$?
  set -e
  check "up exits 0" [ "$up_rc" -eq 0 ]
  check "client-2's dynamic port range 22000-22999" grep -q 'min_dynamic_port  = 22000' "$cluster/client-2/client.hcl"
  check "no reserved_ports list" bash -c "! grep -q reserved_ports $cluster/client-*/client.hcl"
  check "without Consul: examples/go-api-nomad-1.4.nomad" grep -q "job run .* examples/go-api-nomad-1.4.nomad$" "$work/local-cluster/jobs.log"
  FAKE_NOMAD_VERSION=1.7.7 lc down >>"$work/local-cluster-17.out" 2>&1 || true
  check "down removes the state dir" [ ! -e "$cluster" ]
  if [ "$failures" -gt "$before" ]; then sed 's/^/    | /' "$work/local-cluster-17.out"; fi

  echo "== scenario local-cluster with a client agent that exits at start (fail fast)"
  before=$failures
  set +e
  started=$SECONDS
  FAKE_NOMAD_CLIENT_FAILS=3 lc up >"$work/local-cluster-fail.out" 2>&1
  up_rc=$?
  took=$((SECONDS - started))
  set -e
  check "up exits non-zero" [ "$up_rc" -ne 0 ]
  check "up stops waiting at once (${took}s; its wait limit is 20 s)" [ "$took" -lt 15 ]
  check "up names the agent that exited" grep -q 'client-3 exited while waiting' "$work/local-cluster-fail.out"
  check "up shows that agent's log" grep -q '  | ==> Error starting agent: fake failure of client-3' "$work/local-cluster-fail.out"
  check "up tears down after the failure" [ ! -e "$cluster" ]
  check "no tmpfs left" bash -c "! grep -q ' $cluster/' /proc/mounts"
  if [ "$failures" -gt "$before" ]; then sed 's/^/    | /' "$work/local-cluster-fail.out"; fi
fi

echo "== scenario hosts (network namespaces, HAProxy straight over go-api look-alikes, no Consul)"
# Names the hosts layout would take: a real cluster of a developer may hold them.
hosts_busy() {
  local n
  for n in server-1 client-1 client-2 client-3 client-4 lb; do [ ! -e "/run/netns/$n" ] || return 0; done
  ip -4 -o addr show 2>/dev/null | grep -q ' 198\.18\.\([0-9]\|1[0-5]\)\.[0-9]*/'
}
netns_works() {
  ip netns add "sd-selftest-$$" 2>/dev/null || return 1
  ip netns del "sd-selftest-$$"
}
if [ "$(id -u)" -ne 0 ]; then
  echo "skip  (needs root for network namespaces and tmpfs)"
elif ! command -v ip >/dev/null 2>&1 || ! command -v iptables >/dev/null 2>&1 || ! netns_works; then
  echo "skip  (no working 'ip netns' or iptables here)"
elif ! command -v haproxy >/dev/null 2>&1; then
  echo "skip  (haproxy is not installed: scripts/install-deps)"
elif hosts_busy; then
  echo "skip  (a hosts-layout cluster, or another address in 198.18.0.0/20, is already here)"
else
  before=$failures
  hosts_started=$SECONDS
  hosts=(server-1 client-1 client-2 client-3 client-4 lb)
  mkdir -p "$work/bin" "$work/local-cluster"
  printf '#!/bin/sh\nexit 1\n' | tee "$work/bin/nomad-driver-swift" >"$work/bin/go-api"
  chmod +x "$work/bin/nomad-driver-swift" "$work/bin/go-api"
  : >"$work/local-cluster/jobs.log"
  set +e
  LC_LAYOUT=auto lc up >"$work/hosts.out" 2>&1
  up_rc=$?
  set -e
  check "up exits 0" [ "$up_rc" -eq 0 ]
  check "up says it chose the hosts layout" grep -q "layout: hosts, one network namespace per agent on bridge sdtest0" "$work/hosts.out"
  check "up says HAProxy goes straight to go-api without Traefik" grep -q "HAProxy points straight at go-api's port 8080" "$work/hosts.out"
  for h in "${hosts[@]}"; do
    check "host $h: one address, on eth0, in 198.18.0.0/20, no default route" bash -c "
      [ \"\$(ip -n $h -4 -o addr show | grep -v ' lo ' | awk '{ print \$2, \$4 }')\" = \"eth0 \$(awk -v n=$h '\$1 == n { print \$2 }' '$cluster/hosts')/20\" ] &&
      ! ip -n $h -4 -o addr show | grep -qE ' (10\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.|192\\.168\\.)' &&
      [ -z \"\$(ip -n $h route show default)\" ] && ip -n $h route show | grep -q '^198.18.0.0/20 dev eth0'"
  done
  check "go-api job asks for the static port 8080" grep -q "http_port=8080" "$work/local-cluster/jobs.log"
  if [ -x Tests/Conformance/bin/conformance ]; then
    check "the hosts' generated configs parse" Tests/Conformance/bin/conformance -validate-hcl "$cluster/server-1/nomad.hcl" "$cluster"/client-*/client.hcl
  fi
  check "client-2 reaches the server host's Nomad API over the bridge" \
    bash -c "ip netns exec client-2 curl -fsS --max-time 2 http://198.18.0.11:4646/v1/status/leader | grep -q 4647"
  check "client-2's resolver asks 127.0.0.1" grep -qx 'nameserver 127.0.0.1' /etc/netns/client-2/resolv.conf
  check "port 53 in client-2 reaches its Consul agent's 8600" ip netns exec client-2 python3 -c '
import socket, sys
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(("127.0.0.1", 8600)); r.settimeout(2)
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"probe", ("127.0.0.1", 53))
sys.exit(0 if r.recvfrom(64)[0] == b"probe" else 1)'
  check "HAProxy's config lists the 4 client hosts' go-api, checked on /health every second" bash -c "
    [ \"\$(grep -cE '^  server client-[1-4] 198\\.18\\.0\\.2[1-4]:8080 check$' '$cluster/lb/haproxy.cfg')\" -eq 4 ] &&
    grep -q 'uri /health' '$cluster/lb/haproxy.cfg' && grep -q 'inter 1s' '$cluster/lb/haproxy.cfg'"
  # client-4 is the spare: its go-api look-alike answers 503 until an allocation runs there, so
  # HAProxy's check must keep it out.
  lb_nodes=$(for _ in $(seq 1 40); do
    answer=$(curl -fsS --max-time 2 http://198.18.0.2/go-api) || answer=failed
    printf '%s\n' "$answer" | sed -n 's/.*"node": *"\([^"]*\)".*/\1/p; /^failed$/p'
  done | sort -u | tr '\n' ' ')
  check "HAProxy on host lb balances over the 3 hosts with go-api, not the spare (saw: $lb_nodes)" [ "$lb_nodes" = "client-1 client-2 client-3 " ]

  echo "drill against it:" >>"$work/hosts.out"
  set +e
  PATH=$fake_path SWIFTDRIVER_CLUSTER_DIR=$cluster DRILL_POLL_SECONDS=0.2 \
    scripts/failover-drill --local --node client-1 --timeout 15 --recover-timeout 15 >>"$work/hosts.out" 2>&1 </dev/null
  drill_rc=$?
  set -e
  check "the drill (addresses from drill.env) passes" [ "$drill_rc" -eq 0 ]
  check "the drill sends every request through HAProxy" grep -q 'the load balancer answers at http://198.18.0.2:80/go-api: every request goes through it' "$work/hosts.out"
  check "the drill: 0 failed requests" grep -q '^PASS  no downtime: 0 failed' "$work/hosts.out"

  # A node that leaves at once (its go-api killed, no drain) under a request every 20 ms: HAProxy's
  # retry on another server must hide it, and its check must take the server out.
  victim_pid=$(cat "$cluster/pids/nomad-client-3.pid")
  python3 - "$victim_pid" >"$work/hosts-kill.out" 2>&1 <<'PY' || true
import os, signal, sys, time, urllib.request
ok = failed = 0
for i in range(150):
    if i == 50:
        os.kill(int(sys.argv[1]), signal.SIGKILL)
    try:
        urllib.request.urlopen("http://198.18.0.2/go-api", timeout=2).read()
        ok += 1
    except Exception as e:
        failed += 1
        print("failed:", e)
    time.sleep(0.02)
print("ok", ok, "failed", failed)
PY
  check "client-3 killed under load: 0 of 150 requests through HAProxy failed ($(tail -n1 "$work/hosts-kill.out"))" grep -qx 'ok 150 failed 0' "$work/hosts-kill.out"
  check "HAProxy's check took client-3 out" bash -c "sleep 2; grep -q 'client-3 is DOWN' '$cluster/logs/haproxy-lb.log'"

  set +e
  lc down >>"$work/hosts.out" 2>&1
  down_rc=$?
  set -e
  check "down exits 0" [ "$down_rc" -eq 0 ]
  check "down leaves no namespace" bash -c "for h in ${hosts[*]}; do [ ! -e /run/netns/\$h ] || exit 1; done"
  check "down leaves no bridge or veth" bash -c "! ip -o link show | grep -qE ': (sdtest0|sd0-[0-9]+)[@:]'"
  check "down removes the bridge's FORWARD rule" bash -c "! iptables -S FORWARD | grep -q sdtest0"
  check "down leaves no mount" bash -c "! grep -q ' $cluster/' /proc/mounts"
  check "down leaves no process" bash -c "! pgrep -f '[n]omad-fake-client|[h]aproxy -db -f $cluster|--dir $work/local-cluste[r]' >/dev/null"
  check "down removes the hosts' resolv.conf" [ ! -e /etc/netns/client-2 ]
  check "down removes the state dir" [ ! -e "$cluster" ]
  echo "      (scenario hosts took $((SECONDS - hosts_started)) s)"
  if [ "$failures" -gt "$before" ]; then sed 's/^/    | /' "$work/hosts.out" "$work/hosts-kill.out"; fi
fi

echo
if [ "$failures" -eq 0 ]; then
  echo "Tests/Drill: all checks passed"
else
  echo "Tests/Drill: $failures check(s) failed"
  exit 1
fi
