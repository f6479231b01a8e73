import XCTest
@testable import SwiftDriver

final class ExecLeakTests: XCTestCase {
    func testNoDescriptorOrZombieLeakOverManyRuns() async throws {
        let context = ExecTestSupport.context()
        // Warm up once so lazily opened runtime descriptors are not counted as leaks.
        _ = try await ExecRunner.run(command: ["true"], context: context, timeout: .seconds(10))
        let before = ExecTestSupport.openFds()
        for index in 0..<200 {
            if index % 10 == 0 {
                let session = try ExecSession.start(command: ["sh", "-c", "echo hi"], context: context, tty: true)
                _ = await ExecTestSupport.collect(session)
            } else {
                let output = try await ExecRunner.run(command: ["sh", "-c", "echo x; echo y >&2"], context: context, timeout: .seconds(10))
                XCTAssertEqual(output.exitCode, 0)
            }
            _ = try? await ExecRunner.run(command: ["no-such-command-swiftdriver"], context: context, timeout: .seconds(10))
        }
        let after = ExecTestSupport.openFds()
        let added = after.filter { before[$0.key] != $0.value }
        // Only descriptors of the kinds exec creates count as leaks; the Swift runtime may
        // lazily open its own (eventfd, epoll) while many threads come and go.
        let leaked = added.filter { $0.value.hasPrefix("pipe:") || $0.value.hasPrefix("/dev/pts/") || $0.value == "/dev/ptmx" }
        XCTAssertEqual(leaked, [:], "leaked descriptors")
        XCTAssertLessThanOrEqual(after.count, before.count + 2, "unexpected descriptors: \(added)")
        XCTAssertEqual(ExecTestSupport.zombieChildren(), [])
    }
}
