import Foundation
import XCTest
@testable import SwiftDriver

final class TaskLifecycleTests: TaskStoreTestCase {
    func testExitCodeIsReported() async throws {
        let req = scratch.request("/bin/sh", ["-c", "echo hello; exit 3"])
        let started = try await store.start(req)
        XCTAssertGreaterThan(started.pid, 0)
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit.exitCode, 3)
        XCTAssertEqual(exit.signal, 0)
        XCTAssertNil(exit.errorText)
        XCTAssertEqual(scratch.stdout(), "hello\n")
        let snapshot = try await store.inspect(req.id)
        XCTAssertEqual(snapshot.state, .exited)
        XCTAssertEqual(snapshot.exit, exit)
        XCTAssertNotNil(snapshot.completedAt)
    }

    func testBareCommandIsFoundInPathAndSucceeds() async throws {
        let req = scratch.request("true")
        _ = try await store.start(req)
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit, TaskExit(exitCode: 0))
    }

    func testEnvironmentAndWorkDirectory() async throws {
        try FileManager.default.createDirectory(atPath: scratch.taskDir + "/sub", withIntermediateDirectories: true)
        let req = scratch.request("/bin/sh", ["-c", "echo \"$GREETING\"; pwd"], env: ["GREETING": "hi there"], workDir: "sub")
        _ = try await store.start(req)
        _ = try await store.wait(req.id)
        XCTAssertEqual(scratch.stdout(), "hi there\n\(scratch.taskDir)/sub\n")
        let stored = await store.launchRequest(for: req.id)
        XCTAssertEqual(stored, req)
        let unknown = await store.launchRequest(for: "nope")
        XCTAssertNil(unknown)
    }

    func testSignalIsReportedByWait() async throws {
        let req = scratch.request("/bin/sleep", ["100"])
        _ = try await store.start(req)
        try await store.signal(req.id, name: "usr1")
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit.signal, SIGUSR1)
        XCTAssertEqual(exit.exitCode, 128 + SIGUSR1)
    }

    func testUnknownSignalNameIsInvalidArgument() async throws {
        let req = scratch.request("/bin/sleep", ["100"])
        _ = try await store.start(req)
        let error = await XCTAssertTaskError(.invalidArgument) { () async throws(TaskError) in try await self.store.signal(req.id, name: "SIGBOGUS") }
        XCTAssertTrue(error?.message.contains("SIGBOGUS") ?? false)
        let stillRunning = try await store.inspect(req.id)
        XCTAssertEqual(stillRunning.state, .running)
    }

    func testConcurrentWaitersAllSeeTheExit() async throws {
        let req = scratch.request("/bin/sleep", ["100"])
        _ = try await store.start(req)
        let store = self.store!
        let exits = try await withThrowingTaskGroup(of: TaskExit.self) { group in
            for _ in 0..<5 { group.addTask { try await store.wait(req.id) } }
            try await Task.sleep(for: .milliseconds(100))
            try await store.stop(req.id, signal: "SIGTERM", timeout: .seconds(5))
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(exits.count, 5)
        XCTAssertTrue(exits.allSatisfy { $0.signal == SIGTERM })
    }

    func testStopEscalatesToSIGKILLWhenTERMIsIgnored() async throws {
        let req = scratch.request("/bin/sh", ["-c", "trap '' TERM; echo ready; sleep 100"])
        _ = try await store.start(req)
        let ready = await taskEventually { self.scratch.stdout().contains("ready") }
        XCTAssertTrue(ready)
        let before = ContinuousClock.now
        try await store.stop(req.id, signal: "SIGTERM", timeout: .milliseconds(500))
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - before, .milliseconds(500), "SIGKILL came before the timeout")
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit.signal, SIGKILL)
    }

    func testStopKillsForkedChildren() async throws {
        let req = scratch.request("/bin/sh", ["-c", "sleep 100 & sleep 100 & (trap '' TERM INT; sleep 100) & wait"])
        let started = try await store.start(req)
        let forked = await taskEventually { taskProcesses(inGroup: started.pid).count >= 4 }
        XCTAssertTrue(forked, "children did not start: \(taskProcesses(inGroup: started.pid))")
        try await store.stop(req.id, signal: "", timeout: .seconds(2))
        let snapshot = try await store.inspect(req.id)
        XCTAssertEqual(snapshot.state, .exited)
        XCTAssertEqual(snapshot.pgid, started.pid)
        let empty = await taskEventually(.seconds(2)) { taskProcesses(inGroup: started.pid).isEmpty }
        XCTAssertTrue(empty, "left in the group: \(taskProcesses(inGroup: started.pid))")
    }

    func testMissingAbsoluteCommandIsInvalidConfig() async throws {
        let error = await XCTAssertTaskError(.invalidConfig) { () async throws(TaskError) in
            try await self.store.start(self.scratch.request("/nonexistent/prog"))
        }
        XCTAssertTrue(error?.message.contains("/nonexistent/prog") ?? false, error?.message ?? "")
    }

    func testUnknownBareCommandIsInvalidConfig() async throws {
        let error = await XCTAssertTaskError(.invalidConfig) { () async throws(TaskError) in
            try await self.store.start(self.scratch.request("no-such-command-sd"))
        }
        XCTAssertTrue(error?.message.contains("no-such-command-sd") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("not found") ?? false, error?.message ?? "")
    }

    func testExecFailureInSupervisorIsReported() async throws {
        // Passes the pre-check (an executable file) but execve fails: its interpreter is missing.
        let script = scratch.taskDir + "/broken.sh"
        try "#!/nonexistent/interpreter\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let req = scratch.request("broken.sh")
        let error = await XCTAssertTaskError(.invalidConfig) { () async throws(TaskError) in try await self.store.start(req) }
        XCTAssertTrue(error?.message.contains("execve") ?? false, error?.message ?? "")
        let unknown = await XCTAssertTaskError(.notFound) { () async throws(TaskError) in try await self.store.inspect(req.id) }
        XCTAssertNotNil(unknown)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.taskDir + "/.nomad-driver-swift"), "state left behind")
        XCTAssertTrue(taskZombieChildren().isEmpty)
    }

    func testStartingTheSameIDTwiceFails() async throws {
        let req = scratch.request("/bin/sleep", ["100"])
        _ = try await store.start(req)
        _ = await XCTAssertTaskError(.alreadyExists) { () async throws(TaskError) in try await self.store.start(req) }
    }

    func testTenMegabytesThroughAFIFO() async throws {
        let fifo = scratch.root + "/stdout.fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let reader = TaskFIFOReader(path: fifo)
        var req = scratch.request("/bin/sh", ["-c", "yes abcdefghijklmno | head -c 10485760"])
        req.stdoutPath = fifo
        _ = try await store.start(req)
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit.exitCode, 0)
        let received = await reader.bytes(timeout: .seconds(10))
        let data = try XCTUnwrap(received, "the reader never saw the end of the output")
        XCTAssertEqual(data.count, 10_485_760)
        let pattern = Array("abcdefghijklmno\n".utf8)
        let intact = data.withUnsafeBufferPointer { buf in
            (0..<buf.count).allSatisfy { buf[$0] == pattern[$0 & 15] }
        }
        XCTAssertTrue(intact, "the output was corrupted")
    }

    func testEvictionReasonIsCarriedByTheExit() async throws {
        let req = scratch.request("/bin/sleep", ["100"])
        _ = try await store.start(req)
        await store.markEvicted(req.id, reason: "Evicted: the node is under disk pressure.")
        try await store.stop(req.id, signal: "SIGTERM", timeout: .seconds(5))
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit.errorText, "Evicted: the node is under disk pressure.")
        XCTAssertNotEqual(exit.exitCode, 0)
    }

    func testRunningTasksListsOnlyRunning() async throws {
        let long = scratch.request("/bin/sleep", ["100"])
        let short = scratch.request("/bin/true")
        _ = try await store.start(long)
        _ = try await store.start(short)
        _ = try await store.wait(short.id)
        let running = await store.runningTasks()
        XCTAssertEqual(running.map(\.id), [long.id])
        XCTAssertEqual(running.first?.taskDir, scratch.taskDir)
        XCTAssertEqual(running.first?.settings.command, "/bin/sleep")
    }
}
