import Foundation
import Glibc
import Logging
import XCTest
@testable import SwiftDriver

/// The real thing on a real filesystem: a 64 MiB tmpfs this test mounts, filled with fallocate.
final class DiskTmpfsIntegrationTests: XCTestCase {
    private var mountPoint: String?

    override func setUpWithError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("disk-tmpfs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard mount("tmpfs", dir, "tmpfs", 0, "size=64m") == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: dir)
            throw XCTSkip("cannot mount a 64 MiB tmpfs at \(dir) (\(reason)); run as root with mount permission for the disk integration test")
        }
        mountPoint = dir
    }

    override func tearDownWithError() throws {
        guard let dir = mountPoint else { return }
        if umount2(dir, Int32(MNT_DETACH)) != 0 {
            XCTFail("cannot unmount \(dir): \(String(cString: strerror(errno)))")
        }
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func allocate(_ name: String, mib: Int) throws {
        let path = (try XCTUnwrap(mountPoint)) + "/" + name
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        // The tmpfs is ours and mounted: a file that cannot be made there is a failure, not a skip.
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let result = posix_fallocate(fd, 0, off_t(mib) * off_t(DiskUnits.mebibyte))
        XCTAssertEqual(result, 0, "posix_fallocate of \(mib) MiB failed: \(String(cString: strerror(result)))")
    }

    /// Subscribes afresh and waits for the first report matching `predicate`.
    private func waitForReport(
        _ monitor: DiskMonitor, within timeout: Duration, where predicate: @escaping @Sendable (FingerprintReport) -> Bool
    ) async -> FingerprintReport? {
        let stream = await monitor.reports()
        return await withTaskGroup(of: FingerprintReport?.self) { group in
            group.addTask {
                for await report in stream where predicate(report) { return report }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    func testFillPastSoftAndHardThenRecover() async throws {
        let dir = try XCTUnwrap(mountPoint)
        var config = PluginConfig()
        config.disk.paths = [dir]
        config.disk.interval = .milliseconds(100)
        config.disk.softFreePercent = 0
        config.disk.softFreeMB = 32
        config.disk.softGrace = .milliseconds(300)
        config.disk.hardFreePercent = 0
        config.disk.hardFreeMB = 16
        config.disk.minReclaimPercent = 2
        config.disk.transitionPeriod = .seconds(1)
        config.disk.attributeStepMB = 1
        config.eviction.interval = .seconds(30)
        config.eviction.maxGrace = .seconds(2)
        let target = FakeEvictionTarget([candidate("victim", usageMiB: 1)])
        let monitor = DiskMonitor(config: PluginConfigStore(config), evictionTarget: target, logger: Logger(label: "disk-tmpfs-test"))
        await monitor.start()

        let initial = await monitor.currentReport()
        XCTAssertEqual(initial.health, .healthy)
        XCTAssertEqual(initial.attributes["unique.driver.swift.disk.capacity_mb"], .int(64))
        XCTAssertEqual(initial.attributes["driver.swift.disk.paths"], .string(dir))

        // 36 MiB used leaves 28 MiB free: below soft_free_mb = 32.
        try allocate("soft", mib: 36)
        let soft = await waitForReport(monitor, within: .seconds(2)) { $0.health == .unhealthy }
        XCTAssertEqual(soft?.healthDescription, "disk pressure (soft) on \(dir): 28 MiB free (43.8%), needs 32 MiB")
        XCTAssertEqual(soft?.attributes["driver.swift.disk.pressure"], .string("soft"))
        XCTAssertEqual(soft?.attributes["unique.driver.swift.disk.available_mb"], .int(28))
        let softAdmission = await monitor.admissionError()
        XCTAssertEqual(softAdmission, soft?.healthDescription)

        // 16 MiB more leaves 12 MiB: below hard_free_mb = 16, immediately.
        try allocate("hard", mib: 16)
        let hard = await waitForReport(monitor, within: .seconds(2)) {
            $0.attributes["driver.swift.disk.pressure"] == .string("hard")
        }
        XCTAssertEqual(hard?.health, .unhealthy)
        XCTAssertEqual(hard?.healthDescription, "disk pressure (hard) on \(dir): 12 MiB free (18.8%), needs 16 MiB")
        await monitor.waitForEvictionIdle()
        let evictions = await target.evictions
        XCTAssertEqual(evictions.map(\.taskID), ["victim"])
        XCTAssertEqual(evictions.first?.reason.hasPrefix("evicted: disk pressure ("), true)
        XCTAssertEqual(evictions.first?.grace, .seconds(2))

        // Free everything: healthy again, but only after the transition period.
        let freedAt = ContinuousClock.now
        XCTAssertEqual(unlink(dir + "/soft"), 0)
        XCTAssertEqual(unlink(dir + "/hard"), 0)
        let healthy = await waitForReport(monitor, within: .seconds(5)) { $0.health == .healthy }
        let recoveredAfter = ContinuousClock.now - freedAt
        XCTAssertEqual(healthy?.attributes["driver.swift.disk.pressure"], .string("none"))
        XCTAssertEqual(healthy?.healthDescription, "healthy: no disk pressure on \(dir)")
        XCTAssertGreaterThanOrEqual(recoveredAfter, config.disk.transitionPeriod, "recovered before the transition period")
        let admission = await monitor.admissionError()
        XCTAssertNil(admission)
        await monitor.stop()
    }

    func testAllocDirOnUnwatchedFilesystemIsWarnedOnce() async throws {
        let dir = try XCTUnwrap(mountPoint)
        let logs = LogCapture()
        var config = PluginConfig()
        config.disk.paths = [FileManager.default.temporaryDirectory.path]
        let monitor = DiskMonitor(config: PluginConfigStore(config), logger: logs.logger)
        await monitor.noteAllocDir(FileManager.default.temporaryDirectory.path)
        XCTAssertTrue(logs.messages(at: .warning).isEmpty, "a watched filesystem needs no warning")
        await monitor.noteAllocDir(dir)
        await monitor.noteAllocDir(dir)
        XCTAssertEqual(logs.messages(at: .warning).count, 1)
        await monitor.stop()
    }

    func testStatvfsProbeMeasuresSameFilesystemOnce() throws {
        let dir = try XCTUnwrap(mountPoint)
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try allocate("f", mib: 8)
        let results = StatvfsProbe().measure(paths: [dir, dir + "/sub", dir + "/missing"])
        XCTAssertEqual(results.count, 2)
        guard case .reading(let reading) = results.first else { return XCTFail("no reading: \(results)") }
        XCTAssertEqual(reading.path, dir)
        XCTAssertEqual(reading.capacityBytes, 64 * DiskUnits.mebibyte)
        XCTAssertEqual(reading.availableBytes, 56 * DiskUnits.mebibyte)
        XCTAssertGreaterThan(reading.inodesTotal, 0)
        XCTAssertEqual(results.last, .failure(path: dir + "/missing",
                                             message: "cannot measure disk at \(dir)/missing: stat failed: No such file or directory"))
    }
}
