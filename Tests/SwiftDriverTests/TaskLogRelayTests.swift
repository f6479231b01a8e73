import Foundation
import XCTest
@testable import SwiftDriver

/// The supervisor copies task output to logmon's FIFOs, so a FIFO reader that goes away (logmon
/// restarting) neither kills nor blocks the task.
final class TaskLogRelayTests: TaskStoreTestCase {
    func testTaskOutlivesItsFifoReader() async throws {
        let fifo = scratch.root + "/stdout.fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // A reader must be there for the supervisor's open to complete; it then goes away.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(reader, 0)
        var req = scratch.request("/bin/sh", ["-c", "i=0; while [ $i -lt 30 ]; do echo line-$i; i=$((i+1)); sleep 0.02; done; exit 5"])
        req.stdoutPath = fifo
        _ = try await store.start(req)
        close(reader)
        let exit = try await store.wait(req.id)
        // Writing to the FIFO itself would have ended the task with SIGPIPE (signal 13).
        XCTAssertEqual(exit, TaskExit(exitCode: 5))
    }

    func testOutputResumesWhenTheReaderComesBack() async throws {
        let fifo = scratch.root + "/stdout.fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let first = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(first, 0)
        var req = scratch.request("/bin/sh", ["-c", "i=0; while :; do echo line-$i; i=$((i+1)); sleep 0.02; done"])
        req.stdoutPath = fifo
        _ = try await store.start(req)
        close(first)
        try await Task.sleep(for: .milliseconds(300))
        let second = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(second, 0)
        defer { close(second) }
        var text = ""
        let deadline = ContinuousClock.now + .seconds(3)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !text.contains("line-") && ContinuousClock.now < deadline {
            let n = buffer.withUnsafeMutableBytes { read(second, $0.baseAddress, $0.count) }
            if n > 0 { text += String(decoding: buffer[0..<n], as: UTF8.self) } else { try await Task.sleep(for: .milliseconds(20)) }
        }
        XCTAssertTrue(text.contains("line-"), "no output reached the reopened FIFO")
        let snapshot = try await store.inspect(req.id)
        XCTAssertEqual(snapshot.state, .running)
        try await store.stop(req.id, signal: "SIGKILL", timeout: .seconds(1))
    }
}
