@testable import SwiftDevice
import XCTest

final class DeviceFingerprintGateTests: XCTestCase {
    func group(healthy: Int, of total: Int = 10, reserved: Set<Int> = []) -> [GroupFingerprint] {
        [GroupFingerprint(name: "d", instances: (0..<total).map { i in
            InstanceState(id: "d-\(i)", healthy: i < healthy, reservationID: reserved.contains(i) ? "r" : nil,
                          healthDescription: i < healthy ? "" : "not offered")
        }, attributes: [:])]
    }

    func testTheFirstListGoesOutAndAnUnchangedOneDoesNot() {
        var gate = DeviceFingerprintGate(minInterval: .seconds(30))
        XCTAssertNotNil(gate.offer(group(healthy: 10), at: .zero))
        XCTAssertNil(gate.offer(group(healthy: 10), at: .seconds(1)))
    }

    func testLosingInstancesGoesOutAtOnceAndGainingWaits() {
        var gate = DeviceFingerprintGate(minInterval: .seconds(30))
        _ = gate.offer(group(healthy: 10), at: .zero)
        XCTAssertNotNil(gate.offer(group(healthy: 7), at: .seconds(1)), "fewer healthy instances must not wait")
        XCTAssertNil(gate.offer(group(healthy: 9), at: .seconds(2)), "more may wait for the interval")
        XCTAssertNotNil(gate.offer(group(healthy: 9), at: .seconds(31)))
    }

    func testAReservationsOwnInstancesTurningUnhealthyMayWait() {
        var gate = DeviceFingerprintGate(minInterval: .seconds(30))
        _ = gate.offer(group(healthy: 10, reserved: [0, 1, 2]), at: .zero)
        // Instance 9 is unreserved: losing it is urgent. Instance 2 is reserved: not.
        var written = group(healthy: 10, reserved: [0, 1, 2])
        written[0].instances[2].healthy = false
        XCTAssertNil(gate.offer(written, at: .seconds(1)))
        XCTAssertNotNil(gate.offer(group(healthy: 9, reserved: [0, 1, 2]), at: .seconds(2)))
    }

    func testANewOrVanishedGroupIsUrgent() {
        var gate = DeviceFingerprintGate(minInterval: .seconds(30))
        _ = gate.offer(group(healthy: 10), at: .zero)
        XCTAssertNotNil(gate.offer([], at: .seconds(1)))
        XCTAssertNotNil(gate.offer(group(healthy: 10), at: .seconds(2)))
    }
}
