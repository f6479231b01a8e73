@testable import SwiftDevice
import XCTest

final class ReservationLedgerTests: XCTestCase {
    let data = DiskGroupLayout(name: "data", path: "/d", capacityBytes: 64 << 20, unitMB: 4, maxInstances: 128, headroomMB: 0)
    let scratch = DiskGroupLayout(name: "scratch", path: "/s", capacityBytes: 64 << 20, unitMB: 4, maxInstances: 128, headroomMB: 0)
    var layouts: [DiskGroupLayout] { [data, scratch] }

    func reserve(_ ledger: inout ReservationLedger, _ ids: [String]) throws -> ReservationLedger.Outcome {
        try ledger.reserve(ids, layouts: layouts) { $0.path + "/.nomad-device-swift" }
    }

    func testAReservationIsSortedSizedAndNamed() throws {
        var ledger = ReservationLedger()
        let outcome = try reserve(&ledger, ["data-0003", "data-0001"])
        XCTAssertTrue(outcome.isNew)
        XCTAssertEqual(outcome.reservation.deviceIDs, ["data-0001", "data-0003"])
        XCTAssertEqual(outcome.reservation.reservedBytes, 8 << 20)
        XCTAssertEqual(outcome.reservation.id, "data-0001-2")
        XCTAssertEqual(outcome.reservation.directory, "/d/.nomad-device-swift/data-0001-2")
        XCTAssertEqual(outcome.reservation.grant.budgetMB, 8)
    }

    func testTheSameSetAgainIsTheSameReservation() throws {
        var ledger = ReservationLedger()
        let first = try reserve(&ledger, ["data-0001", "data-0002"])
        let again = try reserve(&ledger, ["data-0002", "data-0001"])
        XCTAssertFalse(again.isNew)
        XCTAssertEqual(again.reservation, first.reservation)
        XCTAssertEqual(ledger.reservations.count, 1)
    }

    func testReservingAnInstanceAgainEndsItsEarlierHolder() throws {
        var ledger = ReservationLedger()
        let old = try reserve(&ledger, ["data-0001", "data-0002"]).reservation
        let untouched = try reserve(&ledger, ["data-0005"]).reservation
        let outcome = try reserve(&ledger, ["data-0002", "data-0003"])
        XCTAssertEqual(outcome.replaced, [old])
        XCTAssertEqual(Set(ledger.reservations.map(\.id)), [untouched.id, outcome.reservation.id])
    }

    func testBadRequestsAreRefusedWithSentences() {
        var ledger = ReservationLedger()
        XCTAssertThrowsError(try reserve(&ledger, [])) { XCTAssertEqual($0 as? ReserveError, .empty) }
        XCTAssertThrowsError(try reserve(&ledger, ["data-9999"])) { XCTAssertEqual($0 as? ReserveError, .unknownDevice("data-9999")) }
        XCTAssertThrowsError(try reserve(&ledger, ["data-0001", "scratch-0001"])) {
            XCTAssertEqual($0 as? ReserveError, .mixedGroups(["data", "scratch"]))
        }
        XCTAssertThrowsError(try reserve(&ledger, ["data-0001", "data-0001"])) { XCTAssertEqual($0 as? ReserveError, .duplicate("data-0001")) }
        XCTAssertTrue(ReserveError.unknownDevice("x").description.contains("\"x\""))
        XCTAssertTrue(ledger.reservations.isEmpty)
    }

    func testReleaseRemovesOnlyWhatMatches() throws {
        var ledger = ReservationLedger()
        let a = try reserve(&ledger, ["data-0001"]).reservation
        let b = try reserve(&ledger, ["scratch-0001"]).reservation
        XCTAssertEqual(ledger.release { $0 == a }, [a])
        XCTAssertEqual(ledger.reservations, [b])
    }
}
