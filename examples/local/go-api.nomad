# go-api for scripts/local-cluster: examples/go-api.nomad adapted to one machine with four
# clients whose data dirs are 256 MiB tmpfs mounts.
#
#   nomad job run -var go_api_binary=/path/to/go-api -var service_provider=consul go-api.nomad
#
# Differences from examples/go-api.nomad: the binary path and the service provider are variables
# (Nomad's own service catalog when Consul is absent), the disk constraint and the ephemeral disk
# fit a 256 MiB data dir, and logs are capped so they cannot fill it.

variable "go_api_binary" {
  type        = string
  description = "Absolute path of the go-api binary on the clients."
}

variable "service_provider" {
  type        = string
  default     = "nomad"
  description = "consul when a Consul agent runs beside each client, else nomad."
}

job "go-api" {
  datacenters = ["dc1"]
  type        = "service"

  group "api" {
    count = 3

    constraint {
      operator = "distinct_hosts"
      value    = "true"
    }

    # A fresh 256 MiB tmpfs has about 250 MiB free; a filled one has a few MiB.
    constraint {
      attribute = "${attr.unique.driver.swift.disk.available_mb}"
      operator  = "version"
      value     = ">= 100"
    }

    # Nomad's default (300 MB) would not fit a 256 MiB data dir at all.
    ephemeral_disk {
      size = 32
    }

    network {
      port "http" {}
    }

    # Fail fast and move: the driver refuses local restarts under pressure anyway.
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
      provider = var.service_provider

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
        command       = var.go_api_binary
        args          = ["--port-label", "http"]
        disk_limit_mb = 16
      }

      env {
        NODE_NAME = "${node.unique.name}"
      }

      kill_signal  = "SIGTERM"
      kill_timeout = "5s"

      # Nomad's default keeps up to 100 MB of logs per task; the access log would eat the tmpfs.
      logs {
        max_files     = 2
        max_file_size = 2
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
