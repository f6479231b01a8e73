# go-api on three nodes, moved off any node whose disk fills: the variant for clusters without
# Consul. Needs Nomad 1.4 or later (Nomad's own service catalog, `provider = "nomad"`, and its
# HTTP checks); examples/go-api.nomad is the same job for Nomad 1.1+ with Consul.
#
#   nomad job run examples/go-api-nomad-1.4.nomad
#   nomad job run -var go_api_binary=/path/to/go-api -var min_available_mb=100 examples/go-api-nomad-1.4.nomad
#
# Traefik 2.8+ routes it with its Nomad provider (the tags below); Traefik 1.7 has no such
# provider.

variable "go_api_binary" {
  type        = string
  default     = "/opt/nomad/bin/go-api"
  description = "Absolute path of the go-api binary on the clients."
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
      provider = "nomad"

      # Traefik 2.8+ (Nomad provider): router, entry point "web", and a retry middleware, so a
      # request that meets an instance just as it leaves goes to another.
      tags = [
        "traefik.enable=true",
        "traefik.http.routers.go-api.rule=PathPrefix(`/go-api`)",
        "traefik.http.routers.go-api.entrypoints=web",
        "traefik.http.routers.go-api.middlewares=go-api-retry",
        "traefik.http.middlewares.go-api-retry.retry.attempts=3",
      ]

      # Nomad-native check (shown by the allocation's checks API). Nomad's catalog keeps an
      # instance listed until its task stops, whatever the check says: the retry middleware above
      # is what spares clients an instance that has just stopped.
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
