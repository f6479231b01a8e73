# Traefik 1.7 on every client, routing /go-api to the passing go-api instances in Consul's
# catalog (examples/go-api.nomad carries the 1.7 tags). Nomad 1.1 and later; for Traefik 2 and 3
# use examples/traefik.nomad.
#
#   nomad job run examples/traefik-1.7.nomad
#
# Entry point "http" on port 8000, as in the seed's drill: curl http://<any client>:8000/go-api

job "traefik" {
  datacenters = ["dc1"]
  type        = "system"

  group "traefik" {
    # Traefik writes only its logs.
    ephemeral_disk {
      size = 16
    }

    network {
      port "http" {
        static = 8000
      }
    }

    task "traefik" {
      # raw_exec runs the traefik binary installed on each client; system jobs are never
      # rescheduled, so Traefik must not be evicted by the disk-pressure driver.
      driver = "raw_exec"

      config {
        command = "/usr/local/bin/traefik"
        args = [
          "--entrypoints=Name:http Address::8000",
          "--defaultentrypoints=http",
          # A request whose instance refuses the connection (one that just stopped) is sent to
          # another.
          "--retry.attempts=3",
          "--consulcatalog.endpoint=127.0.0.1:8500",
          "--consulcatalog.exposedbydefault=false",
          "--consulcatalog.prefix=traefik",
          "--consulcatalog.watch=true",
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
