# Traefik for scripts/local-cluster: one instance (all clients share 127.0.0.1, so only one can
# own port 8000), routing /go-api from Consul's catalog, or from Nomad's own service catalog when
# Consul is absent.
#
#   nomad job run -var traefik_binary=$(command -v traefik) -var provider=consul traefik.nomad

variable "traefik_binary" {
  type        = string
  description = "Absolute path of the traefik binary."
}

variable "provider" {
  type        = string
  default     = "nomad"
  description = "consul (Consul catalog at consul_address) or nomad (Nomad services at nomad_address)."
}

variable "consul_address" {
  type    = string
  default = "127.0.0.1:8500"
}

variable "nomad_address" {
  type    = string
  default = "http://127.0.0.1:4646"
}

job "traefik" {
  datacenters = ["dc1"]
  type        = "service"

  group "traefik" {
    count = 1

    ephemeral_disk {
      size = 16
    }

    network {
      port "web" {
        static = 8000
      }
    }

    task "traefik" {
      # raw_exec, not swift: the disk-pressure driver must never evict the router.
      driver = "raw_exec"

      config {
        command = var.traefik_binary
        # A 1 s catalog refresh instead of 15 s, so a moved instance is routed at once.
        args = concat(
          [
            "--entrypoints.web.address=127.0.0.1:8000",
            "--ping=true",
            "--ping.entrypoint=web",
          ],
          var.provider == "consul" ? [
            "--providers.consulcatalog=true",
            "--providers.consulcatalog.exposedbydefault=false",
            "--providers.consulcatalog.refreshinterval=1s",
            "--providers.consulcatalog.endpoint.address=${var.consul_address}",
            ] : [
            "--providers.nomad=true",
            "--providers.nomad.exposedbydefault=false",
            "--providers.nomad.refreshinterval=1s",
            "--providers.nomad.endpoint.address=${var.nomad_address}",
          ],
        )
      }

      logs {
        max_files     = 2
        max_file_size = 2
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
