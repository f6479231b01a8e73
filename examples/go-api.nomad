# go-api on three nodes, moved off any node whose disk fills.
#
#   nomad job run examples/go-api.nomad
#
# driver = "swift" runs the bundled go-api binary through SwiftDriver. When a node's disk comes
# under pressure, the driver reports Unhealthy there (no new placements) and evicts the task;
# the reschedule block below places the replacement on a healthy node within seconds.

job "go-api" {
  datacenters = ["dc1"]
  type        = "service"

  group "api" {
    count = 3

    # One instance per node: losing a node loses one third of the capacity, not all of it.
    constraint {
      operator = "distinct_hosts"
      value    = "true"
    }

    # Keep away from nodes with little free disk. The "version" operator compares numbers on
    # every Nomad version; with Nomad 1.8+ a plain ">=" with value = "4096" works too.
    constraint {
      attribute = "${attr.unique.driver.swift.disk.available_mb}"
      operator  = "version"
      value     = ">= 4096"
    }

    network {
      port "http" {}
    }

    # An evicted task fails its allocation: do not restart it on the same node (the driver would
    # refuse anyway while the disk is full); reschedule elsewhere at once. The trade-off: a task
    # that crashes for another reason also moves instead of restarting in place.
    restart {
      attempts = 0
      mode     = "fail"
    }

    reschedule {
      delay          = "5s"
      delay_function = "constant"
      unlimited      = true
    }

    service {
      name     = "go-api"
      port     = "http"
      provider = "consul"

      tags = [
        "traefik.enable=true",
        "traefik.http.routers.go-api.rule=PathPrefix(`/go-api`)",
        "traefik.http.routers.go-api.entrypoints=web",
      ]

      check {
        type     = "http"
        path     = "/health"
        interval = "2s"
        timeout  = "1s"
      }
    }

    task "api" {
      driver = "swift"

      config {
        command       = "/opt/nomad/bin/go-api"
        args          = ["--port-label", "http"]
        disk_limit_mb = 512
        evictable     = true
      }

      env {
        NODE_NAME = "${node.unique.name}"
      }

      # go-api turns /health to 503 at once on SIGTERM and drains for 2 s.
      kill_signal  = "SIGTERM"
      kill_timeout = "10s"

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
