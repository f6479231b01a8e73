/// Monotonic time and sleeping for the disk monitor; tests inject a fake.
public protocol MonitorClock: Sendable {
    /// Time since a fixed start; never goes backwards.
    func now() -> Duration
    func sleep(for duration: Duration) async throws
}

/// The real clock: `ContinuousClock`, measured from when this value was made.
public struct ContinuousMonitorClock: MonitorClock {
    private let start: ContinuousClock.Instant

    public init() { start = ContinuousClock.now }

    public func now() -> Duration { ContinuousClock.now - start }

    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
