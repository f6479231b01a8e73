import Foundation
import XCTest
@testable import SwiftDriver

final class TaskEdgeCaseTests: XCTestCase {
    var scratch: TaskScratch!
    var binary: String!

    override func setUp() async throws {
        scratch = try TaskScratch()
        binary = try taskSupervisorBinary()
    }

    override func tearDown() async throws {
        scratch?.remove()
    }

    func testStartTimesOutWhenNobodyReadsTheFIFO() async throws {
        let store = TaskStore(supervisorExecutable: binary, logger: taskTestLogger, startTimeout: .milliseconds(500))
        let fifo = scratch.root + "/unread.fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        var req = scratch.request("/bin/true")
        req.stdoutPath = fifo
        let error = await XCTAssertTaskError(.transient) { () async throws(TaskError) in try await store.start(req) }
        XCTAssertTrue(error?.message.contains("FIFO") ?? false, error?.message ?? "")
        _ = await XCTAssertTaskError(.notFound) { () async throws(TaskError) in try await store.inspect(req.id) }
        let clean = await taskEventually { taskZombieChildren().isEmpty }
        XCTAssertTrue(clean, "zombies: \(taskZombieChildren())")
    }

    func testCancelledWaitEndsWithoutTheTaskEnding() async throws {
        let store = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        let req = scratch.request("/bin/sleep", ["100"])
        _ = try await store.start(req)
        let waiter = Task { try await store.wait(req.id) }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        switch await waiter.result {
        case .success(let exit): XCTFail("the wait returned \(exit) though the task still runs")
        case .failure(let error): XCTAssertEqual((error as? TaskError)?.kind, .transient)
        }
        let snapshot = try await store.inspect(req.id)
        XCTAssertEqual(snapshot.state, .running)
        try await store.destroy(req.id, force: true)
    }

    func testTaskRunsAsTheConfiguredUser() async throws {
        try XCTSkipIf(geteuid() != 0, "needs root to check the user switch")
        let store = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        // Nomad makes task dirs reachable for the task user; mkdtemp's 0700 would not be.
        chmod(scratch.root, 0o755)
        chmod(scratch.stdoutPath, 0o666)
        var denied = scratch.request("/bin/true")
        denied.user = "nobody"
        let privateDir = scratch.root + "/private"
        mkdir(privateDir, 0o700)
        denied.settings.workDir = privateDir
        let chdirError = await XCTAssertTaskError(.invalidConfig) { () async throws(TaskError) in try await store.start(denied) }
        XCTAssertTrue(chdirError?.message.contains("working directory \(privateDir)") ?? false, chdirError?.message ?? "")
        var req = scratch.request("/bin/sh", ["-c", "id -u"])
        req.user = "nobody"
        _ = try await store.start(req)
        _ = try await store.wait(req.id)
        let uid = try XCTUnwrap(UserAccount.lookup("nobody")?.uid)
        XCTAssertEqual(scratch.stdout(), "\(uid)\n")
        var bad = scratch.request("/bin/true")
        bad.user = "no-such-user-sd"
        let error = await XCTAssertTaskError(.invalidConfig) { () async throws(TaskError) in try await store.start(bad) }
        XCTAssertTrue(error?.message.contains("no-such-user-sd") ?? false, error?.message ?? "")
    }

    func testSupervisorIgnoresTerminationSignalsAndRunsApartFromTheTask() async throws {
        let store = TaskStore(supervisorExecutable: binary, logger: taskTestLogger)
        let req = scratch.request("/bin/sh", ["-c", "sleep 0.5; exit 4"])
        let started = try await store.start(req)
        let state = try DriverState.decode(started.driverState)
        let supervisor = try XCTUnwrap(ProcStat.read(pid: state.supervisorPID))
        XCTAssertEqual(supervisor.pgrp, state.supervisorPID, "the supervisor leads its own session and group")
        XCTAssertEqual(state.taskPGID, started.pid, "the task leads its own process group")
        XCTAssertNotEqual(state.taskPGID, supervisor.pgrp)
        for sig in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { kill(state.supervisorPID, sig) }
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit, TaskExit(exitCode: 4))
        try await store.destroy(req.id, force: false)
    }

    /// After a real plugin restart the supervisor is not our child: liveness then comes from /proc.
    func testWatchOfAProcessThatIsNotOurChild() async throws {
        let out = scratch.root + "/pid"
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup("sleep 100 >/dev/null 2>&1 & echo $! > \(out)"), nil]
        defer { argv.forEach { free($0) } }
        XCTAssertEqual(posix_spawn(&pid, "/bin/sh", nil, nil, &argv, nil), 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let orphan = try XCTUnwrap(Int32((try String(contentsOfFile: out, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        let stat = try XCTUnwrap(ProcStat.read(pid: orphan))
        XCTAssertNotEqual(stat.ppid, getpid())
        var watch = TaskSupervisorWatch(
            supervisorPID: orphan, supervisorStartTime: stat.startTime, isChild: false, exitPath: scratch.root + "/exit.json",
            taskPID: orphan, taskStartTime: stat.startTime, cgroupPath: nil)
        guard case .running = watch.probe() else { return XCTFail("a live process was reported as ended") }
        var wrongStart = watch
        wrongStart.supervisorStartTime += 1
        wrongStart.taskPID = 0
        guard case .exited(let reused, _) = wrongStart.probe() else { return XCTFail("a reused pid was taken for the supervisor") }
        XCTAssertEqual(reused.exitCode, -1)
        kill(orphan, SIGKILL)
        let ended = await taskEventually { ProcStat.read(pid: orphan).map { $0.isZombie } ?? true }
        XCTAssertTrue(ended)
        guard case .exited(let exit, _) = watch.probe() else { return XCTFail("a dead supervisor was reported as running") }
        XCTAssertNotNil(exit.errorText)
    }
}
