# Traefik 2 or 3 on every client, routing /go-api to healthy go-api instances from Consul's
# catalog (examples/go-api.nomad carries the traefik.http.* tags, with a retry middleware).
# Parses and places on Nomad 1.1 and later; for Traefik 1.7 use examples/traefik-1.7.nomad.
#
#   nomad job run examples/traefik.nomad
#
# Entry point "web" on port 8000, as in the seed's drill: curl http://<any client>:8000/go-api

job "traefik" {
  datacenters = ["dc1"]
  type        = "system"

  group "traefik" {
    # Traefik writes only its logs.
    ephemeral_disk {
      size = 16
    }

    network {
      port "web" {
        static = 8000
      }
      port "dashboard" {
        static = 8081
      }
    }

    task "traefik" {
      # raw_exec runs the traefik binary installed on each client; system jobs are never
      # rescheduled, so Traefik must not be evicted by the disk-pressure driver.
      driver = "raw_exec"

      config {
        command = "/usr/local/bin/traefik"
        args = [
          "--entrypoints.web.address=:8000",
          "--api.dashboard=true",
          "--api.insecure=true",
          "--entrypoints.traefik.address=:8081",
          "--providers.consulcatalog=true",
          "--providers.consulcatalog.exposedbydefault=false",
          "--providers.consulcatalog.endpoint.address=127.0.0.1:8500",
        ]
      }

      logs {
        max_files     = 2
        max_file_size = 4
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
