import Foundation
import XCTest
@testable import SwiftDriver

final class TaskCommandResolverTests: XCTestCase {
    var scratch: TaskScratch!

    override func setUp() async throws { scratch = try TaskScratch() }
    override func tearDown() async throws { scratch?.remove() }

    private func makeExecutable(_ path: String, mode: mode_t = 0o755) {
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("#!/bin/sh\n".utf8)))
        chmod(path, mode)
    }

    private func resolve(_ command: String, path: String? = "/usr/bin:/bin") -> Result<String, TaskError> {
        TaskCommandResolver.resolve(command, taskDir: scratch.taskDir, pathVariable: path)
    }

    func testBareNamePrefersLocalThenTaskDirThenPath() {
        XCTAssertEqual(try resolve("sh").get(), "/usr/bin/sh")
        makeExecutable(scratch.taskDir + "/sh")
        XCTAssertEqual(try resolve("sh").get(), scratch.taskDir + "/sh")
        makeExecutable(scratch.taskDir + "/local/sh")
        XCTAssertEqual(try resolve("sh").get(), scratch.taskDir + "/local/sh")
    }

    func testRelativePathsAreTaskDirRelativeNeverThePluginsWorkingDirectory() throws {
        // A file that only exists relative to the test process's cwd must not be found.
        let cwd = FileManager.default.currentDirectoryPath
        let decoy = "sd-resolver-decoy-\(getpid())"
        makeExecutable(cwd + "/" + decoy + "/app")
        defer { try? FileManager.default.removeItem(atPath: cwd + "/" + decoy) }
        guard case .failure(let error) = resolve(decoy + "/app") else { return XCTFail("resolved against the cwd") }
        XCTAssertEqual(error.kind, .invalidConfig)
        XCTAssertTrue(error.message.contains(scratch.taskDir), error.message)

        makeExecutable(scratch.taskDir + "/bin/app")
        XCTAssertEqual(try resolve("bin/app").get(), scratch.taskDir + "/bin/app")
        XCTAssertEqual(try resolve("./bin/app").get(), scratch.taskDir + "/./bin/app")
        makeExecutable(scratch.taskDir + "/local/bin/app")
        XCTAssertEqual(try resolve("bin/app").get(), scratch.taskDir + "/local/bin/app")
    }

    func testRelativePathEntriesAreSkipped() {
        makeExecutable(scratch.taskDir + "/tools/helper")
        let cwd = FileManager.default.currentDirectoryPath
        makeExecutable(cwd + "/sd-resolver-rel-\(getpid())/helper")
        defer { try? FileManager.default.removeItem(atPath: cwd + "/sd-resolver-rel-\(getpid())") }
        guard case .failure(let error) = resolve("helper", path: "tools:sd-resolver-rel-\(getpid()):.") else {
            return XCTFail("a relative PATH entry was used")
        }
        XCTAssertTrue(error.message.contains("absolute entries of PATH"), error.message)
    }

    func testBadCommandsGetSentences() {
        let cases: [(String, String)] = [
            ("", "empty"),
            ("a\u{0}b", "NUL"),
            ("/no/such/program", "does not exist"),
            ("missing-program-sd", "was not found"),
        ]
        for (command, phrase) in cases {
            guard case .failure(let error) = resolve(command) else { XCTFail("\(command) resolved"); continue }
            XCTAssertEqual(error.kind, .invalidConfig)
            XCTAssertTrue(error.message.contains(phrase), "\(command): \(error.message)")
        }
        makeExecutable(scratch.taskDir + "/data.txt", mode: 0o644)
        guard case .failure(let error) = resolve("./data.txt") else { return XCTFail("a non-executable resolved") }
        XCTAssertTrue(error.message.contains("not an executable"), error.message)
    }

    /// The path the plugin resolved (and logs) is the one the supervisor runs.
    func testStartedTaskReportsTheResolvedProgram() async throws {
        let store = TaskStore(supervisorExecutable: try taskSupervisorBinary(), logger: taskTestLogger)
        makeExecutable(scratch.taskDir + "/local/hello")
        try Data("#!/bin/sh\necho from-local\n".utf8).write(to: URL(fileURLWithPath: scratch.taskDir + "/local/hello"))
        let req = scratch.request("hello")
        let started = try await store.start(req)
        XCTAssertEqual(started.executable, scratch.taskDir + "/local/hello")
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit, TaskExit(exitCode: 0))
        XCTAssertEqual(scratch.stdout(), "from-local\n")
        try await store.destroy(req.id, force: false)
    }

    /// One rule for the task and its exec sessions: a relative work_dir is under the task dir.
    func testWorkDirectoryPathIsTheSameForTaskAndExec() {
        let taskDir = "/alloc/a1/web"
        XCTAssertEqual(TaskCommandResolver.workDirectoryPath(TaskSettings(command: "x"), taskDir: taskDir), taskDir)
        XCTAssertEqual(TaskCommandResolver.workDirectoryPath(TaskSettings(command: "x", workDir: "srv"), taskDir: taskDir), taskDir + "/srv")
        XCTAssertEqual(TaskCommandResolver.workDirectoryPath(TaskSettings(command: "x", workDir: "/srv"), taskDir: taskDir), "/srv")
    }
}
