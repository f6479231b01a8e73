import XCTest
@testable import SwiftDriver

/// The estimator alone, on synthetic curves with a fake clock (sample times are just numbers).
final class DiskFillRateEstimatorTests: XCTestCase {
    private let mib = Double(DiskUnits.mebibyte)

    /// Feeds `curve` (free MiB at second t) once a second from `from` to `to` on a 10 GiB disk;
    /// returns the estimate at `to`.
    private func run(_ estimator: inout FillRateEstimator, from: Int = 0, to: Int, _ curve: (Double) -> Double) -> FillEstimate? {
        var last: FillEstimate?
        for t in from...to {
            let free = UInt64(max(0, curve(Double(t))) * mib)
            estimator.add(availableBytes: free, capacityBytes: 10_240 * DiskUnits.mebibyte, at: .seconds(t))
            last = estimator.estimate(path: "/data", availableBytes: free, at: .seconds(t))
        }
        return last
    }

    private func estimator() -> FillRateEstimator {
        FillRateEstimator(minWindow: .seconds(60), creditWindow: .seconds(3600))
    }

    func testNoEstimateUntilTheSamplesSpanTheWindow() {
        var e = estimator()
        XCTAssertNil(run(&e, to: 59) { 5000 - $0 })
        XCTAssertNotNil(run(&e, from: 60, to: 60) { 5000 - $0 })
    }

    func testSteadyFillGivesItsRateAndTimeToFull() throws {
        var e = estimator()
        let estimate = try XCTUnwrap(run(&e, to: 300) { 5000 - $0 * 5 })  // 300 MiB/min
        XCTAssertEqual(estimate.mebibytesPerMinute, 300, accuracy: 1)
        XCTAssertEqual(try XCTUnwrap(estimate.secondsToFull), 3500.0 / 5, accuracy: 5)
        XCTAssertTrue(estimate.isFilling)
    }

    func testBurstyFillAveragesOut() throws {
        // 50 MiB in the first 5 s of every 30 s: 100 MiB/min on average.
        var e = estimator()
        let curve: (Double) -> Double = { t in
            let cycles = (t / 30).rounded(.down)
            return 6000 - cycles * 50 - min(t - cycles * 30, 5) * 10
        }
        for end in stride(from: 120, through: 600, by: 7) {
            let estimate = try XCTUnwrap(run(&e, from: end == 120 ? 0 : end - 6, to: end, curve))
            XCTAssertEqual(estimate.mebibytesPerMinute, 100, accuracy: 35, "at \(end) s")
        }
    }

    func testStableDiskIsNotFilling() throws {
        var e = estimator()
        let estimate = try XCTUnwrap(run(&e, to: 600) { _ in 5000 })
        XCTAssertFalse(estimate.isFilling)
        XCTAssertNil(estimate.secondsToFull)
    }

    func testSawtoothNetsToZeroOnceACleanupHasBeenSeen() throws {
        // 500 MiB/min for 3 minutes, then a cleanup frees the 1500 MiB: alone, a tooth says
        // "full in 5 to 8 minutes".
        var e = estimator()
        let curve: (Double) -> Double = { t in 4000 - (t.truncatingRemainder(dividingBy: 180)) * 500 / 60 }
        var withoutCredit = Double.infinity
        for t in stride(from: 200, through: 3600, by: 1) {
            guard let estimate = run(&e, from: t == 200 ? 0 : t, to: t, curve) else { continue }
            withoutCredit = min(withoutCredit, Double(estimate.availableBytes) / estimate.fillBytesPerSecond)
            // Until a cleanup is seen a tooth is a fill; after it, never full within the 10 min
            // horizon, and once the credit spans many teeth, not within 30 min either.
            if t >= 200, let seconds = estimate.secondsToFull {
                XCTAssertGreaterThan(seconds, t < 1200 ? 600 : 1800, "at \(t) s the sawtooth looked like a fill: \(estimate)")
            }
        }
        XCTAssertLessThan(withoutCredit, 600, "the teeth alone must look like a fill, or this tests nothing")
    }

    func testCleanupDoesNotHideAFasterNewFill() throws {
        // A 3 GB cleanup of old data, then a fill at 400 MiB/min: the cleanup freed nothing the
        // disk wrote meanwhile, so it earns no credit and the fill shows at its own rate.
        var e = estimator()
        _ = run(&e, to: 600) { t in t < 300 ? 3000 : 6000 }
        let estimate = try XCTUnwrap(run(&e, from: 601, to: 900) { t in 6000 - (t - 600) * 400 / 60 })
        XCTAssertEqual(estimate.mebibytesPerMinute, 400, accuracy: 5)
    }

    func testOneOffCopyStopsShowingOnceItEnds() throws {
        // 1 GB copied at 1000 MiB/min, then nothing.
        var e = estimator()
        let curve: (Double) -> Double = { t in 8000 - min(max(0, t - 100), 60) * 1000 / 60 }
        let during = try XCTUnwrap(run(&e, to: 160, curve))
        XCTAssertEqual(during.mebibytesPerMinute, 1000, accuracy: 50)
        let after = try XCTUnwrap(run(&e, from: 161, to: 240, curve))
        XCTAssertFalse(after.isFilling)
    }

    func testFillThatReversesStopsFilling() throws {
        var e = estimator()
        _ = run(&e, to: 300) { 5000 - $0 * 5 }
        let estimate = try XCTUnwrap(run(&e, from: 301, to: 420) { 3500 + ($0 - 300) * 2 })
        XCTAssertLessThan(estimate.bytesPerSecond, 0)
        XCTAssertFalse(estimate.isFilling)
    }

    func testACapacityChangeStartsOver() {
        var e = estimator()
        _ = run(&e, to: 120) { 5000 - $0 }
        e.add(availableBytes: 1000 * DiskUnits.mebibyte, capacityBytes: 20_480 * DiskUnits.mebibyte, at: .seconds(121))
        XCTAssertNil(e.estimate(path: "/data", availableBytes: 1000 * DiskUnits.mebibyte, at: .seconds(121)))
    }
}
