import Foundation
import GRPCCoreServer
import PluginProto
import XCTest

/// The real binary, launched as Nomad launches it, spoken to over its unix socket.
final class PluginProcessTests: XCTestCase {
    private let base = "/hashicorp.nomad.plugins.base.proto.BasePlugin/"
    private let driver = "/hashicorp.nomad.plugins.drivers.proto.Driver/"

    func testWithoutCookieItExplainsItselfAndExits1() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try pluginBinary())
        process.environment = ["PATH": "/usr/bin:/bin"]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(message.contains("plugin for HashiCorp Nomad"), message)
        XCTAssertTrue(message.contains("plugin_dir"), message)
        XCTAssertEqual(stdout.fileHandleForReading.readDataToEndOfFile().count, 0, "nothing on stdout")
    }

    func testRefusesAHostWithoutProtocol2() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try pluginBinary())
        process.environment = LaunchedPlugin.cookie.merging(["PLUGIN_PROTOCOL_VERSIONS": "1"]) { $1 }
        process.standardOutput = Pipe()
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertTrue(String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("version 2"))
    }

    func testHandshakeSocketHealthAndShutdown() async throws {
        let plugin = try LaunchedPlugin()
        defer { plugin.kill() }
        XCTAssertTrue(plugin.handshake.hasPrefix("1|2|unix|/"))
        XCTAssertTrue(plugin.handshake.hasSuffix("|grpc|"))
        var info = stat()
        XCTAssertEqual(stat(plugin.socketDirectory, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o700, "socket directory is private")
        XCTAssertEqual(stat(plugin.socketPath, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600, "socket is private")

        for service in ["plugin", ""] {
            let bytes = try await plugin.client.unary("/grpc.health.v1.Health/Check",
                                                      HealthCheckRequest(service: service).wireBytes())
            XCTAssertEqual(try HealthCheckResponse(wireBytes: bytes).status, .serving)
        }
        // go-plugin's stdio and broker streams are accepted and stay open.
        let stdio = plugin.client.serverStream("/plugin.GRPCStdio/StreamStdio", Empty().wireBytes())
        let broker = plugin.client.bidiStream("/plugin.GRPCBroker/StartStream")

        // SIGINT (the agent's Ctrl-C) must not stop a plugin.
        kill(plugin.process.processIdentifier, SIGINT)
        try await Task.sleep(for: .milliseconds(200))
        XCTAssertTrue(plugin.process.isRunning)

        let start = ContinuousClock.now
        _ = try await plugin.client.unary("/plugin.GRPCController/Shutdown", Empty().wireBytes())
        let status = await plugin.waitForExit(timeout: .seconds(5))
        XCTAssertEqual(status, 0)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2), "go-plugin kills plugins after 2 s")
        XCTAssertNotEqual(stat(plugin.socketDirectory, &info), 0, "socket directory removed")
        stdio.cancel()
        broker.cancel()
        for line in plugin.stderrLines() {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
            for key in ["@level", "@message", "@timestamp", "@module"] {
                XCTAssertTrue(object[key] is String, "\(key) must be a string in \(line)")
            }
        }
    }

    func testSigtermStopsGracefullyAndRemovesTheSocketDirectory() async throws {
        let parent = try makeTemporaryDirectory()
        defer { removeTree(parent) }
        let plugin = try LaunchedPlugin(environment: ["PLUGIN_UNIX_SOCKET_DIR": parent])
        defer { plugin.kill() }
        XCTAssertTrue(plugin.socketPath.hasPrefix(parent + "/"), "honours PLUGIN_UNIX_SOCKET_DIR")
        kill(plugin.process.processIdentifier, SIGTERM)
        let status = await plugin.waitForExit(timeout: .seconds(5))
        XCTAssertEqual(status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: plugin.socketDirectory))
    }

    func testBasePluginInfoSchemaAndConfig() async throws {
        let plugin = try LaunchedPlugin()
        defer { plugin.kill() }
        let info = try PluginInfoResponse(wireBytes: try await plugin.client.unary(base + "PluginInfo", Empty().wireBytes()))
        XCTAssertEqual(info.type, .driver)
        XCTAssertEqual(info.name, "swift")
        XCTAssertEqual(info.pluginAPIVersions, ["v0.1.0"])
        XCTAssertEqual(info.pluginVersion, "0.1.0")

        let schema = try ConfigSchemaResponse(wireBytes: try await plugin.client.unary(base + "ConfigSchema", Empty().wireBytes()))
        guard case .object(let object)? = schema.spec?.block else { return XCTFail("the plugin schema is an object") }
        let fields = object.attributes
        XCTAssertNotNil(fields["disk"])
        XCTAssertNotNil(fields["eviction"])

        // An empty block: every default applies.
        let ok = SetConfigRequest(msgpackConfig: [0x80], nomadConfig: .init(driver: nil), pluginAPIVersion: "v0.1.0")
        _ = try await plugin.client.unary(base + "SetConfig", ok.wireBytes())

        // disk = { soft_free_percent = "high" }
        let bad: [UInt8] = [0x81, 0xa4] + Array("disk".utf8) + [0x81, 0xb1] + Array("soft_free_percent".utf8)
            + [0xa4] + Array("high".utf8)
        do {
            _ = try await plugin.client.unary(base + "SetConfig",
                                              SetConfigRequest(msgpackConfig: bad, nomadConfig: nil, pluginAPIVersion: "v0.1.0").wireBytes())
            XCTFail("an invalid config must be refused")
        } catch let status as GRPCStatus {
            XCTAssertEqual(status.code, .invalidArgument)
            XCTAssertTrue(status.message.contains("disk.soft_free_percent"), status.message)
        }
        // Garbage bytes: a sentence, and the plugin keeps serving.
        do {
            _ = try await plugin.client.unary(base + "SetConfig", [0xff, 0x00, 0x13])
            XCTFail("garbage must be refused")
        } catch let status as GRPCStatus {
            XCTAssertEqual(status.code, .invalidArgument)
        }
        _ = try await plugin.client.unary(base + "PluginInfo", Empty().wireBytes())
    }

    func testFingerprintAnswersAtOnceAndStaysOpen() async throws {
        let plugin = try LaunchedPlugin()
        defer { plugin.kill() }
        let start = ContinuousClock.now
        let stream = plugin.client.serverStream(driver + "Fingerprint", Empty().wireBytes())
        let firstBytes = try await stream.next()
        let first = try FingerprintResponse(wireBytes: try XCTUnwrap(firstBytes))
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(1))
        XCTAssertEqual(first.attributes["driver.swift.version"], .string("0.1.0"))
        XCTAssertNotNil(first.attributes["driver.swift.disk.pressure"])
        for (name, attribute) in first.attributes {
            XCTAssertTrue(name.hasPrefix("driver.swift.") || name.hasPrefix("unique.driver.swift."), name)
            XCTAssertEqual(attribute.unit, "", "attributes carry no unit")
        }
        let capabilities = try CapabilitiesResponse(wireBytes: try await plugin.client.unary(driver + "Capabilities", Empty().wireBytes()))
        XCTAssertTrue(capabilities.capabilities.sendSignals)
        XCTAssertTrue(capabilities.capabilities.exec)
        XCTAssertEqual(capabilities.capabilities.fsIsolation, .none)
        stream.cancel()
    }

    func testUnknownTaskIdsGetSentences() async throws {
        let plugin = try LaunchedPlugin()
        defer { plugin.kill() }
        // StopTask on an unknown task succeeds (Nomad stops tasks it lost track of).
        _ = try await plugin.client.unary(driver + "StopTask",
                                          StopTaskRequest(taskID: "nope", timeout: .seconds(1), signal: "SIGTERM").wireBytes())
        // DestroyTask on an unknown task is an error (Nomad's restore logic relies on it).
        do {
            _ = try await plugin.client.unary(driver + "DestroyTask", DestroyTaskRequest(taskID: "nope", force: false).wireBytes())
            XCTFail("expected an error")
        } catch let status as GRPCStatus {
            XCTAssertEqual(status.code, .notFound)
            XCTAssertFalse(status.message.isEmpty)
        }
        for method in ["WaitTask", "InspectTask"] {
            do {
                _ = try await plugin.client.unary(driver + method, WaitTaskRequest(taskID: "nope").wireBytes())
                XCTFail("expected an error from \(method)")
            } catch let status as GRPCStatus {
                XCTAssertEqual(status.code, .notFound, method)
            }
        }
    }
}
