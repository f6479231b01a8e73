import DiskMeasurement
@testable import SwiftDevice
import XCTest

final class DiskGroupLayoutTests: XCTestCase {
    func testSmallDiskKeepsTheConfiguredUnit() {
        let layout = DiskGroupLayout(name: "data", path: "/d", capacityBytes: 100 << 20, unitMB: 4, maxInstances: 128, headroomMB: 10)
        XCTAssertEqual(layout.unitMiB, 4)
        XCTAssertEqual(layout.instanceCount, 22) // (100 - 10) / 4
        XCTAssertEqual(layout.instanceIDs.first, "data-0000")
        XCTAssertEqual(layout.instanceIDs.last, "data-0021")
    }

    func testTheUnitGrowsInWholeMultiplesSoTheCountStaysUnderTheCap() {
        // 1 TiB with 1 GiB units and a cap of 128: the unit becomes 8 GiB.
        let layout = DiskGroupLayout(name: "big", path: "/b", capacityBytes: 1 << 40, unitMB: 1024, maxInstances: 128, headroomMB: 0)
        XCTAssertEqual(layout.unitMiB, 8192)
        XCTAssertEqual(layout.instanceCount, 128)
        for capacityGiB: UInt64 in [1, 7, 129, 500, 4000] {
            let l = DiskGroupLayout(name: "x", path: "/x", capacityBytes: capacityGiB << 30, unitMB: 1024, maxInstances: 100, headroomMB: 512)
            XCTAssertLessThanOrEqual(l.instanceCount, 100, "\(capacityGiB) GiB")
            XCTAssertEqual(l.unitMiB % 1024, 0)
        }
    }

    func testHeadroomLargerThanTheDiskOffersNothing() {
        let layout = DiskGroupLayout(name: "d", path: "/d", capacityBytes: 10 << 20, unitMB: 1, maxInstances: 8, headroomMB: 20)
        XCTAssertEqual(layout.instanceCount, 0)
    }

    func testIndexOfAcceptsOnlyThisGroupsWellFormedIDs() {
        let layout = DiskGroupLayout(name: "data", path: "/d", capacityBytes: 10 << 20, unitMB: 1, maxInstances: 128, headroomMB: 0)
        XCTAssertEqual(layout.index(of: "data-0003"), 3)
        XCTAssertNil(layout.index(of: "data-3"))       // not the canonical spelling
        XCTAssertNil(layout.index(of: "data-0010"))    // beyond the count
        XCTAssertNil(layout.index(of: "other-0001"))
        XCTAssertNil(layout.index(of: "data--001"))
        XCTAssertNil(layout.index(of: ""))
    }
}
