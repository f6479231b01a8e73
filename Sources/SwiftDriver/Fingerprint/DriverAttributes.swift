/// Node attributes the driver publishes beside the disk monitor's, in one place so the
/// Fingerprint stream and the `fingerprint` command show the same set.
public enum DriverAttributes {
    /// Whether memory and CPU limits from the job are enforced on this host: `cgroup2` or `none`.
    public static let resourceLimitsName = "driver.swift.resource_limits"

    /// Probed once per stream: it changes only when the host's cgroup mount does.
    public static func resourceLimits() -> String {
        CgroupSupport.isAvailable ? "cgroup2" : "none"
    }

    public static func decorate(_ report: FingerprintReport, resourceLimits: String) -> FingerprintReport {
        var report = report
        report.attributes[resourceLimitsName] = .string(resourceLimits)
        return report
    }
}
