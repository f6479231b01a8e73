import XCTest
@testable import SwiftDriver

final class DiskFingerprintTests: XCTestCase {
    func testDesignExampleSentence() {
        var config = DiskPressureConfig()
        config.hardFreePercent = 1
        config.hardFreeMB = 1024
        var m = PressureStateMachine(config: config)
        m.observe([.reading(diskReading(path: "/opt/nomad/data", freeMiB: 812, capacityMiB: 102_400))], at: .zero)
        XCTAssertEqual(m.pressureSentence, "disk pressure (hard) on /opt/nomad/data: 812 MiB free (0.8%), needs 1024 MiB")
        XCTAssertEqual(m.healthDescription(paths: ["/opt/nomad/data"]), m.pressureSentence)
    }

    func testNeedsTheLargerOfPercentAndMB() {
        var m = PressureStateMachine(config: testDiskConfig())
        m.observe([.reading(diskReading(freeMiB: 40))], at: .zero)
        // 10 % of 1000 MiB beats hard_free_mb = 50.
        XCTAssertEqual(m.pressureSentence, "disk pressure (hard) on /data: 40 MiB free (4.0%), needs 100 MiB")
    }

    func testSoftSentenceAndRecoveringWording() {
        var config = testDiskConfig()
        config.softGrace = .seconds(1)
        var m = PressureStateMachine(config: config)
        m.observe([.reading(diskReading(freeMiB: 140))], at: .zero)
        m.observe([.reading(diskReading(freeMiB: 140))], at: .seconds(1))
        XCTAssertEqual(m.pressureSentence, "disk pressure (soft) on /data: 140 MiB free (14.0%), needs 150 MiB")
        m.observe([.reading(diskReading(freeMiB: 180))], at: .seconds(2))
        XCTAssertEqual(
            m.pressureSentence,
            "disk pressure (soft) on /data: 180 MiB free (18.0%), needs 170 MiB for 300s to recover"
        )
    }

    func testDurationAndPercentFormatting() {
        XCTAssertEqual(formatSeconds(.seconds(300)), "300s")
        XCTAssertEqual(formatSeconds(.milliseconds(250)), "250ms")
        XCTAssertEqual(formatSeconds(.milliseconds(1500)), "1500ms")
        XCTAssertEqual(formatPercent(0.7929), "0.8%")
        XCTAssertEqual(formatPercent(43.75), "43.8%")
        XCTAssertEqual(formatPercent(100), "100.0%")
    }

    func testHealthyDescriptionIsStableAcrossFreeSpaceChanges() {
        var m = PressureStateMachine(config: testDiskConfig())
        m.observe([.reading(diskReading(freeMiB: 700))], at: .zero)
        let first = m.healthDescription(paths: ["/data"])
        m.observe([.reading(diskReading(freeMiB: 650))], at: .seconds(1))
        XCTAssertEqual(first, "healthy: no disk pressure on /data")
        XCTAssertEqual(m.healthDescription(paths: ["/data"]), first)
    }

    func testAttributesAreQuantisedUnitlessIntegers() {
        var config = testDiskConfig()
        config.attributeStepMB = 1024
        var m = PressureStateMachine(config: config)
        m.observe([
            .reading(diskReading(path: "/", device: 1, freeMiB: 90_000, capacityMiB: 100_000)),
            .reading(diskReading(path: "/opt/nomad/data", device: 2, freeMiB: 5_000, capacityMiB: 20_000,
                                 inodesFree: 333, inodesTotal: 1000)),
        ], at: .zero)
        let report = FingerprintBuilder.report(from: m, paths: ["/", "/opt/nomad/data"])
        XCTAssertEqual(report.health, .healthy)
        XCTAssertEqual(report.attributes, [
            "driver.swift.version": .string(DriverIdentity.version),
            "driver.swift.disk.paths": .string("/,/opt/nomad/data"),
            "driver.swift.disk.pressure": .string("none"),
            "unique.driver.swift.disk.available_mb": .int(4096),
            "unique.driver.swift.disk.capacity_mb": .int(20_000),
            "unique.driver.swift.disk.available_percent": .int(25),
            "unique.driver.swift.disk.inodes_free_percent": .int(33),
        ])
    }

    func testPressureAttributeFollowsLevelAndUnknownDropsNumbers() {
        var m = PressureStateMachine(config: testDiskConfig())
        m.observe([.reading(diskReading(freeMiB: 10))], at: .zero)
        XCTAssertEqual(FingerprintBuilder.attributes(from: m, paths: ["/data"])["driver.swift.disk.pressure"], .string("hard"))
        m.observe([.failure(path: "/data", message: "cannot measure disk at /data: statvfs failed: I/O error")], at: .seconds(1))
        let report = FingerprintBuilder.report(from: m, paths: ["/data"])
        XCTAssertEqual(report.health, .unhealthy)
        XCTAssertNil(report.attributes["unique.driver.swift.disk.available_mb"])
        XCTAssertEqual(report.attributes["driver.swift.disk.pressure"], .string("hard"))
    }

    func testFilesystemWithoutInodeCountHasNoInodeAttribute() {
        var m = PressureStateMachine(config: testDiskConfig())
        m.observe([.reading(diskReading(freeMiB: 500, inodesFree: 0, inodesTotal: 0))], at: .zero)
        XCTAssertEqual(m.level, .none)
        XCTAssertNil(FingerprintBuilder.attributes(from: m, paths: ["/data"])["unique.driver.swift.disk.inodes_free_percent"])
    }
}
