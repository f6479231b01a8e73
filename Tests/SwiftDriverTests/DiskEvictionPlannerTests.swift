import XCTest
@testable import SwiftDriver

final class DiskEvictionPlannerTests: XCTestCase {
    func testOrderOverageThenUsageThenYoungest() {
        let tasks = [
            candidate("small-old", startedSecondsAgo: 500, usageMiB: 10),
            candidate("big", startedSecondsAgo: 100, usageMiB: 900),
            candidate("over-by-50", limitMB: 100, usageMiB: 150),
            candidate("over-by-300", limitMB: 100, usageMiB: 400),
            candidate("within-limit", limitMB: 1000, usageMiB: 500),
            candidate("small-young", startedSecondsAgo: 5, usageMiB: 10),
            candidate("system", usageMiB: 5000, evictable: false),
        ]
        XCTAssertEqual(EvictionPlanner.pressureOrder(tasks).map(\.taskID),
                       ["over-by-300", "over-by-50", "big", "within-limit", "small-young", "small-old"])
    }

    func testEqualOverageGoesYoungestFirst() {
        let tasks = [
            candidate("old", startedSecondsAgo: 90, limitMB: 10, usageMiB: 20),
            candidate("young", startedSecondsAgo: 9, limitMB: 10, usageMiB: 20),
        ]
        XCTAssertEqual(EvictionPlanner.pressureOrder(tasks).map(\.taskID), ["young", "old"])
    }

    func testOverLimitListsOnlyEvictableTasksOverTheirOwnLimit() {
        let tasks = [
            candidate("ok", limitMB: 100, usageMiB: 100),
            candidate("over", limitMB: 100, usageMiB: 101),
            candidate("exempt", limitMB: 1, usageMiB: 100, evictable: false),
            candidate("nolimit", usageMiB: 99_999),
        ]
        XCTAssertEqual(EvictionPlanner.overLimit(tasks).map(\.taskID), ["over"])
    }

    func testReasonsRead() {
        let slow = candidate("slow", limitMB: 500, usageMiB: 612)
        XCTAssertEqual(EvictionPlanner.limitReason(for: slow), "evicted: disk limit exceeded: 612 MiB used of 500 MiB")
        XCTAssertEqual(EvictionPlanner.pressureReason("disk pressure (hard) on /: 1 MiB free (0.0%), needs 2 MiB"),
                       "evicted: disk pressure (hard) on /: 1 MiB free (0.0%), needs 2 MiB")
    }

    func testHugeLimitDoesNotOverflow() {
        XCTAssertNil(candidate("x", limitMB: UInt64.max, usageMiB: 10).overageBytes)
    }
}
