/// One sample as the `fingerprint --watch` view shows it: the report Nomad has, and the live
/// figures of every watched filesystem (which Nomad sees only quantised and rate-limited).
public struct DiskLiveStatus: Sendable, Equatable {
    /// One watched filesystem in the latest sample.
    public struct Filesystem: Sendable, Equatable {
        public var path: String
        public var availableBytes: UInt64
        public var capacityBytes: UInt64
        /// nil until the samples span `disk.predict_min_window`.
        public var estimate: FillEstimate?
    }

    /// The report most recently sent (what Nomad has now).
    public var report: FingerprintReport
    public var level: PressureLevel
    public var filesystems: [Filesystem]
    /// Paths that could not be measured, with the reason.
    public var failures: [DiskFailure]
}

extension PressureStateMachine {
    /// The live figures of the latest sample, beside `report`.
    public func liveStatus(report: FingerprintReport) -> DiskLiveStatus {
        let estimates = Dictionary(prediction.estimates.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        return DiskLiveStatus(
            report: report, level: level,
            filesystems: readings.map {
                .init(path: $0.path, availableBytes: $0.availableBytes, capacityBytes: $0.capacityBytes, estimate: estimates[$0.path])
            },
            failures: failures
        )
    }
}
