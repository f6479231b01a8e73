log_level = "warn"
disk {
  paths    = ["/", "/tmp"]
  interval = "2s"
  hard_free_mb = 512
}
eviction {
  enabled   = false
  max_grace = "30s"
}
