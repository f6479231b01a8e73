import SystemSupport
import Glibc
import XCTest
@testable import SwiftDriver

final class ExecRunnerTests: XCTestCase {
    private func run(_ command: [String], _ context: ExecContext = ExecTestSupport.context(),
                     timeout: Duration = .seconds(20)) async throws(ExecError) -> ExecOutput {
        try await ExecRunner.run(command: command, context: context, timeout: timeout)
    }

    func testOutputAndExitCode() async throws {
        let output = try await run(["sh", "-c", "echo out; echo err >&2; exit 3"])
        XCTAssertEqual(String(decoding: output.stdout, as: UTF8.self), "out\n")
        XCTAssertEqual(String(decoding: output.stderr, as: UTF8.self), "err\n")
        XCTAssertEqual(output.exitCode, 3)
        XCTAssertEqual(output.signal, 0)
        XCTAssertFalse(output.timedOut)
    }

    func testEnvironmentIsExactlyTheContexts() async throws {
        let context = ExecTestSupport.context(env: ["GREETING": "hello task"])
        let output = try await run(["sh", "-c", "echo \"$GREETING\"; echo \"[${HOME-unset}]\""], context)
        XCTAssertEqual(String(decoding: output.stdout, as: UTF8.self), "hello task\n[unset]\n")
    }

    func testWorkDirAndTaskDirDefault() async throws {
        let explicit = try await run(["pwd"], ExecTestSupport.context(workDir: "/usr"))
        XCTAssertEqual(String(decoding: explicit.stdout, as: UTF8.self), "/usr\n")
        let defaulted = try await run(["pwd"], ExecContext(env: ["PATH": ExecTestSupport.path], taskDir: "/etc"))
        XCTAssertEqual(String(decoding: defaulted.stdout, as: UTF8.self), "/etc\n")
    }

    func testTimeoutKillsTheWholeProcessGroup() async throws {
        let output = try await run(["sh", "-c", "sleep 30 & echo $!; wait"], timeout: .milliseconds(300))
        XCTAssertTrue(output.timedOut)
        XCTAssertEqual(output.signal, SIGKILL)
        XCTAssertEqual(output.exitCode, 128 + SIGKILL)
        let background = try XCTUnwrap(Int32(String(decoding: output.stdout, as: UTF8.self).trimmingASCIIWhitespace()))
        let dead = await ExecTestSupport.eventually { ExecTestSupport.isDead(background) }
        XCTAssertTrue(dead, "the background child in the group must be killed too")
    }

    func testDeathBySignalIsReportedAs128PlusSignal() async throws {
        let output = try await run(["sh", "-c", "kill -TERM $$"])
        XCTAssertEqual(output.signal, SIGTERM)
        XCTAssertEqual(output.exitCode, 128 + SIGTERM)
        XCTAssertFalse(output.timedOut)
    }

    func testMissingCommandIsAClearError() async {
        do {
            _ = try await run(["no-such-command-swiftdriver"])
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error, .commandNotFound("no-such-command-swiftdriver"))
            XCTAssertTrue(error.description.contains("no-such-command-swiftdriver"))
        }
        do {
            _ = try await run(["/nonexistent/bin/tool"])
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error, .commandNotFound("/nonexistent/bin/tool"))
        }
    }

    func testOtherStartFailures() async {
        do {
            _ = try await run([])
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error, .emptyCommand)
        }
        let script = "/tmp/swiftdriver-exec-test-\(getpid()).txt"
        let fd = open(script, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        close(fd)
        defer { unlink(script) }
        do {
            _ = try await run([script])
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error, .permissionDenied(script))
        }
        chmod(script, 0o755)
        let garbage: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]
        let wfd = open(script, O_WRONLY | O_TRUNC | O_CLOEXEC)
        _ = garbage.withUnsafeBytes { write(wfd, $0.baseAddress, $0.count) }
        close(wfd)
        do {
            _ = try await run([script])
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error, .notAProgram(script))
        }
        do {
            _ = try await run(["true"], ExecTestSupport.context(workDir: "/nonexistent/dir"))
            XCTFail("expected an error")
        } catch {
            guard case .workDirUnavailable(let path, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(path, "/nonexistent/dir")
        }
    }

    func testUserSwitchWhenRoot() async throws {
        try XCTSkipUnless(geteuid() == 0, "switching users needs root")
        let output = try await run(["id", "-u"], ExecTestSupport.context(user: "nobody"))
        XCTAssertEqual(String(decoding: output.stdout, as: UTF8.self), "65534\n")
        do {
            _ = try await run(["id"], ExecTestSupport.context(user: "no-such-user-swiftdriver"))
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error, .unknownUser("no-such-user-swiftdriver"))
        }
    }

    func testOutputIsCappedButTheCommandCompletes() async throws {
        let output = try await run(["head", "-c", "5000000", "/dev/zero"])
        XCTAssertEqual(output.stdout.count, ExecRunner.outputLimit)
        XCTAssertTrue(output.stdoutTruncated)
        XCTAssertFalse(output.stderrTruncated)
        XCTAssertEqual(output.exitCode, 0)
    }

    func testCancellingTheCallerKillsTheCommand() async throws {
        let task = Task { try await ExecRunner.run(command: ["sleep", "30"], context: ExecTestSupport.context(), timeout: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertEqual(error as? ExecError, .cancelled)
        }
    }
}
