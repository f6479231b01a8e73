import Foundation
import XCTest
@testable import SwiftDriver

final class TaskStoreStateTests: TaskStoreTestCase {
    func testDestroySemantics() async throws {
        _ = await XCTAssertTaskError(.notFound) { () async throws(TaskError) in try await self.store.destroy("nope", force: true) }
        let req = scratch.request("/bin/sleep", ["100"])
        let started = try await store.start(req)
        let state = try DriverState.decode(started.driverState)
        XCTAssertTrue(FileManager.default.fileExists(atPath: state.stateDirectory))
        _ = await XCTAssertTaskError(.stillRunning) { () async throws(TaskError) in try await self.store.destroy(req.id, force: false) }
        try await store.destroy(req.id, force: true)
        _ = await XCTAssertTaskError(.notFound) { () async throws(TaskError) in try await self.store.inspect(req.id) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: state.stateDirectory))
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.taskDir + "/.nomad-driver-swift"))
        let dead = await taskEventually { taskProcesses(inGroup: started.pid).isEmpty }
        XCTAssertTrue(dead)
        _ = await XCTAssertTaskError(.notFound) { () async throws(TaskError) in try await self.store.destroy(req.id, force: true) }
    }

    func testStopIsIdempotentAndAcceptsUnknownTasks() async throws {
        try await store.stop("unknown", signal: "SIGTERM", timeout: .seconds(1))
        let req = scratch.request("/bin/sleep", ["100"])
        _ = try await store.start(req)
        try await store.stop(req.id, signal: "SIGTERM", timeout: .seconds(5))
        try await store.stop(req.id, signal: "SIGTERM", timeout: .seconds(5))
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit.signal, SIGTERM)
        try await store.destroy(req.id, force: false)
    }

    func testABlankStopSignalSendsSIGINTAsNomadDoes() async throws {
        let req = scratch.request("/bin/sleep", ["100"])
        _ = try await store.start(req)
        try await store.stop(req.id, signal: " ", timeout: .seconds(5))
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit.signal, SIGINT)
        try await store.destroy(req.id, force: false)
    }

    func testSignalNameTable() {
        XCTAssertEqual(SignalNames.number(for: "SIGTERM"), 15)
        XCTAssertEqual(SignalNames.number(for: "term"), 15)
        XCTAssertEqual(SignalNames.number(for: "SigHup"), 1)
        XCTAssertEqual(SignalNames.number(for: "SIGKILL"), SIGKILL)
        XCTAssertEqual(SignalNames.number(for: "SIGUSR2"), SIGUSR2)
        XCTAssertEqual(SignalNames.number(for: "SIGWINCH"), SIGWINCH)
        XCTAssertEqual(SignalNames.number(for: "SIGSYS"), SIGSYS)
        XCTAssertEqual(SignalNames.number(for: "SIGRTMIN"), 34)
        XCTAssertEqual(SignalNames.number(for: "SIGRTMIN+2"), 36)
        XCTAssertEqual(SignalNames.number(for: "rtmax-1"), 63)
        XCTAssertNil(SignalNames.number(for: "SIGRTMIN+40"))
        XCTAssertNil(SignalNames.number(for: "SIGBOGUS"))
        XCTAssertNil(SignalNames.number(for: ""))
    }

    func testDriverStateRoundTripAndErrors() throws {
        let state = DriverState(
            taskID: "a/b/c", supervisorPID: 10, supervisorStartTime: 20, taskPID: 11, taskPGID: 11, taskStartTime: 21,
            exitFilePath: "/x/exit.json", stateDirectory: "/x", cgroupPath: nil,
            startedAt: Date(timeIntervalSince1970: 1_700_000_000.25), request: scratch.request("/bin/true", id: "a/b/c"))
        XCTAssertEqual(try DriverState.decode(state.encode()), state)

        var json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(state.encode())) as? [String: Any])
        json["version"] = 2
        XCTAssertThrowsError(try DriverState.decode(Array(try JSONSerialization.data(withJSONObject: json)))) {
            XCTAssertTrue(($0 as? TaskError)?.message.contains("version 2") ?? false, "\($0)")
        }
        json["version"] = 1
        json.removeValue(forKey: "taskPID")
        XCTAssertThrowsError(try DriverState.decode(Array(try JSONSerialization.data(withJSONObject: json)))) {
            XCTAssertTrue(($0 as? TaskError)?.message.contains("taskPID") ?? false, "\($0)")
        }
        XCTAssertThrowsError(try DriverState.decode(Array("{{{".utf8))) {
            XCTAssertEqual(($0 as? TaskError)?.kind, .invalidArgument)
        }
    }

    func testConcurrentStartsAndStops() async throws {
        let store = self.store!
        let requests = (0..<10).map { scratch.request("/bin/sh", ["-c", "sleep 100; exit 1"], id: "alloc-1/task/par\($0)") }
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for req in requests { group.addTask { try await store.start(req).pid } }
            return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
        }
        XCTAssertEqual(pids.count, 10)
        let running = await store.runningTasks()
        XCTAssertEqual(Set(running.map(\.id)), Set(requests.map(\.id)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for req in requests { group.addTask { try await store.stop(req.id, signal: "SIGTERM", timeout: .seconds(5)) } }
            try await group.waitForAll()
        }
        for req in requests {
            let exit = try await store.wait(req.id)
            XCTAssertEqual(exit.signal, SIGTERM)
            try await store.destroy(req.id, force: false)
        }
    }

    func testManyStartStopCyclesLeakNoDescriptorsOrZombies() async throws {
        func cycle(_ i: Int) async throws {
            let req = scratch.request("/bin/sleep", ["100"], id: "alloc-1/task/cycle\(i)")
            _ = try await store.start(req)
            try await store.stop(req.id, signal: "SIGTERM", timeout: .seconds(5))
            try await store.destroy(req.id, force: false)
        }
        try await cycle(-1)  // warm-up: lazily opened runtime descriptors
        let before = taskOpenDescriptorCount()
        for i in 0..<1000 { try await cycle(i) }  // the figure: 1,000 start/stop cycles
        let after = taskOpenDescriptorCount()
        XCTAssertLessThanOrEqual(after, before + 2, "descriptors grew from \(before) to \(after)")
        let noZombies = await taskEventually { taskZombieChildren().isEmpty }
        XCTAssertTrue(noZombies, "zombies: \(taskZombieChildren())")
        let noTasks = await store.runningTasks()
        XCTAssertTrue(noTasks.isEmpty)
    }
}
