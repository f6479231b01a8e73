import GoPluginServer
import XCTest
@testable import SwiftDriver

final class DiskMonitorTests: XCTestCase {
    private let probe = FakeDiskProbe()
    private let clock = FakeMonitorClock()
    private let logs = LogCapture()

    private func pluginConfig(_ adjust: (inout PluginConfig) -> Void = { _ in }) -> PluginConfig {
        var config = PluginConfig(disk: testDiskConfig())
        config.disk.paths = ["/data"]
        config.eviction.interval = .seconds(30)
        config.eviction.maxGrace = .seconds(30)
        adjust(&config)
        return config
    }

    private func monitor(_ config: PluginConfig? = nil, target: FakeEvictionTarget? = nil,
                         taskUsageInterval: Duration = .seconds(10)) -> DiskMonitor {
        DiskMonitor(config: PluginConfigStore(config ?? pluginConfig()), probe: probe, clock: clock, evictionTarget: target,
                    taskUsageInterval: taskUsageInterval, logger: logs.logger)
    }

    /// Moves the fake clock to `seconds`, samples, and lets any eviction step finish.
    private func sample(_ monitor: DiskMonitor, freeMiB: UInt64, at seconds: Int64) async {
        probe.set(diskReading(freeMiB: freeMiB))
        clock.set(.seconds(seconds))
        await monitor.sample()
        await monitor.waitForEvictionIdle()
    }

    // MARK: Reports and admission

    func testFirstReportIsAvailableAtOnceToEverySubscriber() async {
        probe.set(diskReading(freeMiB: 500))
        let monitor = monitor()
        let first = await monitor.reports()
        let second = await monitor.reports()
        var a = first.makeAsyncIterator()
        var b = second.makeAsyncIterator()
        let initialA = await a.next()
        let initialB = await b.next()
        XCTAssertEqual(initialA?.health, .healthy)
        XCTAssertEqual(initialA, initialB)
        XCTAssertEqual(initialA?.healthDescription, "healthy: no disk pressure on /data")

        await sample(monitor, freeMiB: 90, at: 1)
        let changedA = await a.next()
        let changedB = await b.next()
        XCTAssertEqual(changedA?.health, .unhealthy)
        XCTAssertEqual(changedA?.attributes["driver.swift.disk.pressure"], .string("hard"))
        XCTAssertEqual(changedB, changedA)

        await monitor.stop()
        let ended = await a.next()
        XCTAssertNil(ended)
    }

    func testSubscribingAfterStopEndsAfterTheCurrentReport() async {
        probe.set(diskReading(freeMiB: 500))
        let monitor = monitor()
        await monitor.stop()
        var iterator = await monitor.reports().makeAsyncIterator()
        let current = await iterator.next()
        XCTAssertEqual(current?.health, .healthy)
        let end = await iterator.next()
        XCTAssertNil(end)
    }

    func testMeasureOnceMatchesTheMonitorsFirstReport() async {
        probe.set(diskReading(freeMiB: 42))
        let config = pluginConfig()
        let once = FingerprintBuilder.measureOnce(config: config.disk, probe: probe)
        XCTAssertEqual(once.health, .unhealthy)
        XCTAssertEqual(once.attributes["driver.swift.disk.pressure"], .string("hard"))
        let fromMonitor = await monitor(config).currentReport()
        XCTAssertEqual(once, fromMonitor)
    }

    func testLateSubscriberGetsTheCurrentReport() async {
        probe.set(diskReading(freeMiB: 500))
        let monitor = monitor()
        await sample(monitor, freeMiB: 40, at: 1)
        var late = await monitor.reports().makeAsyncIterator()
        let current = await late.next()
        XCTAssertEqual(current?.healthDescription, "disk pressure (hard) on /data: 40 MiB free (4.0%), needs 100 MiB")
        await monitor.stop()
    }

    func testAdmissionFollowsSoftGraceAndHard() async {
        probe.set(diskReading(freeMiB: 500))
        let monitor = monitor()
        var admission = await monitor.admissionError()
        XCTAssertNil(admission)
        await sample(monitor, freeMiB: 140, at: 1)
        admission = await monitor.admissionError()
        XCTAssertNil(admission, "soft within its grace still admits")
        await sample(monitor, freeMiB: 140, at: 61)
        admission = await monitor.admissionError()
        XCTAssertEqual(admission, "disk pressure (soft) on /data: 140 MiB free (14.0%), needs 150 MiB")
        await sample(monitor, freeMiB: 20, at: 62)
        admission = await monitor.admissionError()
        XCTAssertEqual(admission, "disk pressure (hard) on /data: 20 MiB free (2.0%), needs 100 MiB")
        let level = await monitor.currentLevel
        XCTAssertEqual(level, .hard)
        let report = await monitor.currentReport()
        XCTAssertEqual(report.healthDescription, admission)
    }

    func testLevelChangesLogOneInfoLineWithReadings() async {
        probe.set(diskReading(freeMiB: 500))
        let monitor = monitor()
        await sample(monitor, freeMiB: 499, at: 1)
        await sample(monitor, freeMiB: 90, at: 2)
        await sample(monitor, freeMiB: 89, at: 3)
        let info = logs.messages(at: .info).filter { $0.message == "disk pressure level changed" }
        XCTAssertEqual(info.count, 1)
        XCTAssertEqual(info.first?.metadata["level"], "hard")
        XCTAssertEqual(info.first?.metadata["from"], "none")
        guard case .dictionary(let readings)? = info.first?.metadata["readings"],
              case .dictionary(let data)? = readings["/data"] else {
            return XCTFail("readings missing from \(String(describing: info.first?.metadata))")
        }
        XCTAssertEqual(data["available_mb"], "90")
        XCTAssertEqual(logs.messages(at: .debug).filter { $0.message == "disk sample" }.count, 3)
    }

    func testUpdateConfigAppliesNewThresholdsAtOnce() async {
        probe.set(diskReading(freeMiB: 300))
        let monitor = monitor()
        var level = await monitor.currentLevel
        XCTAssertEqual(level, .none)
        await monitor.updateConfig(pluginConfig { $0.disk.hardFreePercent = 40; $0.disk.softFreePercent = 50 })
        level = await monitor.currentLevel
        XCTAssertEqual(level, .hard)
    }

    // MARK: Eviction

    func testEvictsOneVictimAtATimePacedAndStopsWhenCleared() async {
        let target = FakeEvictionTarget([
            candidate("small", usageMiB: 10),
            candidate("big", usageMiB: 400),
            candidate("medium", usageMiB: 100),
            candidate("system", usageMiB: 900, evictable: false),
        ])
        probe.set(diskReading(freeMiB: 500))
        let monitor = monitor(pluginConfig { $0.disk.transitionPeriod = .seconds(5) }, target: target)

        await sample(monitor, freeMiB: 50, at: 1)
        var evictions = await target.evictions
        XCTAssertEqual(evictions.map(\.taskID), ["big"])
        XCTAssertEqual(evictions.first?.reason, "evicted: disk pressure (hard) on /data: 50 MiB free (5.0%), needs 100 MiB")
        XCTAssertEqual(evictions.first?.grace, .seconds(30), "every victim gets eviction.max_grace")

        for t in 2...30 { await sample(monitor, freeMiB: 60, at: Int64(t)) }
        evictions = await target.evictions
        XCTAssertEqual(evictions.count, 1, "the next victim waits eviction.interval after re-measuring")

        // A SetConfig in between: the next victim's grace is read from the config now in force.
        await monitor.updateConfig(pluginConfig { $0.disk.transitionPeriod = .seconds(5); $0.eviction.maxGrace = .seconds(5) })
        await sample(monitor, freeMiB: 60, at: 31)
        evictions = await target.evictions
        XCTAssertEqual(evictions.map(\.taskID), ["big", "medium"])
        XCTAssertEqual(evictions.last?.grace, .seconds(5))

        // Space comes back: the level clears after the transition period; nothing more is evicted.
        for t in 32...100 { await sample(monitor, freeMiB: 800, at: Int64(t)) }
        let level = await monitor.currentLevel
        XCTAssertEqual(level, .none)
        evictions = await target.evictions
        XCTAssertEqual(evictions.map(\.taskID), ["big", "medium"])
    }

    func testSoftEvictsOnlyAfterGrace() async {
        let target = FakeEvictionTarget([candidate("t", usageMiB: 10)])
        probe.set(diskReading(freeMiB: 500))
        let monitor = monitor(target: target)
        for t in 1...60 { await sample(monitor, freeMiB: 140, at: Int64(t)) }
        var evictions = await target.evictions
        XCTAssertTrue(evictions.isEmpty)
        await sample(monitor, freeMiB: 140, at: 61)
        evictions = await target.evictions
        XCTAssertEqual(evictions.first?.reason.hasPrefix("evicted: disk pressure (soft) on /data: "), true)
    }

    func testNoEvictionWhenDisabledOrUnknownOrExempt() async {
        let target = FakeEvictionTarget([candidate("t", limitMB: 1, usageMiB: 10)])
        probe.set(diskReading(freeMiB: 500))
        let disabled = monitor(pluginConfig { $0.eviction.enabled = false }, target: target)
        await sample(disabled, freeMiB: 10, at: 1)
        var evictions = await target.evictions
        XCTAssertTrue(evictions.isEmpty)

        let exemptTarget = FakeEvictionTarget([candidate("sys", limitMB: 1, usageMiB: 10, evictable: false)])
        let exempt = monitor(target: exemptTarget)
        await sample(exempt, freeMiB: 10, at: 2)
        evictions = await exemptTarget.evictions
        XCTAssertTrue(evictions.isEmpty)

        let unknownTarget = FakeEvictionTarget([candidate("t", usageMiB: 10)])
        probe.set(diskReading(freeMiB: 500))
        let unknown = monitor(target: unknownTarget)
        probe.set([.reading(diskReading(freeMiB: 10)), .failure(path: "/other", message: "cannot measure disk at /other: stat failed: I/O error")])
        clock.set(.seconds(3))
        await unknown.sample()
        await unknown.waitForEvictionIdle()
        let level = await unknown.currentLevel
        XCTAssertEqual(level, .hard)
        evictions = await unknownTarget.evictions
        XCTAssertTrue(evictions.isEmpty, "never evict while a watched path is unknown")
    }

    func testTaskOverItsOwnLimitIsEvictedWithoutNodePressure() async {
        let target = FakeEvictionTarget([
            candidate("fine", limitMB: 500, usageMiB: 100),
            candidate("hog", limitMB: 500, usageMiB: 612),
        ])
        probe.set(diskReading(freeMiB: 900))
        let monitor = monitor(target: target, taskUsageInterval: .seconds(10))
        await sample(monitor, freeMiB: 900, at: 1)
        var evictions = await target.evictions
        XCTAssertEqual(evictions, [.init(taskID: "hog", reason: "evicted: disk limit exceeded: 612 MiB used of 500 MiB", grace: .seconds(30))])
        let level = await monitor.currentLevel
        XCTAssertEqual(level, .none)

        // Usage is checked every taskUsageInterval, not every sample.
        await target.setTasks([candidate("fine", limitMB: 500, usageMiB: 501)])
        let listingsBefore = await target.listings
        for t in 2...10 { await sample(monitor, freeMiB: 900, at: Int64(t)) }
        let listingsDuring = await target.listings
        XCTAssertEqual(listingsDuring, listingsBefore)
        await sample(monitor, freeMiB: 900, at: 11)
        evictions = await target.evictions
        XCTAssertEqual(evictions.map(\.taskID), ["hog", "fine"])
    }
}
