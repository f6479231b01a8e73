import Foundation
@testable import SwiftDriver
import XCTest

/// A task given a disk reservation by nomad-device-swift (through Nomad's device_env).
final class TaskDiskReservationTests: XCTestCase {
    func testTheGrantIsReadFromTheDeviceEnvironment() throws {
        XCTAssertNil(try DiskReservationGrant.parse(["PATH": "/bin"]).get())
        let grant = try XCTUnwrap(try DiskReservationGrant.parse([
            "SWIFT_DISK_PATH": "/data/.nomad-device-swift/data-0003-2",
            "SWIFT_DISK_BUDGET_MB": "2048",
            "SWIFT_DISK_RESERVATION": "data-0003-2",
        ]).get())
        XCTAssertEqual(grant, DiskReservationGrant(directory: "/data/.nomad-device-swift/data-0003-2", budgetMB: 2048, id: "data-0003-2"))
        XCTAssertEqual(grant.ownerFile, "/data/.nomad-device-swift/data-0003-2.alloc")
        XCTAssertEqual(try DiskReservationGrant.parse(grant.environment).get(), grant)
    }

    func testMalformedGrantsGetSentences() {
        let good = ["SWIFT_DISK_PATH": "/d/.nomad-device-swift/r", "SWIFT_DISK_BUDGET_MB": "8", "SWIFT_DISK_RESERVATION": "r"]
        func refusal(_ change: [String: String?]) -> String? {
            var env = good
            for (key, value) in change { env[key] = value }
            if case .failure(let error) = DiskReservationGrant.parse(env) { return error.description }
            return nil
        }
        XCTAssertTrue(refusal(["SWIFT_DISK_BUDGET_MB": nil])?.contains("only some of") == true)
        XCTAssertTrue(refusal(["SWIFT_DISK_BUDGET_MB": "lots"])?.contains("whole number of MiB") == true)
        XCTAssertTrue(refusal(["SWIFT_DISK_BUDGET_MB": "0"])?.contains("above zero") == true)
        // The driver changes the directory's owner: only a path the device plugin makes will do.
        XCTAssertNotNil(refusal(["SWIFT_DISK_PATH": "/etc"]))
        XCTAssertNotNil(refusal(["SWIFT_DISK_PATH": "/d/.nomad-device-swift/../../etc/r"]))
        XCTAssertNotNil(refusal(["SWIFT_DISK_PATH": "relative/.nomad-device-swift/r"]))
        XCTAssertNotNil(refusal(["SWIFT_DISK_RESERVATION": "other"]))
    }

    func testTheBudgetCapsTheDiskLimitAndTheScratchDirectoryCounts() throws {
        let scratch = try TaskScratch()
        defer { scratch.remove() }
        var request = scratch.request("/bin/true")
        XCTAssertNil(request.diskLimitMB)
        XCTAssertEqual(request.diskUsageDirectories, [scratch.taskDir])
        request.diskReservation = DiskReservationGrant(directory: "/d/.nomad-device-swift/r", budgetMB: 512, id: "r")
        XCTAssertEqual(request.diskLimitMB, 512)
        XCTAssertEqual(request.diskUsageDirectories, [scratch.taskDir, "/d/.nomad-device-swift/r"])
        request.settings.diskLimitMB = 100
        XCTAssertEqual(request.diskLimitMB, 100, "the task's own, smaller limit stays")
        request.settings.diskLimitMB = 4096
        XCTAssertEqual(request.diskLimitMB, 512, "the budget caps a larger one")
    }

    func testStartingHandsTheDirectoryToTheTaskAndRecordsItsAllocation() async throws {
        let scratch = try TaskScratch()
        defer { scratch.remove() }
        let directory = scratch.root + "/disk/.nomad-device-swift/disk-0000-2"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o1777])
        let store = TaskStore(supervisorExecutable: try taskSupervisorBinary(), logger: taskTestLogger)
        var request = scratch.request("/bin/sh", ["-c", "echo x > \"$SWIFT_DISK_PATH/file\"; sleep 30"])
        let grant = DiskReservationGrant(directory: directory, budgetMB: 16, id: "disk-0000-2")
        request.env.merge(grant.environment) { $1 }
        request.diskReservation = grant
        _ = try await store.start(request)
        let snapshot = try await store.inspect(request.id)
        XCTAssertEqual(snapshot.diskLimitMB, 16)
        XCTAssertEqual(snapshot.diskUsageDirectories, [scratch.taskDir, directory])
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int)
        XCTAssertEqual(mode, 0o700)
        XCTAssertEqual(try String(contentsOfFile: grant.ownerFile, encoding: .utf8), scratch.root)
        let written = await taskEventually { FileManager.default.fileExists(atPath: directory + "/file") }
        XCTAssertTrue(written, "the task writes into its scratch directory")
        try await store.stop(request.id, signal: "SIGKILL", timeout: .seconds(1))
        try await store.destroy(request.id, force: true)
    }

    /// Nomad may give a new allocation exactly the instances an ended one held; the ended one's
    /// leftovers are cleared before the new task gets the directory. A restart keeps its data.
    func testAnotherAllocationsLeftoversAreClearedAndARestartKeepsItsOwn() async throws {
        let scratch = try TaskScratch()
        defer { scratch.remove() }
        let directory = scratch.root + "/disk/.nomad-device-swift/disk-0000-1"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let grant = DiskReservationGrant(directory: directory, budgetMB: 8, id: "disk-0000-1")
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/left-over"))
        try Data("/elsewhere/alloc-0".utf8).write(to: URL(fileURLWithPath: grant.ownerFile))
        let store = TaskStore(supervisorExecutable: try taskSupervisorBinary(), logger: taskTestLogger)
        var first = scratch.request("/bin/sh", ["-c", "echo mine > \"$SWIFT_DISK_PATH/mine\""])
        first.env.merge(grant.environment) { $1 }
        first.diskReservation = grant
        _ = try await store.start(first)
        _ = try await store.wait(first.id)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/left-over"), "another allocation's data is cleared")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/mine"))
        try await store.destroy(first.id, force: true)

        // The same allocation's task again (a restart): its data stays.
        var again = scratch.request("/bin/true")
        again.diskReservation = grant
        _ = try await store.start(again)
        _ = try await store.wait(again.id)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/mine"), "a restarted task keeps its own data")
    }

    func testAReleasedReservationRefusesTheStart() async throws {
        let scratch = try TaskScratch()
        defer { scratch.remove() }
        let store = TaskStore(supervisorExecutable: try taskSupervisorBinary(), logger: taskTestLogger)
        var request = scratch.request("/bin/true")
        request.diskReservation = DiskReservationGrant(directory: scratch.root + "/gone/.nomad-device-swift/r", budgetMB: 8, id: "r")
        let error = await XCTAssertTaskError(.invalidConfig) { () throws(TaskError) in try await store.start(request) }
        XCTAssertTrue(error?.message.contains("released") == true, error?.message ?? "")
    }
}
