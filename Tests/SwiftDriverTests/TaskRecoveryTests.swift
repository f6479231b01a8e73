import Foundation
import XCTest
@testable import SwiftDriver

final class TaskRecoveryTests: XCTestCase {
    var scratch: TaskScratch!
    var binary: String!

    override func setUp() async throws {
        scratch = try TaskScratch()
        binary = try taskSupervisorBinary()
    }

    override func tearDown() async throws {
        scratch?.remove()
    }

    func testRecoverRunningTaskAfterStoreIsDropped() async throws {
        let req = scratch.request("/bin/sleep", ["100"])
        var first: TaskStore? = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        let started = try await first!.start(req)
        first = nil

        let second = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        let events = await second.events()
        try await second.recover(driverState: started.driverState)
        try await second.recover(driverState: started.driverState)  // already known: a no-op
        let snapshot = try await second.inspect(req.id)
        XCTAssertEqual(snapshot.state, .running)
        XCTAssertEqual(snapshot.pid, started.pid)

        var iterator = events.makeAsyncIterator()
        let event = await iterator.next()
        XCTAssertEqual(event?.taskID, req.id)
        XCTAssertEqual(event?.allocID, "alloc-1")
        XCTAssertEqual(event?.taskName, "task")

        try await second.stop(req.id, signal: "SIGTERM", timeout: .seconds(5))
        let exit = try await second.wait(req.id)
        XCTAssertEqual(exit.signal, SIGTERM)
        try await second.destroy(req.id, force: false)
        let reaped = await taskEventually { taskZombieChildren().isEmpty }
        XCTAssertTrue(reaped, "zombies: \(taskZombieChildren())")
    }

    func testRecoverTaskThatExitedWhileNoStoreWatched() async throws {
        let req = scratch.request("/bin/sh", ["-c", "sleep 0.3; exit 7"])
        var first: TaskStore? = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        let started = try await first!.start(req)
        first = nil
        let state = try DriverState.decode(started.driverState)
        let exited = await taskEventually { FileManager.default.fileExists(atPath: state.exitFilePath) }
        XCTAssertTrue(exited)

        let second = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        try await second.recover(driverState: started.driverState)
        let exit = try await second.wait(req.id)
        XCTAssertEqual(exit.exitCode, 7)
        XCTAssertNil(exit.errorText)
        try await second.destroy(req.id, force: false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: state.stateDirectory))
    }

    func testRecoverFailsWhenTaskIsGoneWithoutExitFile() async throws {
        let dead = try deadPID()
        let state = DriverState(
            taskID: "alloc-1/task/gone", supervisorPID: dead, supervisorStartTime: 1, taskPID: dead, taskPGID: dead,
            taskStartTime: 1, exitFilePath: scratch.root + "/missing-exit.json", stateDirectory: scratch.root + "/state",
            cgroupPath: nil, startedAt: Date(), request: scratch.request("/bin/true", id: "alloc-1/task/gone"))
        let store = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        let error = await XCTAssertTaskError(.failed) { () async throws(TaskError) in try await store.recover(driverState: state.encode()) }
        XCTAssertTrue(error?.message.contains("no exit status") ?? false, error?.message ?? "")
        // Nomad's restore logic needs DestroyTask to fail for a task that could not be recovered.
        _ = await XCTAssertTaskError(.notFound) { () async throws(TaskError) in try await store.destroy(state.taskID, force: true) }
    }

    func testSupervisorDeathIsReportedAndTheTaskKilled() async throws {
        let store = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        let req = scratch.request("/bin/sleep", ["100"])
        let started = try await store.start(req)
        let state = try DriverState.decode(started.driverState)
        kill(state.supervisorPID, SIGKILL)
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit.exitCode, -1)
        XCTAssertTrue(exit.errorText?.contains("supervisor exited unexpectedly") ?? false, exit.errorText ?? "")
        let gone = await taskEventually { taskProcesses(inGroup: started.pid).isEmpty }
        XCTAssertTrue(gone)
        try await store.destroy(req.id, force: true)
    }

    func testGarbageDriverStateIsRejected() async throws {
        let store = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        _ = await XCTAssertTaskError(.invalidArgument) { () async throws(TaskError) in try await store.recover(driverState: Array("not json".utf8)) }
        _ = await XCTAssertTaskError(.invalidArgument) { () async throws(TaskError) in try await store.recover(driverState: []) }
    }

    /// The real plugin-restart case: the supervisor was started by another (now gone) process, so it
    /// is not our child and can only be watched through /proc and its exit file.
    func testRecoverTaskWhoseSupervisorIsNotOurChild() async throws {
        let req = scratch.request("/bin/sleep", ["100"], id: "alloc-1/task/orphan")
        let paths = TaskStatePaths(taskDir: req.taskDir, taskID: req.id)
        try FileManager.default.createDirectory(atPath: paths.directory, withIntermediateDirectories: true)
        let spec = try XCTUnwrap(TaskFiles.encodeJSON(TaskSupervisorSpec(request: req, stateDirectory: paths.directory, cgroupPath: nil, executable: "/bin/sleep", workDirectory: req.taskDir)))
        try Data(spec).write(to: URL(fileURLWithPath: paths.spec))
        let pidFile = scratch.root + "/supervisor.pid"
        let script = "setsid '\(binary!)' supervise '\(paths.spec)' </dev/null >/dev/null 2>&1 & echo $! > '\(pidFile)'"
        var shell: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(script), nil]
        defer { argv.forEach { free($0) } }
        XCTAssertEqual(posix_spawn(&shell, "/bin/sh", nil, nil, &argv, nil), 0)
        var status: Int32 = 0
        waitpid(shell, &status, 0)

        let supervisorPID = try XCTUnwrap(Int32((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        let startedOK = await taskEventually { FileManager.default.fileExists(atPath: paths.started) }
        XCTAssertTrue(startedOK)
        let started = try JSONDecoder().decode(TaskStartedRecord.self, from: Data(contentsOf: URL(fileURLWithPath: paths.started)))
        let taskPID = try XCTUnwrap(started.pid)
        let supervisorStat = try XCTUnwrap(ProcStat.read(pid: supervisorPID))
        XCTAssertNotEqual(supervisorStat.ppid, getpid())
        let state = DriverState(
            taskID: req.id, supervisorPID: supervisorPID, supervisorStartTime: supervisorStat.startTime, taskPID: taskPID,
            taskPGID: started.pgid ?? taskPID, taskStartTime: try XCTUnwrap(started.startTime), exitFilePath: paths.exit,
            stateDirectory: paths.directory, cgroupPath: nil, startedAt: Date(), request: req)

        let store = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        try await store.recover(driverState: state.encode())
        let running = try await store.inspect(req.id)
        XCTAssertEqual(running.state, .running)
        try await store.stop(req.id, signal: "SIGTERM", timeout: .seconds(5))
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit.signal, SIGTERM)
        XCTAssertNil(exit.errorText)
        let supervisorGone = await taskEventually { !ProcStat.isAlive(pid: supervisorPID, startTime: supervisorStat.startTime) }
        XCTAssertTrue(supervisorGone)
        try await store.destroy(req.id, force: false)
    }

    /// A pid that belonged to a process which has exited and been reaped.
    private func deadPID() throws -> Int32 {
        let store = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        _ = store
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { free(argv[0]) }
        XCTAssertEqual(posix_spawn(&pid, "/bin/true", nil, nil, &argv, nil), 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return pid
    }
}
