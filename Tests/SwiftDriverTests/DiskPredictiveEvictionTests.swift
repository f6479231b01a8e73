import GoPluginServer
import XCTest
@testable import SwiftDriver

/// Eviction at the predictive level through the monitor, with a fake clock, probe and task store.
final class DiskPredictiveEvictionTests: XCTestCase {
    private let probe = FakeDiskProbe()
    private let clock = FakeMonitorClock()
    private let logs = LogCapture()

    private func monitor(target: FakeEvictionTarget, _ adjust: (inout PluginConfig) -> Void = { _ in }) -> DiskMonitor {
        var config = PluginConfig(disk: testDiskConfig())
        config.disk.paths = ["/data"]
        config.eviction.interval = .seconds(30)
        adjust(&config)
        probe.set(diskReading(freeMiB: 800))
        return DiskMonitor(config: PluginConfigStore(config), probe: probe, clock: clock, evictionTarget: target,
                           taskUsageInterval: .seconds(3600), logger: logs.logger)
    }

    private func tasks() -> FakeEvictionTarget {
        FakeEvictionTarget([candidate("a", usageMiB: 30), candidate("b", usageMiB: 20), candidate("c", usageMiB: 10)])
    }

    /// Samples once a second over `range` on `curve`, letting each eviction step finish.
    private func run(_ monitor: DiskMonitor, _ range: ClosedRange<Int>, _ curve: (Double) -> Double) async {
        for t in range {
            probe.set(diskReading(freeMiB: UInt64(max(0, curve(Double(t))))))
            clock.set(.seconds(t))
            await monitor.sample()
            await monitor.waitForEvictionIdle()
        }
    }

    /// 800 MiB free, then 60 MiB/min from t = 100: predicted at t = 361 with 539 MiB free.
    private let steady: (Double) -> Double = { t in 800 - max(0, t - 100) }

    func testEvictsOneTaskAtATimeBeforeTheHardThreshold() async {
        let target = tasks()
        let monitor = monitor(target: target)
        await run(monitor, 0...361, steady)
        var evictions = await target.evictions
        XCTAssertEqual(evictions.map(\.taskID), ["a"], "the largest first, at once")
        XCTAssertEqual(evictions.first?.reason, "evicted: disk filling at 60 MiB/min on /data: full in about 9 min")
        XCTAssertEqual(evictions.first?.grace, .seconds(30))
        let admission = await monitor.admissionError()
        XCTAssertEqual(admission, "disk filling at 60 MiB/min on /data: full in about 9 min")

        // Still filling: the next one after a whole window measured since (max(interval, window)).
        await run(monitor, 362...420, steady)
        evictions = await target.evictions
        XCTAssertEqual(evictions.count, 1)
        await run(monitor, 421...422, steady)
        evictions = await target.evictions
        XCTAssertEqual(evictions.map(\.taskID), ["a", "b"])
    }

    func testNoMoreEvictionsOnceTheFillStops() async {
        let target = tasks()
        let monitor = monitor(target: target)
        await run(monitor, 0...361, steady)
        // The evicted task was the filler: free space holds at 539 MiB.
        await run(monitor, 362...600) { _ in 539 }
        let evictions = await target.evictions
        XCTAssertEqual(evictions.map(\.taskID), ["a"])
        let level = await monitor.currentLevel
        XCTAssertEqual(level, .predicted, "recovery waits the transition period")
        await run(monitor, 601...1000) { _ in 539 }
        let recovered = await monitor.currentLevel
        XCTAssertEqual(recovered, .none)
    }

    func testPredictiveOffStillTurnsUnhealthyButEvictsNothing() async {
        let target = tasks()
        let monitor = monitor(target: target) { $0.eviction.predictive = false }
        await run(monitor, 0...500, steady)
        let evictions = await target.evictions
        XCTAssertTrue(evictions.isEmpty)
        let report = await monitor.currentReport()
        XCTAssertEqual(report.health, .unhealthy)
        XCTAssertEqual(report.attributes[DiskAttributeName.pressure], .string("predicted"))
    }

    func testFillRateAttributesAreRateLimitedLikeTheOthers() async {
        let target = tasks()
        let monitor = monitor(target: target)
        await run(monitor, 0...200, steady)
        // The first filling report waits for attribute_min_interval (60 s) since the last one.
        var report = await monitor.currentReport()
        let emittedRate = report.attributes[DiskAttributeName.fillRateMBPerMin]
        await run(monitor, 201...201, steady)
        report = await monitor.currentReport()
        XCTAssertEqual(report.attributes[DiskAttributeName.fillRateMBPerMin], emittedRate, "no change within a second")
        await run(monitor, 202...300, steady)
        report = await monitor.currentReport()
        XCTAssertEqual(report.attributes[DiskAttributeName.fillRateMBPerMin], .int(60))
        XCTAssertNotNil(report.attributes[DiskAttributeName.secondsToFull])

        // The fill stops: Nomad deletes a node attribute only when it is sent empty.
        await run(monitor, 301...500) { _ in 600 }
        report = await monitor.currentReport()
        XCTAssertEqual(report.attributes[DiskAttributeName.fillRateMBPerMin], .string(""))
        XCTAssertEqual(report.attributes[DiskAttributeName.secondsToFull], .string(""))
    }
}

/// The emitter's deletions: Nomad keeps an attribute the driver stops sending.
final class DiskAttributeDeletionTests: XCTestCase {
    func testAnAttributeThatDisappearsIsSentEmptyAndStaysSo() {
        var emitter = FingerprintEmitter(minInterval: .seconds(60))
        let filling = FingerprintReport(health: .healthy, healthDescription: "h",
                                        attributes: ["a": .int(1), DiskAttributeName.fillRateMBPerMin: .int(60)])
        let stopped = FingerprintReport(health: .healthy, healthDescription: "h", attributes: ["a": .int(1)])
        XCTAssertEqual(emitter.offer(filling, at: .zero), filling)
        XCTAssertNil(emitter.offer(stopped, at: .seconds(1)), "rate-limited like any unique. change")
        let sent = emitter.offer(stopped, at: .seconds(60))
        XCTAssertEqual(sent?.attributes[DiskAttributeName.fillRateMBPerMin], .string(""))
        XCTAssertNil(emitter.offer(stopped, at: .seconds(200)), "no further change while it stays absent")
    }

    func testNothingIsAddedBeforeAnAttributeWasEverSent() {
        var emitter = FingerprintEmitter(minInterval: .seconds(60))
        let report = FingerprintReport(health: .healthy, healthDescription: "h", attributes: ["a": .int(1)])
        XCTAssertEqual(emitter.offer(report, at: .zero), report)
    }
}
