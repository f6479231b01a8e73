import DeviceSimulation
import XCTest

/// Nomad's device allocator over many simulated nodes running the plugin's own accounting
/// (DeviceSimulation): no placement may overcommit a disk, whatever the seed. `PluginBench
/// device-sim` prints the same runs as a table, at the full size.
final class DeviceSimulationTests: XCTestCase {
    /// Small enough for a debug build, busy enough that disks fill and jobs wait.
    private func parameters(seed: UInt64) -> DeviceSimulationParameters {
        var p = DeviceSimulationParameters(seed: seed)
        p.nodes = 12
        p.ticks = 300
        p.capacityGiB = 8...200
        p.jobsPerTick = 0.8
        return p
    }

    func testNoPlacementOvercommitsADiskOverSeveralSeeds() {
        var reports: [DeviceSimulationReport] = []
        for seed: UInt64 in 1...5 {
            let report = DeviceSimulation.run(parameters(seed: seed))
            reports.append(report)
            XCTAssertEqual(report.failures, [], "seed \(seed)")
            XCTAssertEqual(report.overcommitsByPlacement, 0, "seed \(seed)")
            XCTAssertGreaterThan(report.placements, 100, "seed \(seed): the run placed too little to show anything")
        }
        print(DeviceSimulationReport.table(reports).joined(separator: "\n"))
        // The runs must be loaded for "no overcommit" to mean anything: nodes ran out of free
        // instances (jobs waited), promises reached most of the cluster, evictions and restarts happened.
        XCTAssertGreaterThan(reports.map(\.placedAfterWaiting).reduce(0, +) + reports.map(\.pendingAtEnd).reduce(0, +), 0)
        XCTAssertGreaterThan(reports.map(\.maxPromisedPercent).max() ?? 0, 75)
        XCTAssertGreaterThan(reports.map(\.evictions).reduce(0, +), 0)
        XCTAssertGreaterThan(reports.map(\.pluginCrashes).reduce(0, +), 0)
        XCTAssertGreaterThan(reports.map(\.repeatedReserves).reduce(0, +), 0)
        // Outside writers do squeeze promises; that is shown apart from the plugin's own record.
        XCTAssertGreaterThan(reports.map(\.outsideShortfallNodeTicks).reduce(0, +), 0)
    }

    /// Without outside writers nothing can squeeze a promise: no shortfall of any kind.
    func testWithoutOutsideWritersEveryPromiseIsKept() {
        var p = parameters(seed: 42)
        p.outsideWriterProbability = 0
        p.outsideBetweenSamplesProbability = 0
        let report = DeviceSimulation.run(p)
        XCTAssertEqual(report.failures, [])
        XCTAssertEqual(report.outsideShortfallNodeTicks, 0)
        XCTAssertEqual(report.placementsSqueezedByOutsideWriters, 0)
        XCTAssertGreaterThan(report.placements, 100)
    }

    func testTheSameSeedGivesTheSameRun() {
        var p = parameters(seed: 7)
        p.ticks = 120
        var other = p
        other.seed = 8
        XCTAssertEqual(DeviceSimulation.run(p), DeviceSimulation.run(p))
        XCTAssertNotEqual(DeviceSimulation.run(p), DeviceSimulation.run(other))
    }

    /// The check can fail: a gate that held back decreases like recoveries lets the scheduler
    /// place on instances the plugin already knew were gone.
    func testAGateThatHoldsBackDecreasesIsCaught() {
        var overcommits = 0
        for seed: UInt64 in 1...3 {
            var p = parameters(seed: seed)
            p.fault = .decreasesHeldBack
            overcommits += DeviceSimulation.run(p).overcommitsByPlacement
        }
        XCTAssertGreaterThan(overcommits, 0)
    }

    /// And so is accounting that forgets reserved-but-unwritten bytes (the double offer the
    /// design exists to prevent). On an otherwise empty disk the instance count alone (capacity
    /// less headroom, in units) stops it, so it shows once outside writers hold space too.
    func testIgnoringPromisesIsCaught() {
        var p = parameters(seed: 3)
        p.fault = .promisesIgnored
        p.outsideBetweenSamplesProbability = 0
        XCTAssertGreaterThan(DeviceSimulation.run(p).overcommitsByPlacement, 0)
    }
}
