import SystemSupport
import Glibc
import XCTest
@testable import SwiftDriver

final class ExecSessionTests: XCTestCase {
    private let context = ExecTestSupport.context()

    func testStdinEchoThroughCat() async throws {
        let session = try ExecSession.start(command: ["cat"], context: context, tty: false)
        session.write(stdin: Array("hello\n".utf8))
        session.write(stdin: Array("world\n".utf8))
        session.closeStdin()
        let events = await ExecTestSupport.collect(session)
        XCTAssertEqual(ExecTestSupport.stdout(events), "hello\nworld\n")
        XCTAssertEqual(events.last, .exited(code: 0, signal: 0))
        XCTAssertEqual(events.filter { $0 == .stdoutClosed }.count, 1)
        XCTAssertEqual(events.filter { $0 == .stderrClosed }.count, 1)
    }

    func testStderrIsSeparateWithoutTTY() async throws {
        let session = try ExecSession.start(command: ["sh", "-c", "echo a; echo b >&2; exit 7"], context: context, tty: false)
        let events = await ExecTestSupport.collect(session)
        XCTAssertEqual(ExecTestSupport.stdout(events), "a\n")
        XCTAssertEqual(ExecTestSupport.stderr(events), "b\n")
        XCTAssertEqual(events.last, .exited(code: 7, signal: 0))
    }

    func testTTYIsAPseudoTerminalAndCarriesStderr() async throws {
        let session = try ExecSession.start(command: ["sh", "-c", "tty; echo oops >&2"], context: context, tty: true)
        let events = await ExecTestSupport.collect(session)
        let text = ExecTestSupport.stdout(events)
        XCTAssertTrue(text.hasPrefix("/dev/pts/"), "got \(text)")
        XCTAssertTrue(text.contains("oops"))
        XCTAssertEqual(ExecTestSupport.stderr(events), "")
        XCTAssertEqual(events.last, .exited(code: 0, signal: 0))
    }

    func testTerminalSizeAndResize() async throws {
        let session = try ExecSession.start(
            command: ["sh", "-c", "stty size; read line; stty size"], context: context, tty: true,
            terminalSize: (height: 24, width: 80))
        var iterator = session.outputs.makeAsyncIterator()
        var seen = ""
        while !seen.contains("24 80"), let event = await iterator.next() {
            if case .stdout(let bytes) = event { seen += String(decoding: bytes, as: UTF8.self) }
        }
        XCTAssertTrue(seen.contains("24 80"), "got \(seen)")
        session.resize(height: 30, width: 100)
        session.write(stdin: Array("go\n".utf8))
        var rest: [ExecOutputEvent] = []
        while let event = await iterator.next() { rest.append(event) }
        XCTAssertTrue(ExecTestSupport.stdout(rest).contains("30 100"), "got \(ExecTestSupport.stdout(rest))")
        XCTAssertEqual(rest.last, .exited(code: 0, signal: 0))
    }

    func testTTYStdinCloseSendsEOF() async throws {
        let session = try ExecSession.start(command: ["cat"], context: context, tty: true)
        session.write(stdin: Array("ping\n".utf8))
        session.closeStdin()
        let events = await ExecTestSupport.collect(session)
        XCTAssertTrue(ExecTestSupport.stdout(events).contains("ping"))
        XCTAssertEqual(events.last, .exited(code: 0, signal: 0))
    }

    /// cat closes its terminal descriptors just before exiting; the master must stay open
    /// until then or the hang-up kills it (this raced in about a quarter of runs).
    func testTTYChildIsNotHungUpWhileExiting() async throws {
        for _ in 0..<20 {
            let session = try ExecSession.start(command: ["cat"], context: context, tty: true)
            session.write(stdin: Array("ping\n".utf8))
            session.closeStdin()
            let events = await ExecTestSupport.collect(session)
            XCTAssertEqual(events.last, .exited(code: 0, signal: 0))
        }
    }

    func testBackgroundChildHoldingTheOutputDoesNotBlockTheExit() async throws {
        let session = try ExecSession.start(command: ["sh", "-c", "sleep 30 & echo $!"], context: context, tty: false)
        let events = await ExecTestSupport.collect(session)
        XCTAssertEqual(events.last, .exited(code: 0, signal: 0))
        XCTAssertTrue(events.contains(.stdoutClosed))
        if let background = Int32(ExecTestSupport.stdout(events).trimmingASCIIWhitespace()) { kill(background, SIGKILL) }
    }

    func testTerminateReportsTheSignal() async throws {
        let session = try ExecSession.start(command: ["sleep", "30"], context: context, tty: false)
        session.terminate()
        let events = await ExecTestSupport.collect(session)
        XCTAssertEqual(events.last, .exited(code: 128 + SIGKILL, signal: SIGKILL))
        session.terminate()  // after reaping: a no-op, never a signal to a reused pid
    }

    func testCancelledConsumerKillsTheCommand() async throws {
        let session = try ExecSession.start(command: ["sleep", "30"], context: context, tty: false)
        let pid = session.pid
        let consumer = Task { await ExecTestSupport.collect(session) }
        try await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        _ = await consumer.value
        let gone = await ExecTestSupport.eventually { ExecTestSupport.isDead(pid) }
        XCTAssertTrue(gone)
    }

    func testStartErrorsAreTyped() {
        XCTAssertThrowsError(try ExecSession.start(command: ["no-such-command-swiftdriver"], context: context, tty: true)) {
            XCTAssertEqual($0 as? ExecError, .commandNotFound("no-such-command-swiftdriver"))
        }
    }
}
