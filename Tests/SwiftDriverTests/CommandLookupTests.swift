import Foundation
import XCTest
@testable import SwiftDriver

/// The one lookup policy tasks and exec sessions share.
final class CommandLookupTests: XCTestCase {
    var scratch: TaskScratch!

    override func setUp() async throws { scratch = try TaskScratch() }
    override func tearDown() async throws { scratch?.remove() }

    private func makeExecutable(_ path: String) {
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("#!/bin/sh\n".utf8)))
        chmod(path, 0o755)
    }

    func testRelativeAndEmptyPathEntriesAreSkipped() {
        makeExecutable(scratch.taskDir + "/bin/tool")
        let base = scratch.taskDir + "/elsewhere"
        let found = CommandLookup.find("tool", in: [base], pathVariable: "bin::" + scratch.taskDir + "/bin")
        XCTAssertEqual(try found.get(), scratch.taskDir + "/bin/tool")
        let onlyRelative = CommandLookup.find("tool", in: [base], pathVariable: "bin:")
        XCTAssertEqual(onlyRelative, .failure(.notFound(sawNonExecutable: false)))
    }

    func testBaseDirectoriesComeBeforePath() {
        makeExecutable(scratch.taskDir + "/sh")
        XCTAssertEqual(try CommandLookup.find("sh", in: [scratch.taskDir], pathVariable: "/bin").get(), scratch.taskDir + "/sh")
        XCTAssertEqual(try CommandLookup.find("./sh", in: [scratch.taskDir], pathVariable: nil).get(), scratch.taskDir + "/./sh")
    }

    func testNULAndEmptyAreRefused() {
        XCTAssertEqual(CommandLookup.find("sh\0x", in: [scratch.taskDir], pathVariable: nil), .failure(.containsNUL))
        XCTAssertEqual(CommandLookup.find("", in: [scratch.taskDir], pathVariable: nil), .failure(.empty))
    }

    func testExecForkShortageIsRetryable() {
        let failure = SpawnFailure(code: EAGAIN, stage: "fork")
        XCTAssertEqual(failure.taskErrorKind, .transient)
        let error = failure.execError(command: "ls", workDir: "/", user: nil)
        XCTAssertEqual(StatusMapping.status(for: error).code, .aborted)
        XCTAssertEqual(StatusMapping.status(for: ExecError.commandNotFound("x")).code, .invalidArgument)
    }
}
