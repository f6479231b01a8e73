import PressureSimulation
import XCTest
@testable import SwiftDriver

/// The published figures, as checks: the real DiskMonitor on simulated disks and a simulated
/// clock (`bench/run` prints the same figures as tables).
final class DiskPredictionFigureTests: XCTestCase {
    /// Goal 0: no predictive alarm on any sawtooth that never fills. Six hours here, so the
    /// sanitizer runs stay short; `scripts/test` runs the full day through `PluginBench predict`.
    func testNoFalseAlarmsOverSixHoursOfSawtooth() async {
        for result in await PredictionFigures.falseAlarms(hours: 6) {
            XCTAssertEqual(result.day.predictiveAlarms, 0, "\(result.curve): \(result.day)")
            XCTAssertEqual(result.day.evictions, 0, "\(result.curve)")
        }
    }

    /// Fast enough fills (where "full within 10 min" comes before the hard threshold): the
    /// driver turns Unhealthy and evicts at the predictive level while free space is above
    /// the hard threshold. Slower fills reach the soft threshold first, which also evicts
    /// before the hard one.
    func testLeadTimeOfSteadyFills() async throws {
        let hardFreeMiB = PredictionFigures.leadCapacityMiB * 0.10
        for run in await PredictionFigures.leadTimes() {
            let hard = try XCTUnwrap(run.hardAt, run.curve)
            let unhealthy = try XCTUnwrap(run.unhealthyAt, run.curve)
            let eviction = try XCTUnwrap(run.firstEvictionAt, run.curve)
            XCTAssertLessThan(unhealthy, hard, run.curve)
            XCTAssertLessThan(eviction, hard, run.curve)
            XCTAssertGreaterThan(try XCTUnwrap(run.freeAtFirstEvictionMiB), hardFreeMiB, run.curve)
        }
        let fast = await PredictionFigures.leadTimes(rates: [1200])[0]
        XCTAssertTrue(fast.firstEvictionReason?.hasPrefix("evicted: disk filling at") ?? false, "\(fast)")
        XCTAssertGreaterThan(try XCTUnwrap(fast.hardAt) - (try XCTUnwrap(fast.firstEvictionAt)), 300, "lead time")
    }
}
