import Glibc

/// Node attributes the driver publishes beside the disk monitor's, in one place so the
/// Fingerprint stream and the `fingerprint` command show the same set.
public enum DriverAttributes {
    /// Whether memory and CPU limits from the job are enforced on this host: `cgroup2` (always,
    /// in Nomad's cgroup or the driver's own), `cgroup1` (in the cgroups Nomad 1.7+ makes, reserved
    /// cores included; older Nomad sends none, and then nothing is enforced) or `none`.
    public static let resourceLimitsName = "driver.swift.resource_limits"

    /// Probed once per stream: it changes only when the host's cgroup mounts do.
    public static func resourceLimits() -> String {
        if CgroupSupport.isAvailable { return "cgroup2" }
        let v1 = CgroupHierarchy.current().v1Mounts
        let writable = ["memory", "cpu", "cpuset"].allSatisfy { v1[$0].map { access($0, W_OK) == 0 } ?? false }
        return writable ? "cgroup1" : "none"
    }

    public static func decorate(_ report: FingerprintReport, resourceLimits: String) -> FingerprintReport {
        var report = report
        report.attributes[resourceLimitsName] = .string(resourceLimits)
        return report
    }
}
