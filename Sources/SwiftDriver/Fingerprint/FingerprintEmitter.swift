import GoPluginServer

/// Decides which reports reach Nomad. Every change makes the Nomad client re-register the node
/// (a Raft write), so only health, level and stable-attribute changes go out at once; changes
/// of the description's numbers or of `unique.` attributes wait for `attribute_min_interval`
/// since the last emission. A steadily filling disk then costs at most one update per interval.
public struct FingerprintEmitter: Sendable {
    private var pacer = UpdatePacer<FingerprintReport>(minInterval: .zero, isUrgent: Self.isUrgent)

    public init(minInterval: Duration) {
        pacer.minInterval = minInterval
    }

    public var minInterval: Duration {
        get { pacer.minInterval }
        set { pacer.minInterval = newValue }
    }

    /// The report most recently emitted.
    public var lastEmitted: FingerprintReport? { pacer.lastEmitted }

    /// Offers the current report at monotonic time `now`; returns it when it should be sent.
    public mutating func offer(_ report: FingerprintReport, at now: Duration) -> FingerprintReport? {
        pacer.offer(Self.withDeletions(report, after: lastEmitted), at: now)
    }

    /// An attribute sent before and absent now is sent empty: Nomad's client keeps a node
    /// attribute the driver stops sending, and deletes it only on an empty value (the fill-rate
    /// attributes must go when the disk stops filling). Kept empty while absent, so the report
    /// stays equal to the last one sent.
    static func withDeletions(_ report: FingerprintReport, after previous: FingerprintReport?) -> FingerprintReport {
        guard let previous else { return report }
        var report = report
        for key in previous.attributes.keys where report.attributes[key] == nil {
            report.attributes[key] = .string("")
        }
        return report
    }

    /// Health, or any attribute outside `unique.` (version, paths, pressure level).
    static func isUrgent(from old: FingerprintReport, to new: FingerprintReport) -> Bool {
        if old.health != new.health { return true }
        let stableKeys = Set(old.attributes.keys).union(new.attributes.keys).filter { !$0.hasPrefix("unique.") }
        return stableKeys.contains { old.attributes[$0] != new.attributes[$0] }
    }
}
