import XCTest
@testable import SwiftDriver

/// The predictive level in the state machine: entry after `predict_min_window`, the sentence,
/// the attributes, recovery with hysteresis and transition period. Fake time throughout.
final class DiskPredictiveLevelTests: XCTestCase {
    /// 1000 MiB disk (hard below 100 MiB, soft below 150 MiB after 60 s), horizon 10 min,
    /// window 60 s, transition period 300 s.
    private func machine(_ adjust: (inout DiskPressureConfig) -> Void = { _ in }) -> PressureStateMachine {
        var config = testDiskConfig()
        adjust(&config)
        return PressureStateMachine(config: config)
    }

    /// Feeds `curve` once a second over `range`; returns the transitions with their times.
    @discardableResult
    private func feed(_ m: inout PressureStateMachine, _ range: ClosedRange<Int>, _ curve: (Double) -> Double) -> [(Int, PressureTransition)] {
        var transitions: [(Int, PressureTransition)] = []
        for t in range {
            let free = UInt64(max(0, curve(Double(t))).rounded())
            if let change = m.observe([.reading(diskReading(freeMiB: free))], at: .seconds(t)) { transitions.append((t, change)) }
        }
        return transitions
    }

    /// 800 MiB free, then 60 MiB/min from t = 100: "full within 10 min" from 600 MiB free (t = 300).
    private let steady: (Double) -> Double = { t in 800 - max(0, t - 100) }

    func testSteadyFillTurnsPredictedAfterTheTrendHeldForTheWindow() {
        var m = machine()
        let transitions = feed(&m, 0...400, steady)
        XCTAssertEqual(transitions.count, 1)
        let (at, change) = transitions[0]
        XCTAssertEqual(change, PressureTransition(from: .none, to: .predicted))
        XCTAssertEqual(at, 361, "predicted full within 10 min from t = 301 (600 MiB free is exactly 10 min), held 60 s")
        XCTAssertEqual(m.health, .unhealthy)
        XCTAssertTrue(m.isUnderPressure)
        XCTAssertFalse(m.isOverThreshold)
        XCTAssertEqual(m.pressureSentence, "disk filling at 60 MiB/min on /data: full in about 8 min")
    }

    func testAttributesOnlyWhileFillingQuantisedToTwoDigits() {
        var m = machine()
        feed(&m, 0...99, steady)
        var attributes = FingerprintBuilder.attributes(from: m, paths: ["/data"])
        XCTAssertNil(attributes[DiskAttributeName.fillRateMBPerMin], "a stable disk has no entry")
        XCTAssertNil(attributes[DiskAttributeName.secondsToFull])
        feed(&m, 100...230, steady)  // 670 MiB free at 60 MiB/min: 670 s
        attributes = FingerprintBuilder.attributes(from: m, paths: ["/data"])
        XCTAssertEqual(attributes[DiskAttributeName.fillRateMBPerMin], .int(60))
        XCTAssertEqual(attributes[DiskAttributeName.secondsToFull], .int(670))
        XCTAssertEqual(attributes[DiskAttributeName.pressure], .string("none"))
    }

    func testTwoSignificantDigits() {
        XCTAssertEqual(FingerprintBuilder.twoSignificantDigits(312.7), 310)
        XCTAssertEqual(FingerprintBuilder.twoSignificantDigits(6.9), 6)
        XCTAssertEqual(FingerprintBuilder.twoSignificantDigits(48_213), 48_000)
        XCTAssertEqual(FingerprintBuilder.twoSignificantDigits(0.5), 0)
    }

    func testBurstyFillIsPredictedToo() {
        // 30 MiB in the first 3 s of every 30 s: 60 MiB/min on average, from t = 100.
        var m = machine()
        let transitions = feed(&m, 0...600) { t in
            let e = max(0, t - 100)
            let cycles = (e / 30).rounded(.down)
            return 800 - cycles * 30 - min(e - cycles * 30, 3) * 10
        }
        // The regression wobbles with the bursts' phase, which can restart the window while the
        // prediction is borderline; it holds well before the thresholds (soft at 150 MiB free).
        XCTAssertEqual(transitions.first?.1.to, .predicted)
        XCTAssertGreaterThanOrEqual(transitions.first?.0 ?? 0, 361)
        XCTAssertLessThanOrEqual(transitions.first?.0 ?? .max, 500)
    }

    func testLogRotationSawtoothNeverAlarmsOnceACleanupWasSeen() {
        // A cache writing 100 MiB/min, cleaned every 3 minutes: alone, each tooth says "full in
        // 4 to 7 minutes". The first tooth of a cold start is a fill as far as anyone can know,
        // so counting starts after the first cleanup plus the recovery it allows.
        var m = machine()
        let sawtooth: (Double) -> Double = { t in 700 - t.truncatingRemainder(dividingBy: 180) * 100 / 60 }
        feed(&m, 0...900, sawtooth)
        XCTAssertEqual(m.level, .none)
        let later = feed(&m, 901...(6 * 3600), sawtooth)
        XCTAssertTrue(later.isEmpty, "alarms on a sawtooth: \(later)")
    }

    func testOneOffCopyThatStopsDoesNotAlarm() {
        // 200 MiB copied at 400 MiB/min (30 s) onto 700 MiB free: shorter than the window.
        var m = machine()
        let transitions = feed(&m, 0...900) { t in 700 - min(max(0, t - 200), 30) * 400 / 60 }
        XCTAssertTrue(transitions.isEmpty, "\(transitions)")
    }

    func testCopyHeadingForFullAlarmsWhileItLasts() {
        // The same copy going on (400 MiB/min onto 700 MiB free): full in under 2 minutes.
        var m = machine()
        let transitions = feed(&m, 0...290) { t in 700 - max(0, t - 200) * 400 / 60 }
        XCTAssertEqual(transitions.first?.1.to, .predicted)
        XCTAssertLessThanOrEqual(transitions.first?.0 ?? .max, 280, "within the window and its hold after the start")
    }

    func testFillThatReversesRecoversAfterTheTransitionPeriod() {
        var m = machine()
        feed(&m, 0...400, steady)  // predicted at 360, 500 MiB free at 400
        XCTAssertEqual(m.level, .predicted)
        // The job stops at 400 and deletes 10 MiB/min of what it wrote.
        let after: (Double) -> Double = { t in t <= 400 ? 800 - (t - 100) : 500 + (t - 400) / 6 }
        let transitions = feed(&m, 401...1000, after)
        XCTAssertEqual(transitions.count, 1)
        let (at, change) = transitions[0]
        XCTAssertEqual(change, PressureTransition(from: .predicted, to: .none))
        // Clear once the regression stops showing 50 + MiB/min (well within a window), then 300 s.
        XCTAssertGreaterThanOrEqual(at, 400 + 300)
        XCTAssertLessThanOrEqual(at, 400 + 60 + 300)
        XCTAssertEqual(m.health, .healthy)
    }

    func testRecoverySentenceSaysWhatItWaitsFor() {
        var m = machine()
        feed(&m, 0...400, steady)
        feed(&m, 401...500) { _ in 500 }
        XCTAssertEqual(m.level, .predicted)
        XCTAssertEqual(m.pressureSentence, "disk no longer filling on /data: needs to stay clear for 300s to recover")
    }

    func testRecoveryNeedsTheMargin() {
        // After the prediction, free space decays exponentially: time to full stays constant.
        // About 10 min (within min_reclaim_percent, 20 MiB, of the horizon): the level holds.
        var m = machine()
        feed(&m, 0...400, steady)
        feed(&m, 401...1000) { t in 500 * exp(-(t - 400) / 610) }
        XCTAssertEqual(m.level, .predicted)
        // About 15 min, clear of the horizon by far more than the margin: recovery after 300 s.
        var n = machine()
        feed(&n, 0...400, steady)
        let transitions = feed(&n, 401...1000) { t in 500 * exp(-(t - 400) / 900) }
        XCTAssertEqual(transitions.map(\.1.to), [.none])
        XCTAssertGreaterThanOrEqual(transitions.first?.0 ?? 0, 700)
    }

    func testHorizonZeroTurnsPredictionOff() {
        var m = machine { $0.predictHorizon = .zero }
        let transitions = feed(&m, 0...500, steady)
        XCTAssertTrue(transitions.isEmpty)
        XCTAssertNotNil(m.prediction.soonestFull, "the rate is still measured and published")
    }

    func testThresholdLevelsOutrankThePrediction() {
        var m = machine()
        let transitions = feed(&m, 0...900, steady)  // hard below 100 MiB (t = 801) before soft's grace ends (t = 751 + 60)
        XCTAssertEqual(transitions.map(\.1.to), [.predicted, .hard])
        XCTAssertEqual(m.level, .hard)
        XCTAssertTrue(m.pressureSentence?.hasPrefix("disk pressure (hard) on /data") ?? false)
    }

    func testSoonestFilesystemDecides() {
        var m = machine()
        for t in 0...400 {
            let a = diskReading(path: "/a", device: 1, freeMiB: 900)
            let b = diskReading(path: "/b", device: 2, freeMiB: UInt64(800 - max(0, t - 100)))
            m.observe([.reading(a), .reading(b)], at: .seconds(t))
        }
        XCTAssertEqual(m.level, .predicted)
        XCTAssertEqual(m.prediction.worst?.path, "/b")
        XCTAssertTrue(m.pressureSentence?.contains("on /b:") ?? false)
    }

    func testFormatting() {
        XCTAssertEqual(formatRate(310.4), "310")
        XCTAssertEqual(formatRate(3.46), "3.5")
        XCTAssertEqual(formatTimeToFull(45), "about 45 s")
        XCTAssertEqual(formatTimeToFull(370), "about 6 min")
        XCTAssertEqual(formatTimeToFull(3 * 3600 + 100), "about 3 h")
    }
}
