import DiskMeasurement
@testable import SwiftDevice
import XCTest

/// The instance math: fill, reserve, write, release, and what an ended reservation leaves.
final class InstanceAccountingTests: XCTestCase {
    /// 100 instances of 1 MiB, 10 MiB headroom.
    let layout = DiskGroupLayout(name: "d", path: "/d", capacityBytes: 110 << 20, unitMB: 1, maxInstances: 128, headroomMB: 10)

    func reservation(_ ids: ClosedRange<Int>) -> Reservation {
        let list = ids.map(layout.instanceID)
        return Reservation(id: "\(list[0])-\(list.count)", group: "d", deviceIDs: list,
                           reservedBytes: UInt64(list.count) << 20, directory: "/d/.nomad-device-swift/\(list[0])-\(list.count)")
    }

    func account(availableMiB: UInt64, _ usages: [ReservationUsage] = []) -> InstanceAccounting {
        InstanceAccounting(layout: layout, availableBytes: availableMiB << 20, reservations: usages)
    }

    func testAnEmptyDiskOffersEveryInstance() {
        let a = account(availableMiB: 110)
        XCTAssertEqual(a.instances.count, 100)
        XCTAssertEqual(a.healthyCount, 100)
        XCTAssertEqual(a.freeCount, 100)
    }

    func testFillingTurnsTheHighestNumberedInstancesUnhealthyFirst() {
        let a = account(availableMiB: 110 - 30)
        XCTAssertEqual(a.freeCount, 70)
        XCTAssertTrue(a.instances[..<70].allSatisfy(\.healthy))
        XCTAssertTrue(a.instances[70...].allSatisfy { !$0.healthy })
        XCTAssertTrue(a.instances[99].healthDescription.hasPrefix("no free 1 MiB unit"), a.instances[99].healthDescription)
        XCTAssertEqual(a.instances[0].healthDescription, "")
        // Within the headroom nothing is offered at all.
        XCTAssertEqual(account(availableMiB: 9).healthyCount, 0)
    }

    func testReservingKeepsTheHealthyCountAndTakesFreeInstances() {
        let r = reservation(0...19)
        let a = account(availableMiB: 110, [ReservationUsage(reservation: r, writtenBytes: 0)])
        XCTAssertEqual(a.healthyCount, 100)
        XCTAssertEqual(a.reservedCount, 20)
        XCTAssertEqual(a.freeCount, 80)
        XCTAssertEqual(a.promisedBytes, 20 << 20)
    }

    func testWritingIntoTheReservationCostsTheSchedulerNothingMore() {
        let r = reservation(0...19)
        let before = account(availableMiB: 110, [ReservationUsage(reservation: r, writtenBytes: 0)])
        // The task writes 15 MiB into its directory: available drops by 15.
        let after = account(availableMiB: 95, [ReservationUsage(reservation: r, writtenBytes: 15 << 20)])
        XCTAssertEqual(after.freeCount, before.freeCount, "the scheduler's free instances must not move")
        // Its own written units are its highest instances, now unhealthy; the rest stay healthy.
        let own = after.instances.filter { $0.reservationID == r.id }
        XCTAssertEqual(own.filter(\.healthy).count, 5)
        XCTAssertEqual(own.last?.healthDescription, "holds data written by reservation \(r.id)")
        // The same 15 MiB written by someone else does cost 15 instances.
        let outside = account(availableMiB: 95, [ReservationUsage(reservation: r, writtenBytes: 0)])
        XCTAssertEqual(outside.freeCount, before.freeCount - 15)
    }

    func testAPartlyWrittenUnitCountsAsWritten() {
        let r = reservation(0...3)
        let a = account(availableMiB: 109, [ReservationUsage(reservation: r, writtenBytes: 1 << 19)])
        XCTAssertEqual(a.instances.filter { $0.reservationID == r.id && $0.healthy }.count, 3)
    }

    func testWritingBeyondTheBudgetTakesFromEveryoneElse() {
        let r = reservation(0...9)
        let a = account(availableMiB: 110 - 25, [ReservationUsage(reservation: r, writtenBytes: 25 << 20)])
        XCTAssertEqual(a.promisedBytes, 0)
        XCTAssertEqual(a.freeCount, 75)
        XCTAssertTrue(a.instances.filter { $0.reservationID == r.id }.allSatisfy { !$0.healthy })
    }

    func testReleasingGivesTheInstancesBack() {
        let r = reservation(0...19)
        let held = account(availableMiB: 100, [ReservationUsage(reservation: r, writtenBytes: 10 << 20)])
        XCTAssertEqual(held.freeCount, 80)
        // The directory is removed (its data with it): nothing reserved, everything free again.
        XCTAssertEqual(account(availableMiB: 110).freeCount, 100)
    }

    /// Nomad never says when an allocation ends. Then the scheduler counts every healthy instance
    /// of the ended reservation as free: what it sees must never exceed what is really free.
    func testAnEndedReservationNeverOffersMoreThanIsFree() {
        for written in stride(from: 0, through: 30, by: 3) {
            let r = reservation(0...19)
            let available = UInt64(110 - min(written, 30))
            let a = account(availableMiB: available, [ReservationUsage(reservation: r, writtenBytes: UInt64(written) << 20)])
            // After the allocation ends, Nomad holds none of r's instances: every healthy one is free to it.
            let schedulerFreeMiB = UInt64(a.healthyCount)
            let reallyFreeMiB = available - 10
            XCTAssertLessThanOrEqual(schedulerFreeMiB, reallyFreeMiB, "written \(written) MiB")
        }
    }

    func testAnUnmeasurablePathOffersOnlyWhatIsHeld() {
        let r = reservation(0...4)
        let a = InstanceAccounting(layout: layout, availableBytes: 0, reservations: [ReservationUsage(reservation: r, writtenBytes: 0)],
                                   unavailable: "not offered: statvfs failed")
        XCTAssertEqual(a.freeCount, 0)
        XCTAssertEqual(a.reservedCount, 5)
        XCTAssertEqual(a.instances.last?.healthDescription, "not offered: statvfs failed")
    }
}
