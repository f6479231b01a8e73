import Foundation
import GRPCCoreServer
import PluginProto
import XCTest

/// Requests with fields missing, ids that name no task, and control calls that race on one task:
/// each answered with a status that carries a sentence, and the plugin serves on.
final class PluginTaskControlInputTests: XCTestCase {
    private static let driver = "/hashicorp.nomad.plugins.drivers.proto.Driver/"

    /// Calls `method`; a failure must be a readable status, never UNKNOWN or INTERNAL.
    @discardableResult
    private static func callExpectingSentence(_ plugin: LaunchedPlugin, _ method: String, _ bytes: [UInt8],
                                       file: StaticString = #filePath, line: UInt = #line) async -> GRPCStatus? {
        do {
            _ = try await plugin.client.unary(driver + method, bytes)
            return nil
        } catch let status as GRPCStatus {
            XCTAssertNotEqual(status.code, .unknown, "\(method): \(status)", file: file, line: line)
            XCTAssertNotEqual(status.code, .internal, "\(method): \(status)", file: file, line: line)
            XCTAssertGreaterThan(status.message.count, 10, "\(method): \(status)", file: file, line: line)
            return status
        } catch {
            XCTFail("\(method): \(error)", file: file, line: line)
            return nil
        }
    }

    func testMissingFieldsAndUnknownTaskIDsGetSentences() async throws {
        let plugin = try LaunchedPlugin()
        defer { plugin.kill() }
        // An empty message is a request with every field missing. (StopTask is the exception: on an
        // unknown task it succeeds, because Nomad's client cannot recognise "not found" across gRPC
        // and would retry a failed stop five times.)
        for method in ["StartTask", "RecoverTask", "WaitTask", "DestroyTask", "InspectTask", "SignalTask", "ExecTask"] {
            let status = await Self.callExpectingSentence(plugin, method, [])
            XCTAssertNotNil(status, "\(method) with no fields must be refused")
        }
        let unknown = "no-such-alloc/web/\(UInt32.random(in: 0...UInt32.max))"
        let requests: [(String, [UInt8])] = [
            ("WaitTask", WaitTaskRequest(taskID: unknown).wireBytes()),
            ("DestroyTask", DestroyTaskRequest(taskID: unknown, force: true).wireBytes()),
            ("InspectTask", InspectTaskRequest(taskID: unknown).wireBytes()),
            ("SignalTask", SignalTaskRequest(taskID: unknown, signal: "SIGHUP").wireBytes()),
        ]
        for (method, bytes) in requests {
            let status = await Self.callExpectingSentence(plugin, method, bytes)
            XCTAssertEqual(status?.code, .notFound, "\(method) on an unknown id")
            XCTAssertTrue(status?.message.contains(unknown) ?? false, "\(method): the sentence names the id: \(String(describing: status))")
        }
        let stop = await Self.callExpectingSentence(plugin, "StopTask", StopTaskRequest(taskID: unknown, timeout: .seconds(1), signal: "SIGTERM").wireBytes())
        XCTAssertNil(stop, "StopTask on an unknown id succeeds")
        let badSignal = await Self.callExpectingSentence(plugin, "StopTask", StopTaskRequest(taskID: unknown, timeout: .seconds(1), signal: "SIGNOPE").wireBytes())
        XCTAssertEqual(badSignal?.code, .invalidArgument, "an unknown signal name is refused even for an unknown task")
        // A well-formed message of another type: its fields land on unrelated numbers.
        let wrongType = PluginInfoResponse(type: .driver, pluginAPIVersions: ["0.1.0"], pluginVersion: "9.9.9", name: "not-a-task").wireBytes()
        for method in ["StartTask", "RecoverTask", "WaitTask", "StopTask", "InspectTask"] {
            await Self.callExpectingSentence(plugin, method, wrongType)
        }
        let info = try await plugin.client.unary("/hashicorp.nomad.plugins.base.proto.BasePlugin/PluginInfo", Empty().wireBytes())
        XCTAssertEqual(try PluginInfoResponse(wireBytes: info).name, "swift")
    }

    func testConcurrentStopDestroyAndWaitOnOneTask() async throws {
        let plugin = try LaunchedPlugin()
        defer { plugin.kill() }
        let allocDir = try makeTemporaryDirectory()
        defer { removeTree(allocDir) }
        try FileManager.default.createDirectory(atPath: allocDir + "/web", withIntermediateDirectories: true)
        // config { command = "/bin/sleep"  args = ["29.<marker>"] }: the marker finds survivors.
        let marker = "29." + String(UInt32.random(in: 100_000...999_999))
        let config: [UInt8] = [0x82, 0xa7] + Array("command".utf8) + [0xaa] + Array("/bin/sleep".utf8)
            + [0xa4] + Array("args".utf8) + [0x91, 0xa9] + Array(marker.utf8)
        for round in 0..<10 {
            let task = TaskConfig(id: "alloc/web/\(round)", name: "web", msgpackDriverConfig: config,
                                  env: ["PATH": "/usr/bin:/bin"], allocDir: allocDir, allocID: "alloc")
            let started = try StartTaskResponse(wireBytes: try await plugin.client.unary(Self.driver + "StartTask", StartTaskRequest(task: task).wireBytes()))
            XCTAssertEqual(started.handle.config.id, task.id)
            let calls: [(String, [UInt8])] = [
                ("WaitTask", WaitTaskRequest(taskID: task.id).wireBytes()),
                ("StopTask", StopTaskRequest(taskID: task.id, timeout: .seconds(2), signal: "SIGTERM").wireBytes()),
                ("DestroyTask", DestroyTaskRequest(taskID: task.id, force: round % 2 == 0).wireBytes()),
                ("WaitTask", WaitTaskRequest(taskID: task.id).wireBytes()),
                ("StopTask", StopTaskRequest(taskID: task.id, timeout: .seconds(2), signal: "SIGINT").wireBytes()),
                ("InspectTask", InspectTaskRequest(taskID: task.id).wireBytes()),
                ("SignalTask", SignalTaskRequest(taskID: task.id, signal: "SIGHUP").wireBytes()),
                ("DestroyTask", DestroyTaskRequest(taskID: task.id, force: true).wireBytes()),
            ]
            await withTaskGroup(of: Void.self) { group in
                for (method, bytes) in calls.shuffled() {
                    group.addTask { await Self.callExpectingSentence(plugin, method, bytes) }
                }
            }
            // Whatever order they ran in, the task ends up gone or destroyable, never stuck.
            if await Self.callExpectingSentence(plugin, "InspectTask", InspectTaskRequest(taskID: task.id).wireBytes()) == nil {
                await Self.callExpectingSentence(plugin, "DestroyTask", DestroyTaskRequest(taskID: task.id, force: true).wireBytes())
            }
            let gone = await Self.callExpectingSentence(plugin, "InspectTask", InspectTaskRequest(taskID: task.id).wireBytes())
            XCTAssertEqual(gone?.code, .notFound, "round \(round): the task is gone after a destroy")
        }
        XCTAssertTrue(plugin.process.isRunning)
        // No sleep of ours survived the races.
        let survivors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap(Int32.init).filter { pid in
            guard let cmd = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8) else { return false }
            return cmd == "/bin/sleep\u{0}\(marker)\u{0}"
        } ?? []
        XCTAssertEqual(survivors, [], "task processes left running")
    }
}
