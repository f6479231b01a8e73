/// Samples a task at a fixed interval as an `AsyncStream`.
///
/// The stream yields one sample immediately, then one per interval, and finishes when the
/// sampler returns nil (the task's processes are gone). Cancelling the consuming task or
/// dropping the stream stops the sampling task at once; no task outlives the stream.
public struct TaskStatsStream: Sendable {
    public let sampler: any ResourceSampling
    public let interval: Duration

    public init(sampler: any ResourceSampling, interval: Duration) {
        self.sampler = sampler
        // A zero or negative interval would spin; Nomad sends 1 s by default.
        self.interval = interval > .zero ? interval : .seconds(1)
    }

    /// A new stream; each call starts its own sampling loop.
    public func samples() -> AsyncStream<ResourceSample> {
        let sampler = self.sampler
        let interval = self.interval
        return AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let task = Task {
                let clock = ContinuousClock()
                var deadline = clock.now
                while !Task.isCancelled {
                    guard let sample = sampler.sample() else { break }
                    continuation.yield(sample)
                    deadline = deadline.advanced(by: interval)
                    // Fixed-rate schedule; after a long stall restart from now instead of bursting.
                    if deadline < clock.now { deadline = clock.now.advanced(by: interval) }
                    do { try await Task.sleep(until: deadline, clock: clock) } catch { break }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

extension TaskStatsStream: AsyncSequence {
    public typealias Element = ResourceSample

    public func makeAsyncIterator() -> AsyncStream<ResourceSample>.Iterator {
        samples().makeAsyncIterator()
    }
}
