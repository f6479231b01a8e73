import XCTest
@testable import SwiftDriver

final class DiskFingerprintEmitterTests: XCTestCase {
    private func report(_ health: DriverHealth = .healthy, description: String = "healthy", pressure: String = "none", availableMB: Int64 = 100) -> FingerprintReport {
        FingerprintReport(health: health, healthDescription: description, attributes: [
            "driver.swift.disk.pressure": .string(pressure),
            "unique.driver.swift.disk.available_mb": .int(availableMB),
        ])
    }

    func testFirstReportGoesOutAndRepeatsDoNot() {
        var emitter = FingerprintEmitter(minInterval: .seconds(60))
        XCTAssertEqual(emitter.offer(report(), at: .zero), report())
        XCTAssertNil(emitter.offer(report(), at: .seconds(1)))
        XCTAssertNil(emitter.offer(report(), at: .seconds(600)))
    }

    func testUniqueAttributeChangesWaitForTheInterval() {
        var emitter = FingerprintEmitter(minInterval: .seconds(60))
        _ = emitter.offer(report(availableMB: 100), at: .zero)
        XCTAssertNil(emitter.offer(report(availableMB: 90), at: .seconds(10)))
        XCTAssertNil(emitter.offer(report(availableMB: 80), at: .seconds(59)))
        XCTAssertEqual(emitter.offer(report(availableMB: 70), at: .seconds(60)), report(availableMB: 70))
        XCTAssertNil(emitter.offer(report(availableMB: 60), at: .seconds(61)))
    }

    func testDescriptionOnlyChangeIsRateLimited() {
        var emitter = FingerprintEmitter(minInterval: .seconds(60))
        _ = emitter.offer(report(.unhealthy, description: "a", pressure: "hard"), at: .zero)
        XCTAssertNil(emitter.offer(report(.unhealthy, description: "b", pressure: "hard"), at: .seconds(5)))
    }

    func testHealthAndLevelChangesGoOutAtOnce() {
        var emitter = FingerprintEmitter(minInterval: .seconds(60))
        _ = emitter.offer(report(), at: .zero)
        let soft = report(.unhealthy, description: "soft", pressure: "soft")
        XCTAssertEqual(emitter.offer(soft, at: .seconds(1)), soft)
        let hard = report(.unhealthy, description: "hard", pressure: "hard")
        XCTAssertEqual(emitter.offer(hard, at: .seconds(2)), hard)
        XCTAssertEqual(emitter.offer(report(), at: .seconds(3)), report())
    }

    /// The churn target: a disk filling at a steady rate for two minutes, sampled every second,
    /// produces at most one fingerprint change per minute.
    func testSteadyFillChurn() {
        var config = DiskPressureConfig()  // defaults: 1024 MiB step, 60 s interval
        config.softGrace = .seconds(60)
        var state = PressureStateMachine(config: config)
        var emitter = FingerprintEmitter(minInterval: config.attributeMinInterval)
        let capacity: UInt64 = 100 * 1024  // MiB
        var free: UInt64 = 40 * 1024
        var changes = 0
        var distinctReports = Set<String>()
        let printer = FingerprintPrinter()
        for second in 0...120 {
            state.observe([.reading(diskReading(path: "/", freeMiB: free, capacityMiB: capacity,
                                                inodesFree: 1_000_000 - UInt64(second) * 100, inodesTotal: 1_000_000))],
                          at: .seconds(second))
            let report = FingerprintBuilder.report(from: state, paths: ["/"])
            distinctReports.insert(printer.renderJSON(report))
            if emitter.offer(report, at: .seconds(second)) != nil, second > 0 { changes += 1 }
            free -= 200  // 200 MiB/s: 24 GiB over two minutes
        }
        XCTAssertGreaterThan(distinctReports.count, 10, "the fill must really move the attributes")
        XCTAssertLessThanOrEqual(changes, 2)
        XCTAssertGreaterThanOrEqual(changes, 1, "attribute changes must still reach Nomad eventually")
    }

    /// Crossing into pressure adds exactly the level changes, not a change per sample.
    func testFillIntoPressureOnlyAddsLevelChanges() {
        var config = DiskPressureConfig()
        config.softGrace = .seconds(10)
        var state = PressureStateMachine(config: config)
        var emitter = FingerprintEmitter(minInterval: config.attributeMinInterval)
        var free: UInt64 = 20 * 1024
        var urgent = 0
        var total = 0
        var previous: FingerprintReport?
        for second in 0...120 {
            state.observe([.reading(diskReading(path: "/", freeMiB: free, capacityMiB: 100 * 1024))], at: .seconds(second))
            let report = FingerprintBuilder.report(from: state, paths: ["/"])
            if let sent = emitter.offer(report, at: .seconds(second)), second > 0 {
                total += 1
                if let previous, FingerprintEmitter.isUrgent(from: previous, to: sent) { urgent += 1 }
            }
            previous = emitter.lastEmitted
            free -= 100
        }
        XCTAssertEqual(state.level, .hard)
        XCTAssertEqual(urgent, 2, "none→soft and soft→hard")
        XCTAssertLessThanOrEqual(total - urgent, 2)
    }
}
