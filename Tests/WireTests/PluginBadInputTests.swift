import Foundation
import GRPCCoreServer
import PluginProto
import XCTest

/// Garbage on every RPC: each answered with a status carrying a sentence, and the plugin serves on.
final class PluginBadInputTests: XCTestCase {
    private let unaryMethods = [
        "/hashicorp.nomad.plugins.base.proto.BasePlugin/SetConfig",
        "/hashicorp.nomad.plugins.drivers.proto.Driver/StartTask",
        "/hashicorp.nomad.plugins.drivers.proto.Driver/RecoverTask",
        "/hashicorp.nomad.plugins.drivers.proto.Driver/WaitTask",
        "/hashicorp.nomad.plugins.drivers.proto.Driver/StopTask",
        "/hashicorp.nomad.plugins.drivers.proto.Driver/DestroyTask",
        "/hashicorp.nomad.plugins.drivers.proto.Driver/InspectTask",
        "/hashicorp.nomad.plugins.drivers.proto.Driver/SignalTask",
        "/hashicorp.nomad.plugins.drivers.proto.Driver/ExecTask",
        "/grpc.health.v1.Health/Check",
    ]

    func testGarbageAndOversizeRequestsGetSentencesAndThePluginKeepsServing() async throws {
        let plugin = try LaunchedPlugin()
        defer { plugin.kill() }
        let garbage: [[UInt8]] = [
            [0xff, 0xff, 0xff],                       // invalid tag
            [0x0a, 0x7f, 0x41],                       // length past the end
            Array(repeating: 0x0a, count: 64),        // nested lengths that do not fit
            (0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761) },  // > 4 MiB of noise
        ]
        for method in unaryMethods {
            for bytes in garbage {
                do {
                    _ = try await plugin.client.unary(method, bytes)
                    // Some noise may happen to parse; then the handler's own checks must answer.
                } catch let status as GRPCStatus {
                    XCTAssertNotEqual(status.code, .unknown, "\(method): \(status)")
                    XCTAssertNotEqual(status.code, .internal, "\(method): \(status)")
                    XCTAssertFalse(status.message.isEmpty, method)
                }
            }
        }
        // A task config whose msgpack is garbage: the sentence names the task config.
        let task = TaskConfig(id: "a/t/1", name: "t", msgpackDriverConfig: [0xc1, 0x00], allocDir: "/tmp", allocID: "a")
        do {
            _ = try await plugin.client.unary(unaryMethods[1], StartTaskRequest(task: task).wireBytes())
            XCTFail("a garbage task config must be refused")
        } catch let status as GRPCStatus {
            XCTAssertEqual(status.code, .invalidArgument)
            XCTAssertTrue(status.message.contains("task config"), status.message)
        }
        // A signal name that does not exist.
        do {
            _ = try await plugin.client.unary(unaryMethods[7], SignalTaskRequest(taskID: "a/t/1", signal: "SIGNOPE").wireBytes())
            XCTFail("an unknown task must be refused")
        } catch let status as GRPCStatus {
            XCTAssertFalse(status.message.isEmpty)
        }
        let info = try await plugin.client.unary("/hashicorp.nomad.plugins.base.proto.BasePlugin/PluginInfo", Empty().wireBytes())
        XCTAssertEqual(try PluginInfoResponse(wireBytes: info).name, "swift")
        XCTAssertTrue(plugin.process.isRunning)
    }

    /// The streaming RPCs get the same garbage: the stream ends with a status and a sentence.
    func testGarbageOnStreamingRPCsEndsTheStreamWithASentence() async throws {
        let plugin = try LaunchedPlugin()
        defer { plugin.kill() }
        let driver = "/hashicorp.nomad.plugins.drivers.proto.Driver/"
        let garbage: [[UInt8]] = [[0xff, 0xff, 0xff], [0x0a, 0x7f, 0x41], Array(repeating: 0x0a, count: 64)]
        for method in ["TaskStats", "TaskEvents", "Fingerprint"] {
            for bytes in garbage {
                let call = plugin.client.serverStream(driver + method, bytes, timeout: .seconds(10))
                do {
                    while try await call.next() != nil {}
                } catch {}
                let status = await call.status()
                XCTAssertNotEqual(status.code, .ok, "\(method) accepted garbage")
                XCTAssertNotEqual(status.code, .unknown, "\(method): \(status)")
                XCTAssertNotEqual(status.code, .internal, "\(method): \(status)")
                XCTAssertFalse(status.message.isEmpty, method)
            }
        }
        // ExecTaskStreaming: a first message of garbage, then one for a task that does not exist.
        for first in garbage + [[0x0a, 0x03] + Array("x/y".utf8)] {
            let call = plugin.client.bidiStream(driver + "ExecTaskStreaming", timeout: .seconds(10))
            try? await call.send(first)
            await call.closeSend()
            do {
                while try await call.next() != nil {}
            } catch {}
            let status = await call.status()
            XCTAssertNotEqual(status.code, .ok, "ExecTaskStreaming accepted \(first.prefix(8))")
            XCTAssertNotEqual(status.code, .unknown, "ExecTaskStreaming: \(status)")
            XCTAssertNotEqual(status.code, .internal, "ExecTaskStreaming: \(status)")
            XCTAssertFalse(status.message.isEmpty)
        }
        let info = try await plugin.client.unary("/hashicorp.nomad.plugins.base.proto.BasePlugin/PluginInfo", Empty().wireBytes())
        XCTAssertEqual(try PluginInfoResponse(wireBytes: info).name, "swift")
    }
}
