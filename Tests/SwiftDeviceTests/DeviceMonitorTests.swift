import DiskMeasurement
import Foundation
@testable import SwiftDevice
import XCTest

/// The monitor over a real directory and a disk whose free space the test sets.
final class DeviceMonitorTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func makeMonitor(_ disk: FakeDisk, minInterval: Duration = .seconds(30), clock: ManualClock = ManualClock()) async -> DeviceMonitor {
        let monitor = DeviceMonitor(probe: disk, clock: clock, logger: quietLogger)
        await monitor.configure(.test(paths: [directory.path], unitMB: 1, headroomMB: 0, maxInstances: 64, minInterval: minInterval))
        return monitor
    }

    func free(_ monitor: DeviceMonitor) async -> Int { await monitor.accounting()[0].freeCount }

    func testFillReserveWriteReleaseAndRestart() async throws {
        let disk = FakeDisk(capacityMiB: 64)
        let monitor = await makeMonitor(disk)
        let groups = await monitor.currentFingerprint()
        let group = try XCTUnwrap(groups.first)
        XCTAssertEqual(group.instances.count, 64)
        XCTAssertEqual(group.attributes["path"], .string(directory.path))
        XCTAssertEqual(group.attributes["capacity"], .int(64, unit: "MiB"))
        let value1 = await free(monitor)
        XCTAssertEqual(value1, 64)

        // Fill: another writer takes 10 MiB.
        disk.write(mebibytes: 10)
        await monitor.sample()
        let value2 = await free(monitor)
        XCTAssertEqual(value2, 54)

        // Reserve 8 instances: a private scratch directory, a budget, a saved ledger.
        let (reservation, _) = try await monitor.reserve((0..<8).map { "\(group.name)-000\($0)" })
        XCTAssertEqual(reservation.grant.budgetMB, 8)
        var info = stat()
        XCTAssertEqual(lstat(reservation.directory, &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o1777)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.path + "/.nomad-device-swift/ledger.json"))
        let value3 = await free(monitor)
        XCTAssertEqual(value3, 46)

        // Write: 5 MiB into the reservation; the disk loses 5 MiB, the scheduler nothing more.
        try writeFile(reservation.directory, "scratch", mebibytes: 5)
        disk.write(mebibytes: 5)
        await monitor.sample()
        let value4 = await free(monitor)
        XCTAssertEqual(value4, 46)
        let value5 = await monitor.accounting()[0].writtenBytes >> 20
        XCTAssertEqual(value5, 5)

        // Restart: a new monitor (a new plugin process) finds the reservation in the ledger.
        let restarted = await makeMonitor(disk)
        let value6 = await restarted.accounting()[0].reservations.map(\.reservation)
        XCTAssertEqual(value6, [reservation])
        let value7 = await free(restarted)
        XCTAssertEqual(value7, 46)

        // Release: the directory goes (its 5 MiB with it); the instances come back.
        try FileManager.default.removeItem(atPath: reservation.directory)
        disk.write(mebibytes: -5)
        await restarted.sample()
        let value8 = await free(restarted)
        XCTAssertEqual(value8, 54)
        let value9 = await restarted.accounting()[0].reservations.isEmpty
        XCTAssertTrue(value9)
        // ... and stays released across another restart.
        let value10 = await free(await makeMonitor(disk))
        XCTAssertEqual(value10, 54)
    }

    func testReservingAnInstanceAgainRemovesTheEndedReservationsDirectory() async throws {
        let monitor = await makeMonitor(FakeDisk(capacityMiB: 16))
        let old = try await monitor.reserve(["\(DeviceGroupName.derived(from: directory.path))-0001"]).reservation
        try writeFile(old.directory, "left-over", mebibytes: 1)
        let new = try await monitor.reserve(["\(DeviceGroupName.derived(from: directory.path))-0001",
                                             "\(DeviceGroupName.derived(from: directory.path))-0002"]).reservation
        XCTAssertFalse(FileManager.default.fileExists(atPath: old.directory))
        XCTAssertTrue(FileManager.default.fileExists(atPath: new.directory))
        let value11 = await monitor.accounting()[0].reservations.map(\.reservation.id)
        XCTAssertEqual(value11, [new.id])
    }

    func testAReservationEndsWithItsOwnersAllocationDirectory() async throws {
        let monitor = await makeMonitor(FakeDisk(capacityMiB: 16))
        let name = DeviceGroupName.derived(from: directory.path)
        let reservation = try await monitor.reserve(["\(name)-0001", "\(name)-0002"]).reservation
        // The driver records the task's allocation directory as the owner when the task starts.
        let allocDir = directory.path + "/alloc-1"
        try FileManager.default.createDirectory(atPath: allocDir, withIntermediateDirectories: true)
        try Data(allocDir.utf8).write(to: URL(fileURLWithPath: reservation.grant.ownerFile))
        await monitor.sample()
        let owned = await monitor.accounting()[0].reservations
        XCTAssertEqual(owned.first?.reservation.allocDirectory, allocDir)
        // Nomad garbage-collects the allocation: the reservation ends and its directory goes.
        try FileManager.default.removeItem(atPath: allocDir)
        await monitor.sample()
        let left = await monitor.accounting()[0].reservations
        XCTAssertTrue(left.isEmpty)
        XCTAssertFalse(FileManager.default.fileExists(atPath: reservation.directory))
        XCTAssertFalse(FileManager.default.fileExists(atPath: reservation.grant.ownerFile))
    }

    /// Nomad may place work on instances it last heard were healthy; if the disk has filled
    /// since, Reserve refuses rather than promise space that is not there.
    func testReservingSpaceTheDiskNoLongerHasIsRefused() async throws {
        let disk = FakeDisk(capacityMiB: 16)
        let monitor = await makeMonitor(disk)
        let name = DeviceGroupName.derived(from: directory.path)
        disk.write(mebibytes: 14)
        do {
            _ = try await monitor.reserve(["\(name)-0000", "\(name)-0001", "\(name)-0002"])
            XCTFail("3 MiB cannot be reserved with 2 MiB free")
        } catch {
            XCTAssertEqual(error, .reserve(.insufficientSpace(neededMiB: 3, freeMiB: 2, path: directory.path)))
        }
        let held = await monitor.accounting()[0].reservations
        XCTAssertTrue(held.isEmpty, "a refused reservation leaves nothing behind")
        _ = try await monitor.reserve(["\(name)-0000", "\(name)-0001"])
    }

    /// ext4 keeps 5 % for root by default; no instance stands for space a task can never use,
    /// so an empty disk offers every instance.
    func testRootOnlySpaceIsNeverOffered() async throws {
        let monitor = await makeMonitor(FakeDisk(capacityMiB: 100, rootReservedMiB: 5))
        let groups = await monitor.currentFingerprint()
        let instances = try XCTUnwrap(groups.first).instances
        // 95 MiB usable in at most 64 instances: 47 of 2 MiB, every one healthy.
        XCTAssertEqual(instances.count, 47)
        XCTAssertEqual(groups.first?.attributes["unit_size"], .int(2, unit: "MiB"))
        XCTAssertTrue(instances.allSatisfy(\.healthy))
        XCTAssertEqual(groups.first?.attributes["capacity"], .int(100, unit: "MiB"))
    }

    func testUnknownDevicesAreRefused() async throws {
        let monitor = await makeMonitor(FakeDisk(capacityMiB: 16))
        do {
            _ = try await monitor.reserve(["nope-0001"])
            XCTFail("an unknown ID must be refused")
        } catch {
            XCTAssertEqual(error, .reserve(.unknownDevice("nope-0001")))
        }
    }

    func testTheStreamGetsAFillAtTheNextSampleAndARecoveryAfterTheInterval() async throws {
        let disk = FakeDisk(capacityMiB: 32)
        let clock = ManualClock()
        let monitor = await makeMonitor(disk, minInterval: .seconds(30), clock: clock)
        var stream = await monitor.fingerprints().makeAsyncIterator()
        let first = await stream.next()
        XCTAssertEqual(first?[0].instances.count { $0.healthy }, 32)

        disk.write(mebibytes: 12)
        clock.advance(.seconds(1))
        await monitor.sample()
        let filled = await stream.next()
        XCTAssertEqual(filled?[0].instances.count { $0.healthy }, 20)

        // Freed: not sent until 30 s after the last list.
        disk.write(mebibytes: -12)
        clock.advance(.seconds(1))
        await monitor.sample()
        clock.advance(.seconds(30))
        await monitor.sample()
        let recovered = await stream.next()
        XCTAssertEqual(recovered?[0].instances.count { $0.healthy }, 32)
        await monitor.stop()
    }

    func testTwoGroupsOnOneFilesystemOfferItsSpaceOnce() async throws {
        let other = try TemporaryDirectory()
        defer { other.remove() }
        let monitor = DeviceMonitor(probe: FakeDisk(capacityMiB: 16), clock: ManualClock(), logger: quietLogger)
        var config = DeviceConfig.test(paths: [directory.path, other.path])
        config.names = ["one", "two"]
        await monitor.configure(config)
        let groups = await monitor.accounting()
        // The second was never measured on its own, so it is left out rather than doubled.
        XCTAssertEqual(groups.map(\.layout.name), ["one"])
    }
}
