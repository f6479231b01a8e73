# A single Nomad server (the seed's "dev" layout: 1 server, 4 clients).
#
#   nomad agent -config examples/server.hcl

datacenter = "dc1"
data_dir   = "/opt/nomad/server"

# No call home to HashiCorp's update service; upgrades are the operator's to schedule.
disable_update_check = true

server {
  enabled          = true
  bootstrap_expect = 1
}

# Consul registers the server and clients and serves go-api's health checks to Traefik.
consul {
  address = "127.0.0.1:8500"
}
