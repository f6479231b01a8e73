import Foundation
import GRPCCoreServer
import PluginProto
import XCTest

/// What a plugin running as root on every client must not allow or leak.
final class PluginSecurityTests: XCTestCase {
    private let driver = "/hashicorp.nomad.plugins.drivers.proto.Driver/"

    /// Runs a connect(2) to the plugin's socket as `user` (nil: as ourselves); returns the exit status.
    private func connectAs(_ user: String?, socket: String) throws -> Int32 {
        let process = Process()
        let script = "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])"
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", "/usr/bin/python3", "-c", script, socket]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", script, socket]
        }
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func testAnotherUserCannotConnect() async throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            throw XCTSkip("needs root, runuser and /usr/bin/python3 to act as another user")
        }
        let plugin = try LaunchedPlugin()
        defer { plugin.kill() }
        XCTAssertEqual(try connectAs(nil, socket: plugin.socketPath), 0, "the plugin's own user connects")
        XCTAssertNotEqual(try connectAs("nobody", socket: plugin.socketPath), 0, "another user is refused")
    }

    func testTaskEnvironmentValuesNeverReachTheLog() async throws {
        let secret = "hunter2-\(UInt32.random(in: 0...UInt32.max))"
        let plugin = try LaunchedPlugin(environment: ["NOMAD_DRIVER_SWIFT_LOG_LEVEL": "trace"])
        defer { plugin.kill() }
        let allocDir = try makeTemporaryDirectory()
        defer { removeTree(allocDir) }
        try FileManager.default.createDirectory(atPath: allocDir + "/web", withIntermediateDirectories: true)
        // config { command = "/bin/sh"  args = ["-c", "exit 3"] }
        let config: [UInt8] = [0x82, 0xa7] + Array("command".utf8) + [0xa7] + Array("/bin/sh".utf8)
            + [0xa4] + Array("args".utf8) + [0x92, 0xa2] + Array("-c".utf8) + [0xa6] + Array("exit 3".utf8)
        let task = TaskConfig(id: "alloc/web/1", name: "web", msgpackDriverConfig: config,
                              env: ["PATH": "/usr/bin:/bin", "DB_PASSWORD": secret], allocDir: allocDir, allocID: "alloc")
        _ = try await plugin.client.unary(driver + "StartTask", StartTaskRequest(task: task).wireBytes())
        let wait = try WaitTaskResponse(wireBytes: try await plugin.client.unary(driver + "WaitTask", WaitTaskRequest(taskID: task.id).wireBytes()))
        XCTAssertEqual(wait.result.exitCode, 3)
        _ = try await plugin.client.unary(driver + "DestroyTask", DestroyTaskRequest(taskID: task.id, force: true).wireBytes())
        _ = try await plugin.client.unary("/plugin.GRPCController/Shutdown", Empty().wireBytes())
        _ = await plugin.waitForExit(timeout: .seconds(5))
        let log = plugin.stderrLines().joined(separator: "\n")
        XCTAssertTrue(log.contains("alloc/web/1"), "the task was logged at all")
        let startLine = log.split(separator: "\n").first { $0.contains("\"@level\":\"info\"") && $0.contains("task started") && $0.contains("alloc/web/1") }.map(String.init) ?? ""
        XCTAssertTrue(startLine.contains("\"path\":\"/bin/sh\""), "the resolved program is logged: \(startLine)")
        XCTAssertFalse(log.contains(secret), "a task environment value reached the plugin log")
    }
}
