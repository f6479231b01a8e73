# go-api on three nodes, moved off any node whose disk fills. Nomad 1.1 and later, with Consul.
#
#   nomad job run examples/go-api.nomad
#   nomad job run -var go_api_binary=/path/to/go-api -var min_available_mb=100 examples/go-api.nomad
#   nomad job run -var http_port=8080 examples/go-api.nomad     # the same port on every node
#
# driver = "swift" runs the bundled go-api binary through SwiftDriver. When a node's disk comes
# under pressure, the driver reports Unhealthy there (no new placements) and evicts the task;
# the reschedule block below places the replacement on a healthy node within seconds.
#
# The service registers in Consul (the only provider before Nomad 1.4). Without Consul, use
# examples/go-api-nomad-1.4.nomad (Nomad's own service catalog) on Nomad 1.4 or later.
# scripts/local-cluster runs this file as it is, with the two variables set for its small disks.

variable "go_api_binary" {
  type        = string
  default     = "/opt/nomad/bin/go-api"
  description = "Absolute path of the go-api binary on the clients."
}

variable "http_port" {
  type        = number
  default     = 0
  description = "go-api's port on every node: 0 for a dynamic one; a fixed one when every node has its own address (scripts/local-cluster's hosts)."
}

variable "min_available_mb" {
  type        = number
  default     = 4096
  description = "Nodes with less free disk (the swift driver's available_mb) get no instance."
}

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
    # every Nomad version; with Nomad 1.8+ a plain ">=" works too.
    constraint {
      attribute = "${attr.unique.driver.swift.disk.available_mb}"
      operator  = "version"
      value     = ">= ${var.min_available_mb}"
    }

    # go-api writes nothing but its logs. Small enough for the local cluster's 256 MiB data
    # dirs (Nomad's default of 300 MB would not place there), larger than the logs below.
    ephemeral_disk {
      size = 32
    }

    network {
      # static = 0 is a dynamic port (Nomad reads only a positive static as reserved).
      port "http" {
        static = var.http_port
      }
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
      name = "go-api"
      port = "http"

      # Routing for both Traefik generations; each reads only its own tags. Traefik 1.7 (run
      # against this job here): frontend rule. Traefik 2 and 3: router, entry point "web", and a
      # retry middleware, so a request that meets an instance just as it leaves goes to another.
      tags = [
        "traefik.enable=true",
        "traefik.frontend.rule=PathPrefix:/go-api",
        "traefik.http.routers.go-api.rule=PathPrefix(`/go-api`)",
        "traefik.http.routers.go-api.entrypoints=web",
        "traefik.http.routers.go-api.middlewares=go-api-retry",
        "traefik.http.middlewares.go-api-retry.retry.attempts=3",
      ]

      # go-api answers 503 here as soon as it is told to stop (an eviction too), and keeps
      # serving for its drain time (2 s): a 1 s check takes it out of Consul, and so out of
      # Traefik, before it stops accepting connections.
      check {
        type     = "http"
        path     = "/health"
        interval = "1s"
        timeout  = "1s"
      }
    }

    task "api" {
      driver = "swift"

      config {
        command       = var.go_api_binary
        args          = ["--port-label", "http"]
        disk_limit_mb = 64
        evictable     = true
      }

      env {
        NODE_NAME = "${node.unique.name}"
      }

      # SIGTERM starts go-api's drain (2 s); kill_timeout leaves room for it.
      kill_signal  = "SIGTERM"
      kill_timeout = "10s"

      # Nomad's default keeps up to 100 MB of logs per task, more than the ephemeral disk.
      logs {
        max_files     = 2
        max_file_size = 4
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
