import Foundation
import XCTest
@testable import SwiftDriver

/// `fingerprint --watch`: the live view's figures and sparkline, and the JSON line.
final class DiskWatchViewTests: XCTestCase {
    private func status(freeMiB: UInt64, estimate: FillEstimate?) -> DiskLiveStatus {
        DiskLiveStatus(
            report: FingerprintReport(health: .unhealthy, healthDescription: "disk filling at 30 MiB/min on /data: full in about 7 min",
                                      attributes: [DiskAttributeName.pressure: .string("predicted")]),
            level: .predicted,
            filesystems: [.init(path: "/data", availableBytes: freeMiB * DiskUnits.mebibyte, capacityBytes: 256 * DiskUnits.mebibyte,
                                estimate: estimate)],
            failures: []
        )
    }

    private func estimate(freeMiB: UInt64, rate: Double) -> FillEstimate {
        let perSecond = rate * Double(DiskUnits.mebibyte) / 60
        return FillEstimate(path: "/data", bytesPerSecond: perSecond, recentBytesPerSecond: perSecond, fillBytesPerSecond: perSecond,
                            creditBytesPerSecond: 0, availableBytes: freeMiB * DiskUnits.mebibyte, capacityBytes: 256 * DiskUnits.mebibyte)
    }

    func testScreenShowsRateTimeToFullAndSparkline() {
        var view = FingerprintWatchView(width: 4)
        for free in [210, 205, 200, 195, 190] as [UInt64] { view.record(status(freeMiB: free, estimate: nil)) }
        let screen = view.renderScreen(status(freeMiB: 190, estimate: estimate(freeMiB: 190, rate: 30)),
                                       interval: .seconds(1), elapsed: .seconds(90))
        XCTAssertTrue(screen.contains("Health: unhealthy   pressure: predicted"), screen)
        XCTAssertTrue(screen.contains("  free      190 MiB of 256 MiB (74.2%)"), screen)
        XCTAssertTrue(screen.contains("  trend     filling at 30 MiB/min, full in about 6 min"), screen)
        XCTAssertTrue(screen.contains("  free      █▆▃▁  190–205 MiB, last 4 samples"), screen)
        XCTAssertTrue(screen.contains("  driver.swift.disk.pressure = predicted"), screen)
    }

    func testTrendWords() {
        XCTAssertEqual(FingerprintWatchView.trend(nil), "measuring (needs disk.predict_min_window of samples)")
        XCTAssertEqual(FingerprintWatchView.trend(estimate(freeMiB: 100, rate: -2)), "not filling (-2.0 MiB/min)")
        XCTAssertEqual(FingerprintWatchView.sparkline([5, 5]), "▄▄")
    }

    func testJSONCarriesTheSameFigures() throws {
        let line = FingerprintWatchView.renderJSON(status(freeMiB: 190, estimate: estimate(freeMiB: 190, rate: 30)))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["level"] as? String, "predicted")
        XCTAssertEqual(object["health"] as? String, "unhealthy")
        let disk = try XCTUnwrap((object["disk"] as? [[String: Any]])?.first)
        XCTAssertEqual(disk["path"] as? String, "/data")
        XCTAssertEqual(disk["available_mb"] as? Int, 190)
        XCTAssertEqual(disk["fill_rate_mb_per_min"] as? Double, 30)
        XCTAssertEqual(disk["seconds_to_full"] as? Int, 380)

        let measuring = FingerprintWatchView.renderJSON(status(freeMiB: 190, estimate: nil))
        XCTAssertTrue(measuring.contains("\"fill_rate_mb_per_min\":null,\"seconds_to_full\":null"), measuring)
    }
}
