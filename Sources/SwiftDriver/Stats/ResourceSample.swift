/// One measurement of a task's resource use, in plain values; the wire layer maps it onto
/// Nomad's `TaskResourceUsage` (`CPUUsage` + `MemoryUsage`).
///
/// CPU percents follow Nomad's convention: 100 means one core fully busy over the interval
/// (so a multi-threaded task can exceed 100). `totalTicks` is the consumed compute in MHz,
/// as Nomad computes it (`percent / 100 × per-core MHz`). Only the fields named in
/// `cpuMeasuredFields` / `memoryMeasuredFields` carry real measurements.
public struct ResourceSample: Sendable, Equatable {
    public var cpuPercent: Double = 0
    public var cpuUserPercent: Double = 0
    public var cpuSystemPercent: Double = 0
    public var totalTicks: Double = 0
    public var throttledPeriods: UInt64 = 0
    /// Nanoseconds spent throttled (cgroup `throttled_usec` × 1000), cumulative.
    public var throttledTime: UInt64 = 0
    public var rssBytes: UInt64 = 0
    public var cacheBytes: UInt64 = 0
    public var swapBytes: UInt64 = 0
    public var usageBytes: UInt64 = 0
    public var maxUsageBytes: UInt64 = 0
    public var kernelUsageBytes: UInt64 = 0
    public var kernelMaxUsageBytes: UInt64 = 0
    /// Names exactly as Nomad's `CpuStats.Measured` uses them, e.g. "System Mode".
    public var cpuMeasuredFields: [String] = []
    /// Names exactly as Nomad's `MemoryStats.Measured` uses them, e.g. "RSS".
    public var memoryMeasuredFields: [String] = []
    /// Per-process figures, keyed by pid (always from /proc, even when the aggregate is
    /// from a cgroup). Empty on the per-pid entries themselves.
    public var perPid: [Int32: ResourceSample] = [:]
    /// Wall-clock time of the sample, Unix nanoseconds.
    public var timestamp: Int64 = 0

    public init() {}
}

/// The measured-field names Nomad's client understands (`plugins/drivers` proto mapping).
public enum MeasuredField {
    public static let systemMode = "System Mode"
    public static let userMode = "User Mode"
    public static let totalTicks = "Total Ticks"
    public static let throttledPeriods = "Throttled Periods"
    public static let throttledTime = "Throttled Time"
    public static let percent = "Percent"

    public static let rss = "RSS"
    public static let cache = "Cache"
    public static let swap = "Swap"
    public static let usage = "Usage"
    public static let maxUsage = "Max Usage"
    public static let kernelUsage = "Kernel Usage"
    public static let kernelMaxUsage = "Kernel Max Usage"
}
