#!/usr/bin/env python3
"""A stand-in for a Nomad cluster running go-api under SwiftDriver, for Tests/Drill/run.sh.

It serves the few /v1 endpoints scripts/failover-drill reads and runs one tiny go-api look-alike
per allocation; its own /go-api plays Traefik (round-robin over the running allocations) and
its /v1/health and /v1/catalog answers play Consul. Each fake node watches a real directory (its driver.swift.disk.paths): when a file
appears there the node's swift driver turns Unhealthy, then (unless --no-evict) the allocation on
it fails with an "evicted" task event and a replacement starts on a node without one; when the
directory is empty again the driver turns Healthy after a short transition period.

    fake_nomad.py --dir DIR [--no-evict] [--host IP] [--port N]   # prints the Nomad address first
    fake_nomad.py --go-api-node NAME --host IP --port N --nomad URL   # one client host's go-api

Tests/Drill/fake-bin/nomad starts it on port 4646 as the "server" of scripts/local-cluster (on the
server host's address in its hosts layout), and on each client host of that layout a go-api
look-alike on the static port, as the allocation HAProxy reaches there.
"""
import argparse
import json
import os
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CAPACITY_MB = 20
AVAILABLE_MB = 12
# Like go-api after SIGTERM: /health answers 503 at once, requests are served this long, then the
# port closes and only then does the allocation fail (as Nomad sees the task exit).
DRAIN_SECONDS = 1.5
# A real Nomad 1.1 client batches node updates (about 5 s), so the servers learn of the driver's
# health change after the driver has already evicted: the API shows Unhealthy this much later.
HEALTH_LAG_SECONDS = 2.5


class GoAPIHandler(BaseHTTPRequestHandler):
    """go-api's GET / (text with a Node: line), /go-api (JSON) and /health (503 while draining)."""

    def do_GET(self):
        node = self.server.node_name
        status = 200
        if self.path == "/health" and self.server.draining:
            body, kind, status = b'{"status":"shutting down"}', "application/json", 503
        elif self.path == "/health":
            body, kind = b'{"status":"ok"}', "application/json"
        elif self.path in ("/api", "/go-api"):
            body, kind = json.dumps({"hostname": "fake", "node": node}).encode(), "application/json"
        else:
            body, kind = f"Hostname: fake\nNode: {node}\nGET {self.path} HTTP/1.1\n".encode(), "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


# The address the fake and its allocations listen on (--host): 127.0.0.1, or the server host's
# address in scripts/local-cluster's hosts layout, so the drill reaches them from outside.
HOST = "127.0.0.1"


class HostGoAPIHandler(GoAPIHandler):
    """go-api on a client host's static port (--go-api-node): it answers as go-api only while the
    fake server has a running allocation on this node, and 503 otherwise (a spare node, or one
    whose allocation has gone), so the load balancer's health check sees what it would see."""

    def do_GET(self):
        if self.server.allocation_here():
            super().do_GET()
            return
        body = b"no go-api allocation on this node"
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_host_go_api(node, host, port, nomad):
    server = ThreadingHTTPServer((host, port), HostGoAPIHandler)
    server.node_name, server.draining = node, False

    def allocation_here():
        try:
            with urllib.request.urlopen(f"{nomad}/v1/job/go-api/allocations", timeout=1) as answer:
                allocs = json.load(answer)
        except Exception:
            return False
        return any(a.get("NodeName") == node and a.get("ClientStatus") == "running"
                   and a.get("DesiredStatus") == "run" for a in allocs)

    server.allocation_here = allocation_here
    server.serve_forever()


def serve(handler, name=None):
    server = ThreadingHTTPServer((HOST, 0), handler)
    server.node_name = name
    server.draining = False
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Cluster:
    def __init__(self, root, evict, predictive=False):
        self.lock = threading.Lock()
        self.evict = evict
        # --predictive: a slow fill, which the real driver meets at its predictive level.
        self.predictive = predictive
        self.nodes = []
        for i in range(1, 5):
            path = os.path.join(root, f"client-{i}", "data")
            os.makedirs(path, exist_ok=True)
            self.nodes.append({"ID": f"node-{i}", "Name": f"client-{i}", "path": path,
                               "healthy": True, "full_since": None, "free_since": None})
        self.allocs = []
        for i in range(3):
            self.start_alloc(self.nodes[i])

    def start_alloc(self, node):
        index = len(self.allocs)
        server = serve(GoAPIHandler, node["Name"])
        self.allocs.append({"ID": f"alloc-{index}", "Name": f"go-api.api[{index}]", "NodeID": node["ID"],
                            "NodeName": node["Name"], "ClientStatus": "running", "DesiredStatus": "run",
                            "CreateIndex": 10 + index, "server": server, "events": [], "stopped_at": None})

    def tick(self):
        """Advances the scenario: pressure, eviction, replacement, recovery."""
        now = time.monotonic()
        with self.lock:
            for node in self.nodes:
                full = bool(os.listdir(node["path"]))
                if full:
                    node["free_since"] = None
                    node["full_since"] = node["full_since"] or now
                    node["healthy"] = False
                else:
                    node["full_since"] = None
                    node["free_since"] = node["free_since"] or now
                    if now - node["free_since"] > 1.0:
                        node["healthy"] = True
                if full and self.evict and now - node["full_since"] > 0.5:
                    for a in self.running():
                        if a["NodeID"] != node["ID"]:
                            continue
                        if not a["server"].draining:
                            a["server"].draining, a["draining_since"] = True, now
                        elif now - a["draining_since"] > DRAIN_SECONDS:
                            a["server"].shutdown()
                            a["server"].server_close()
                            a["ClientStatus"], a["DesiredStatus"], a["stopped_at"] = "failed", "run", now
                            a["finished_wall"] = time.time()
                            a["events"].append({"Type": "Driver Failure", "DisplayMessage":
                                                "evicted: " + self.sentence(node, 0)})
            # Reschedule one second after a failure, on a healthy node without an allocation.
            for a in self.allocs:
                if a["stopped_at"] and now - a["stopped_at"] > 1.0 and not a.get("replaced"):
                    busy = {r["NodeID"] for r in self.running()}
                    free = [n for n in self.nodes if n["healthy"] and n["ID"] not in busy]
                    if free:
                        a["replaced"] = True
                        self.start_alloc(free[-1])

    def sentence(self, node, available):
        if self.predictive:
            return f"disk filling at 240 MiB/min on {node['path']}: full in about 5 s"
        return f"disk pressure (hard) on {node['path']}: {available} MiB free (0.0%), needs 48 MiB"

    def running(self):
        return [a for a in self.allocs if a["ClientStatus"] == "running"]

    def port_of(self, a):
        return a["server"].server_address[1]

    def node_json(self, node):
        lagging = node["full_since"] is not None and time.monotonic() - node["full_since"] <= HEALTH_LAG_SECONDS
        full = not node["healthy"] and not lagging
        available = 0 if full else AVAILABLE_MB
        attrs = {"driver.swift.disk.paths": node["path"],
                 "driver.swift.disk.pressure": ("predicted" if self.predictive else "hard") if full else "none",
                 "unique.driver.swift.disk.available_mb": str(available),
                 "unique.driver.swift.disk.capacity_mb": str(CAPACITY_MB)}
        description = self.sentence(node, available) if full else "healthy"
        return {"ID": node["ID"], "Name": node["Name"], "Status": "ready",
                "Attributes": dict(attrs, **{"driver.swift": "1"}),
                "Drivers": {"swift": {"Detected": True, "Healthy": not full,
                                      "HealthDescription": description, "Attributes": attrs}}}

    def alloc_json(self, a):
        out = {k: v for k, v in a.items()
               if k not in ("server", "events", "stopped_at", "replaced", "draining_since", "finished_wall")}
        out["TaskStates"] = {"api": {"State": "dead" if a["events"] else "running", "Events": a["events"]}}
        if a.get("finished_wall"):
            out["TaskStates"]["api"]["FinishedAt"] = time.strftime(
                "%Y-%m-%dT%H:%M:%S", time.gmtime(a["finished_wall"])) + ".%06dZ" % (a["finished_wall"] % 1 * 1e6)
        port = self.port_of(a)
        # Even allocations answer in Nomad 1.x's Shared.Ports form, odd ones in the older Networks form.
        if int(a["ID"].split("-")[1]) % 2 == 0:
            out["AllocatedResources"] = {"Shared": {"Ports": [{"Label": "http", "Value": port, "HostIP": HOST}]}}
        else:
            out["AllocatedResources"] = {"Shared": {"Networks": [{"IP": HOST, "DynamicPorts": [{"Label": "http", "Value": port}]}]}}
        return out


class NomadHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        cluster = self.server.cluster
        cluster.tick()
        path = self.path.split("?")[0]
        if path == "/go-api":
            self.route()
            return
        with cluster.lock:
            if path == "/v1/status/leader":
                body = f"{HOST}:4647"
            elif path == "/v1/nodes":
                body = [{"ID": n["ID"], "Name": n["Name"], "Status": "ready"} for n in cluster.nodes]
            elif path.startswith("/v1/node/"):
                body = next((cluster.node_json(n) for n in cluster.nodes if n["ID"] == path[9:]), None)
            elif path == "/v1/job/go-api/allocations":
                body = [{k: v for k, v in cluster.alloc_json(a).items() if k != "AllocatedResources"} for a in cluster.allocs]
            elif path.startswith("/v1/allocation/"):
                body = next((cluster.alloc_json(a) for a in cluster.allocs if a["ID"] == path[15:]), None)
            elif path == "/v1/service/go-api":
                body = [{"ServiceName": "go-api", "AllocID": a["ID"], "Address": HOST, "Port": cluster.port_of(a)}
                        for a in cluster.running()]
            elif path in ("/v1/health/service/go-api", "/v1/catalog/service/go-api"):
                # Consul's view, for runs that point CONSUL_HTTP_ADDR here too.
                body = [{"Service": {"Service": "go-api", "ID": a["ID"], "Port": cluster.port_of(a)}}
                        for a in cluster.running()
                        if not (path.startswith("/v1/health/") and a["server"].draining)]
            elif path.startswith("/v1/client/allocation/") and path.endswith("/checks"):
                body = {}
            else:
                body = None
        if body is None:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self):
        """Plays Traefik's /go-api route: round-robin over the running allocations."""
        cluster = self.server.cluster
        with cluster.lock:
            # Like Traefik from Consul's passing instances: a draining one is out already.
            running = [a for a in cluster.running() if not a["server"].draining]
            cluster.next_route = getattr(cluster, "next_route", 0) + 1
            target = running[cluster.next_route % len(running)] if running else None
            port = cluster.port_of(target) if target else None
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/go-api", timeout=1) as answer:
                data, status = answer.read(), 200
        except Exception:
            data, status = b"Bad Gateway", 502
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        """`nomad node eligibility` (scripts/local-cluster holds the spare clients): accepted."""
        path = self.path.split("?")[0]
        if not (path.startswith("/v1/node/") and path.endswith("/eligibility")):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_DELETE(self):
        """`nomad job stop`: every allocation of the job completes."""
        cluster = self.server.cluster
        if self.path.split("?")[0] != "/v1/job/go-api":
            self.send_error(404)
            return
        with cluster.lock:
            for a in cluster.running():
                a["server"].shutdown()
                a["server"].server_close()
                a["ClientStatus"], a["DesiredStatus"] = "complete", "stop"
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir")
    parser.add_argument("--no-evict", action="store_true")
    parser.add_argument("--predictive", action="store_true")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--go-api-node")
    parser.add_argument("--nomad", help="with --go-api-node: the fake server's address")
    args = parser.parse_args()
    if args.go_api_node:
        serve_host_go_api(args.go_api_node, args.host, args.port, args.nomad)
        return 0
    global HOST
    HOST = args.host
    if not args.dir:
        parser.error("--dir is required")
    server = ThreadingHTTPServer((args.host, args.port), NomadHandler)
    server.cluster = Cluster(args.dir, evict=not args.no_evict, predictive=args.predictive)
    print(f"http://{args.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # SIGINT is how scripts/local-cluster stops an agent
        pass


if __name__ == "__main__":
    sys.exit(main())
