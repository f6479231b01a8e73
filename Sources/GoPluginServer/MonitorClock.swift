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

extension MonitorClock {
    /// Runs `tick` after every `interval()` until the task is cancelled. The interval is read
    /// anew before each sleep, so a config change applies from the next tick; it is never below
    /// 10 ms, which would spin a core.
    public func repeating(every interval: @escaping @Sendable () async -> Duration,
                          _ tick: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                do { try await sleep(for: max(await interval(), .milliseconds(10))) } catch { break }
                if Task.isCancelled { break }
                await tick()
            }
        }
    }
}
