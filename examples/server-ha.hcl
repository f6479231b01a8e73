# One of three Nomad servers for the seed's "global" layout: a highly available control plane.
# Run three servers with this file (each with its own name and address); Raft needs a quorum of
# two, so one server can fail without downtime.
#
# Two regions: give each region its own set of three servers (region = "eu" and region = "us")
# with distinct datacenters. Regions are federated, not replicated: each has its own Raft
# cluster and schedules only its own clients; servers join across regions with
# `nomad server join <other-region-server>:4648` (serf, port 4648 must be reachable between
# regions), and jobs are submitted per region (or as multiregion jobs in Nomad Enterprise).

region     = "global"
datacenter = "dc1"
name       = "server-1"
data_dir   = "/opt/nomad/server"

disable_update_check = true

server {
  enabled          = true
  bootstrap_expect = 3

  server_join {
    retry_join = ["nomad-server-1.example", "nomad-server-2.example", "nomad-server-3.example"]
  }
}

consul {
  address = "127.0.0.1:8500"
}
