# A batch job that needs 20 GiB of scratch space, reserved through nomad-device-swift
# (docs/device-plugin.md). Nomad places it only on a node with 20 healthy, unreserved 1 GiB
# instances of swift/disk, so ten such jobs never share a 30 GiB disk. Needs Nomad 1.1+ and the
# device plugin in the client's plugin_dir; the driver can be any (swift applies the budget).
job "scratch-batch" {
  datacenters = ["dc1"]
  type        = "batch"

  group "build" {
    task "compile" {
      driver = "swift"

      config {
        command = "/bin/sh"
        # The reservation's directory and budget come as environment variables. Removing the
        # scratch data before exiting gives the space back at once; left behind, it is freed
        # when Nomad garbage-collects the allocation.
        args = ["-c", "cd \"$SWIFT_DISK_PATH\" && /opt/build/run --scratch . --limit-mb \"$SWIFT_DISK_BUDGET_MB\"; status=$?; rm -rf \"$SWIFT_DISK_PATH\"/*; exit $status"]
      }

      resources {
        cpu    = 2000
        memory = 1024

        # 20 instances; with the default unit_mb = 1024 that is 20 GiB. The unit grows on large
        # disks (see the group's unit_size attribute), so size by attribute where that matters.
        device "swift/disk" {
          count = 20

          # Only a real disk, not a tmpfs, and one large enough to be worth it.
          constraint {
            attribute = "${device.attr.filesystem}"
            operator  = "!="
            value     = "tmpfs"
          }
          constraint {
            attribute = "${device.attr.unit_size}"
            operator  = "="
            value     = "1 GiB"
          }
          # Prefer the emptiest disk.
          affinity {
            attribute = "${device.attr.healthy_instances}"
            operator  = ">="
            value     = "100"
            weight    = 50
          }
        }
      }
    }
  }
}
