# Nomad client agent with SwiftDriver installed.
#
#   nomad agent -config examples/client.hcl
#
# Copy the nomad-driver-swift binary into plugin_dir. Nomad matches the plugin block below by the
# binary's FILE NAME ("nomad-driver-swift"); job specs still say driver = "swift".

datacenter = "dc1"
data_dir   = "/opt/nomad/data"
plugin_dir = "/opt/nomad/plugins"

# No call home to HashiCorp's update service; upgrades are the operator's to schedule.
disable_update_check = true

client {
  enabled = true
  servers = ["127.0.0.1:4647"]
}

# The Traefik examples (traefik.nomad, traefik-1.7.nomad) run the router with raw_exec, off by
# default: the router must not be evicted with the work it routes to.
plugin "raw_exec" {
  config {
    enabled = true
  }
}

plugin "nomad-driver-swift" {
  config {
    # Log level of the plugin's lines in the agent log: trace, debug, info, warn or error.
    # Unset: NOMAD_DRIVER_SWIFT_LOG_LEVEL from the agent's environment, else info.
    log_level = "info"

    disk {
      # Absolute paths to watch. Default: /opt/nomad/data when it exists, else /.
      # Paths on the same filesystem are measured once; the worst filesystem decides.
      paths = ["/opt/nomad/data"]

      # How often to measure (statvfs; microseconds each). Go duration.
      interval = "1s"

      # Soft pressure: free space below this percentage of capacity ...
      soft_free_percent = 15
      # ... or below this many MiB (0 turns the MiB check off).
      soft_free_mb = 0
      # Soft pressure counts only after it has held this long.
      soft_grace = "60s"

      # Hard pressure, immediate: free space below this percentage ...
      hard_free_percent = 10
      # ... or below this many MiB ...
      hard_free_mb = 1024
      # ... or free inodes below this percentage.
      hard_inodes_free_percent = 5

      # Leaving a level needs free space back above threshold + this many percentage points ...
      min_reclaim_percent = 2
      # ... held for this long (protects against flapping; kubelet's default is 5 minutes).
      transition_period = "5m"

      # unique.driver.swift.disk.available_mb is floored to this step, so the node is not
      # re-registered with the servers on every megabyte.
      attribute_step_mb = 1024
      # Attribute-only fingerprint changes are sent at most this often (health changes: at once).
      attribute_min_interval = "60s"

      # Predictive pressure: Unhealthy (and, below, evictions) when the disk is predicted full
      # within this long at its current fill rate, before any threshold is crossed. "0s" = off.
      predict_horizon = "10m"
      # The fill rate is measured over this long, and the prediction must hold this long again.
      predict_min_window = "60s"
      # Space freed in steps within this much history (log rotation, GC, tmp cleanup) is
      # credited against the fill rate, so a sawtooth is not mistaken for a fill.
      predict_window = "1h"
    }

    eviction {
      # Stop tasks on this node while it is under pressure (hard, or soft after its grace), one
      # at a time, so Nomad reschedules them on healthy nodes. Tasks with evictable = false stay.
      enabled = true
      # Cap on the time a victim gets between SIGTERM and SIGKILL.
      max_grace = "30s"
      # Pause between two victims, to re-measure.
      interval = "30s"
      # Also evict, one task at a time, while the disk is predicted full within predict_horizon.
      predictive = true
    }
  }
}

# The device plugin (nomad-device-swift in plugin_dir): free disk as device instances of
# swift/disk that jobs reserve with `device "swift/disk" { count = N }` (docs/device-plugin.md).
plugin "nomad-device-swift" {
  config {
    # One device group per path (one filesystem each); default /opt/nomad/data when it exists, else /.
    paths = ["/opt/nomad/data"]
    # Group names (swift/disk/<name>), one per path; default: each path's last component.
    names = ["data"]
    # The space one instance stands for; on a disk too large for max_instances of them, the
    # unit grows in whole multiples of this.
    unit_mb = 1024
    # Instances per group; all groups together may offer 320, so node updates stay under 64 KiB.
    max_instances = 128
    # Space on each path that is never offered.
    headroom_mb = 1024
    # How often paths and reservations are measured.
    interval = "1s"
    # Instances coming back to health reach Nomad at most this often; losses go out at once.
    fingerprint_min_interval = "30s"
  }
}
