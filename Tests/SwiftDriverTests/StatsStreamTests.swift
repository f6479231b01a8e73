import Locking
import XCTest
@testable import SwiftDriver

final class StatsStreamTests: XCTestCase {
    func testStreamEndsWhenTheProcessExits() async throws {
        let session = try ExecSession.start(command: ["sleep", "30"], context: ExecTestSupport.context(), tty: false)
        let stream = TaskStatsStream(sampler: ProcessTreeSampler(rootPid: session.pid), interval: .milliseconds(50))
        var received = 0
        for await sample in stream {
            XCTAssertGreaterThan(sample.rssBytes, 0)
            received += 1
            if received == 2 { session.terminate() }
        }
        XCTAssertGreaterThanOrEqual(received, 2)
        _ = await ExecTestSupport.collect(session)
    }

    func testCancellingTheConsumerStopsSampling() async throws {
        let fake = CountingSampler()
        let stream = TaskStatsStream(sampler: fake, interval: .milliseconds(10))
        let consumer = Task {
            var seen = 0
            for await _ in stream { seen += 1 }
            return seen
        }
        let started = await ExecTestSupport.eventually { fake.calls >= 3 }
        XCTAssertTrue(started)
        consumer.cancel()
        let seen = await consumer.value
        XCTAssertGreaterThan(seen, 0)
        // Give a leaked loop the chance to run several more intervals, then compare.
        try await Task.sleep(for: .milliseconds(100))
        let settled = fake.calls
        try await Task.sleep(for: .milliseconds(100))
        XCTAssertEqual(fake.calls, settled, "the sampling task must stop after cancellation")
    }

    func testFakeSamplerEndingFinishesTheStream() async {
        let fake = CountingSampler(limit: 3)
        var count = 0
        for await _ in TaskStatsStream(sampler: fake, interval: .milliseconds(1)) { count += 1 }
        XCTAssertEqual(count, 3)
    }
}

private final class CountingSampler: ResourceSampling {
    private let counter = Mutex(0)
    private let limit: Int

    init(limit: Int = .max) { self.limit = limit }

    var calls: Int { counter.withLock { $0 } }

    func sample() -> ResourceSample? {
        counter.withLock { count in
            count += 1
            return count <= limit ? ResourceSample() : nil
        }
    }
}
