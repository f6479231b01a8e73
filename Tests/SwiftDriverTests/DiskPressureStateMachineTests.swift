import XCTest
@testable import SwiftDriver

final class DiskPressureStateMachineTests: XCTestCase {
    private func machine(_ config: DiskPressureConfig = testDiskConfig()) -> PressureStateMachine {
        PressureStateMachine(config: config)
    }

    private func feed(_ m: inout PressureStateMachine, freeMiB: UInt64, at seconds: Int64) -> PressureTransition? {
        m.observe([.reading(diskReading(freeMiB: freeMiB))], at: .seconds(seconds))
    }

    func testStaysNoneAboveThresholdsAndIsHealthy() {
        var m = machine()
        XCTAssertEqual(m.health, .undetected)
        for t in 0..<10 { XCTAssertNil(feed(&m, freeMiB: 500, at: Int64(t))) }
        XCTAssertEqual(m.level, .none)
        XCTAssertEqual(m.health, .healthy)
        XCTAssertNil(m.pressureSentence)
    }

    func testSoftCountsOnlyAfterGrace() {
        var m = machine()
        XCTAssertNil(feed(&m, freeMiB: 140, at: 0))
        XCTAssertNil(feed(&m, freeMiB: 140, at: 59))
        XCTAssertEqual(m.level, .none)
        XCTAssertEqual(m.health, .healthy, "soft before its grace must not take the node out")
        XCTAssertEqual(feed(&m, freeMiB: 140, at: 60), PressureTransition(from: .none, to: .soft))
        XCTAssertEqual(m.health, .unhealthy)
        XCTAssertTrue(m.isUnderPressure)
    }

    func testSoftGraceRestartsWhenSignalClears() {
        var m = machine()
        _ = feed(&m, freeMiB: 140, at: 0)
        _ = feed(&m, freeMiB: 200, at: 30)
        _ = feed(&m, freeMiB: 140, at: 40)
        XCTAssertNil(feed(&m, freeMiB: 140, at: 99))
        XCTAssertEqual(m.level, .none)
        XCTAssertEqual(feed(&m, freeMiB: 140, at: 100)?.to, .soft)
    }

    func testSoftFreeMBThreshold() {
        var config = testDiskConfig()
        config.softFreePercent = 0
        config.softFreeMB = 300
        config.softGrace = .seconds(1)
        var m = machine(config)
        _ = feed(&m, freeMiB: 299, at: 0)
        XCTAssertEqual(feed(&m, freeMiB: 299, at: 1)?.to, .soft)
    }

    func testHardIsImmediateByPercent() {
        var m = machine()
        XCTAssertEqual(feed(&m, freeMiB: 99, at: 0), PressureTransition(from: .none, to: .hard))
    }

    func testHardIsImmediateByMB() {
        var config = testDiskConfig()
        config.hardFreePercent = 0
        config.softFreePercent = 0
        config.hardFreeMB = 50
        var m = machine(config)
        XCTAssertNil(feed(&m, freeMiB: 50, at: 0))
        XCTAssertEqual(feed(&m, freeMiB: 49, at: 1)?.to, .hard)
    }

    func testHardByInodes() {
        var m = machine()
        m.observe([.reading(diskReading(freeMiB: 900, inodesFree: 49, inodesTotal: 1000))], at: .zero)
        XCTAssertEqual(m.level, .hard)
        XCTAssertEqual(m.pressureSentence, "disk pressure (hard) on /data: 49 inodes free (4.9%), needs 50 inodes")
    }

    func testSoftEscalatesToHardDuringGrace() {
        var m = machine()
        _ = feed(&m, freeMiB: 140, at: 0)
        XCTAssertEqual(feed(&m, freeMiB: 90, at: 5)?.to, .hard)
    }

    func testLeavingHardNeedsMinReclaimAndTransitionPeriod() {
        var m = machine()
        _ = feed(&m, freeMiB: 90, at: 0)
        // Above the 10 % threshold but inside the 2 % reclaim margin: never recovers.
        for t in stride(from: 1, through: 1000, by: 50) { XCTAssertNil(feed(&m, freeMiB: 115, at: Int64(t))) }
        XCTAssertEqual(m.level, .hard)
        // Clear of hard with margin, still in the soft zone: drops to soft after the period.
        XCTAssertNil(feed(&m, freeMiB: 125, at: 2000))
        XCTAssertNil(feed(&m, freeMiB: 125, at: 2299))
        XCTAssertEqual(feed(&m, freeMiB: 125, at: 2300), PressureTransition(from: .hard, to: .soft))
        // Above 15 % but inside the margin of soft: stays soft.
        for t in stride(from: 2301, through: 4000, by: 100) { XCTAssertNil(feed(&m, freeMiB: 160, at: Int64(t))) }
        XCTAssertEqual(m.level, .soft)
        XCTAssertNil(feed(&m, freeMiB: 171, at: 5000))
        XCTAssertNil(feed(&m, freeMiB: 171, at: 5299))
        XCTAssertEqual(feed(&m, freeMiB: 171, at: 5300), PressureTransition(from: .soft, to: .none))
        XCTAssertEqual(m.health, .healthy)
    }

    func testHardGoesStraightToNoneWhenFullyRecovered() {
        var m = machine()
        _ = feed(&m, freeMiB: 10, at: 0)
        _ = feed(&m, freeMiB: 800, at: 1)
        XCTAssertNil(feed(&m, freeMiB: 800, at: 300))
        XCTAssertEqual(feed(&m, freeMiB: 800, at: 301)?.to, PressureLevel.none)
    }

    func testTransitionPeriodRestartsOnRelapse() {
        var m = machine()
        _ = feed(&m, freeMiB: 90, at: 0)
        _ = feed(&m, freeMiB: 500, at: 10)
        _ = feed(&m, freeMiB: 95, at: 200)  // relapse resets the clock
        _ = feed(&m, freeMiB: 500, at: 201)
        XCTAssertNil(feed(&m, freeMiB: 500, at: 400))
        XCTAssertEqual(m.level, .hard)
        XCTAssertEqual(feed(&m, freeMiB: 500, at: 501)?.to, PressureLevel.none)
    }

    func testUnknownReadingIsUnhealthyButNeverRaisesTheLevel() {
        var m = machine()
        m.observe([.failure(path: "/data", message: "cannot measure disk at /data: statvfs failed: I/O error")], at: .zero)
        XCTAssertEqual(m.level, .none)
        XCTAssertTrue(m.isUnknown)
        XCTAssertFalse(m.isUnderPressure)
        XCTAssertEqual(m.health, .unhealthy)
        XCTAssertEqual(m.healthDescription(paths: ["/data"]), "cannot measure disk at /data: statvfs failed: I/O error")
        _ = feed(&m, freeMiB: 500, at: 1)
        XCTAssertEqual(m.health, .healthy)
    }

    func testUnknownFreezesRecovery() {
        var m = machine()
        _ = feed(&m, freeMiB: 90, at: 0)
        _ = feed(&m, freeMiB: 500, at: 1)
        m.observe([.failure(path: "/data", message: "gone")], at: .seconds(100))
        _ = feed(&m, freeMiB: 500, at: 101)
        XCTAssertNil(feed(&m, freeMiB: 500, at: 400), "recovery must restart after an unknown sample")
        XCTAssertEqual(m.level, .hard)
        XCTAssertEqual(m.pressureSentence?.hasPrefix("disk pressure (hard) on /data: 500 MiB free"), true)
        XCTAssertEqual(feed(&m, freeMiB: 500, at: 401)?.to, PressureLevel.none)
    }

    func testWorstFilesystemWins() {
        var m = machine()
        m.observe([
            .reading(diskReading(path: "/", device: 1, freeMiB: 800)),
            .reading(diskReading(path: "/opt/nomad/data", device: 2, freeMiB: 80)),
        ], at: .zero)
        XCTAssertEqual(m.level, .hard)
        XCTAssertEqual(m.worstReading?.path, "/opt/nomad/data")
        XCTAssertEqual(m.pressureSentence?.hasPrefix("disk pressure (hard) on /opt/nomad/data: 80 MiB free"), true)
    }

    func testPartialFailureIsUnhealthyWhileOtherPathStillCounts() {
        var m = machine()
        m.observe([
            .reading(diskReading(path: "/", freeMiB: 50)),
            .failure(path: "/mnt/x", message: "cannot measure disk at /mnt/x: stat failed: No such file or directory"),
        ], at: .zero)
        XCTAssertEqual(m.level, .hard)
        XCTAssertTrue(m.isUnknown)
        XCTAssertEqual(m.health, .unhealthy)
    }
}
