import Foundation
import Logging
import Locking
import XCTest
@testable import SwiftDriver

/// Locates the built `nomad-driver-swift` (the supervisor) next to the test bundle: SwiftPM puts
/// the xctest executable and the products in the same build directory.
func taskSupervisorBinary() throws -> String {
    if let path = ProcessInfo.processInfo.environment["NOMAD_DRIVER_SWIFT_BINARY"] { return path }
    var candidates: [String] = []
    for start in [Bundle.main.executablePath, Bundle.main.bundlePath, TaskStore.currentExecutablePath()].compactMap({ $0 }) {
        var dir = URL(fileURLWithPath: start).deletingLastPathComponent()
        for _ in 0..<3 {
            candidates.append(dir.appendingPathComponent("nomad-driver-swift").path)
            dir = dir.deletingLastPathComponent()
        }
    }
    if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
    throw TaskMissingBinary(candidates: candidates)
}

struct TaskMissingBinary: Error, CustomStringConvertible {
    var candidates: [String]
    var description: String { "nomad-driver-swift is not built next to the tests; run `swift build` first (looked at \(candidates))." }
}

let taskTestLogger = Logger(label: "task-tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// A scratch allocation: an alloc dir with one task dir and log files.
struct TaskScratch {
    let root: String
    let taskDir: String
    let stdoutPath: String
    let stderrPath: String

    init() throws {
        var template = Array("/tmp/sd-tasks-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        root = String(cString: made)
        taskDir = root + "/task"
        stdoutPath = root + "/stdout.log"
        stderrPath = root + "/stderr.log"
        try FileManager.default.createDirectory(atPath: taskDir, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: stdoutPath, contents: nil),
              FileManager.default.createFile(atPath: stderrPath, contents: nil) else { throw POSIXError(.EIO) }
    }

    func request(_ command: String, _ args: [String] = [], id: String = "alloc-1/task/" + String(UInt32.random(in: 0...UInt32.max), radix: 16),
                 env: [String: String] = ["PATH": "/usr/bin:/bin"], workDir: String? = nil) -> TaskLaunchRequest {
        TaskLaunchRequest(
            id: id, name: "task", allocID: "alloc-1", env: env, taskDir: taskDir, stdoutPath: stdoutPath,
            stderrPath: stderrPath, settings: TaskSettings(command: command, args: args, workDir: workDir))
    }

    func stdout() -> String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// Pids of live taskProcesses whose process group is `pgid`.
func taskProcesses(inGroup pgid: Int32) -> [Int32] {
    taskAllProcessStats().filter { $0.stat.pgrp == pgid && !$0.stat.isZombie }.map(\.pid)
}

/// Zombie children of this test process.
func taskZombieChildren() -> [Int32] {
    let me = getpid()
    return taskAllProcessStats().filter { $0.stat.ppid == me && $0.stat.isZombie }.map(\.pid)
}

func taskAllProcessStats() -> [(pid: Int32, stat: ProcStat)] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.compactMap { pid in ProcStat.read(pid: pid).map { (pid, $0) } }
}

func taskOpenDescriptorCount() -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count
}

/// Polls a condition (for process-table changes that lag an event) up to `timeout`.
func taskEventually(_ timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

func XCTAssertTaskError<T>(_ kind: TaskError.Kind, _ body: () async throws(TaskError) -> T,
                           file: StaticString = #filePath, line: UInt = #line) async -> TaskError? {
    do {
        _ = try await body()
        XCTFail("expected a \(kind) error", file: file, line: line)
        return nil
    } catch {
        XCTAssertEqual(error.kind, kind, error.message, file: file, line: line)
        return error
    }
}

/// Reads a FIFO to its end on a plain thread (a blocking open must not occupy the Swift concurrency pool).
final class TaskFIFOReader: Sendable {
    private let result = Mutex<[UInt8]?>(nil)

    init(path: String) {
        Thread.detachNewThread { [self] in
            let fd = open(path, O_RDONLY)
            var data = [UInt8]()
            if fd >= 0 {
                var chunk = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    data.append(contentsOf: chunk[0..<n])
                }
                close(fd)
            }
            self.result.withLock { $0 = data }
        }
    }

    func bytes(timeout: Duration) async -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let data = result.withLock({ $0 }) { return data }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

/// A fresh scratch allocation and task store per test; tasks left running are destroyed after.
class TaskStoreTestCase: XCTestCase {
    var scratch: TaskScratch!
    var store: TaskStore!

    override func setUp() async throws {
        scratch = try TaskScratch()
        store = TaskStore(supervisorExecutable: try taskSupervisorBinary(), logger: taskTestLogger)
    }

    override func tearDown() async throws {
        if let store {
            for task in await store.runningTasks() { try? await store.destroy(task.id, force: true) }
        }
        scratch?.remove()
    }
}
