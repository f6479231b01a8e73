import Foundation
import GRPCCoreServer
import PluginProto
import XCTest

/// `nomad-device-swift` through the real wire: spawned as Nomad spawns it, spoken to over gRPC.
final class DevicePluginProcessTests: XCTestCase {
    private let base = "/hashicorp.nomad.plugins.base.proto.BasePlugin/"
    private let device = "/hashicorp.nomad.plugins.device.DevicePlugin/"
    private var watched = ""

    override func setUpWithError() throws {
        watched = FileManager.default.temporaryDirectory.appendingPathComponent("device-wire-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: watched, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: watched)
    }

    // MARK: msgpack of a small config block (fixmap, fixstr, fixarray, positive fixint)

    private func str(_ s: String) -> [UInt8] {
        let bytes = Array(s.utf8)
        return bytes.count < 32 ? [0xa0 | UInt8(bytes.count)] + bytes : [0xd9, UInt8(bytes.count)] + bytes
    }

    private func config(unitMB: UInt8 = 1, maxInstances: UInt8 = 16) -> [UInt8] {
        [0x84] + str("paths") + [0x91] + str(watched) + str("unit_mb") + [unitMB]
            + str("headroom_mb") + [0x00] + str("max_instances") + [maxInstances]
    }

    private func configured() async throws -> LaunchedPlugin {
        let plugin = try LaunchedPlugin(binary: "nomad-device-swift")
        let request = SetConfigRequest(msgpackConfig: config(), nomadConfig: .init(driver: nil), pluginAPIVersion: "v0.1.0")
        _ = try await plugin.client.unary(base + "SetConfig", request.wireBytes())
        return plugin
    }

    private func expectStatus(_ code: GRPCStatus.Code, containing text: String, _ call: () async throws -> Void,
                              file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await call()
            XCTFail("expected \(code)", file: file, line: line)
        } catch let status as GRPCStatus {
            XCTAssertEqual(status.code, code, status.message, file: file, line: line)
            XCTAssertTrue(status.message.contains(text), status.message, file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }

    func testWithoutCookieItExplainsHowJobsUseIt() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try pluginBinary(named: "nomad-device-swift"))
        process.environment = ["PATH": "/usr/bin:/bin"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(text.contains("device \"swift/disk\""), text)
    }

    func testBasePluginSaysDeviceAndRefusesBadConfig() async throws {
        let plugin = try LaunchedPlugin(binary: "nomad-device-swift")
        defer { plugin.kill() }
        let info = try PluginInfoResponse(wireBytes: try await plugin.client.unary(base + "PluginInfo", Empty().wireBytes()))
        XCTAssertEqual(info.type, .device)
        XCTAssertEqual(info.name, "swift-disk")
        XCTAssertEqual(info.pluginAPIVersions, ["v0.1.0"])
        let schema = try ConfigSchemaResponse(wireBytes: try await plugin.client.unary(base + "ConfigSchema", Empty().wireBytes()))
        guard case .object(let object)? = schema.spec?.block else { return XCTFail("the schema is an object") }
        XCTAssertNotNil(object.attributes["unit_mb"])
        XCTAssertNotNil(object.attributes["headroom_mb"])

        let bad = SetConfigRequest(msgpackConfig: config(unitMB: 0), nomadConfig: nil, pluginAPIVersion: "v0.1.0")
        await expectStatus(.invalidArgument, containing: "unit_mb") {
            _ = try await plugin.client.unary(self.base + "SetConfig", bad.wireBytes())
        }
        await expectStatus(.invalidArgument, containing: "not a valid protobuf message") {
            _ = try await plugin.client.unary(self.device + "Reserve", [0xff, 0x13, 0x00])
        }
        _ = try await plugin.client.unary(base + "PluginInfo", Empty().wireBytes())
    }

    func testFingerprintReserveAndStats() async throws {
        let plugin = try await configured()
        defer { plugin.kill() }
        let start = ContinuousClock.now
        let stream = plugin.client.serverStream(device + "Fingerprint", Empty().wireBytes())
        let firstBytes = try await stream.next()
        let first = try DeviceFingerprintResponse(wireBytes: try XCTUnwrap(firstBytes))
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(1))
        let group = try XCTUnwrap(first.deviceGroup.first)
        XCTAssertEqual(first.deviceGroup.count, 1)
        XCTAssertEqual(group.vendor, "swift")
        XCTAssertEqual(group.deviceType, "disk")
        XCTAssertFalse(group.devices.isEmpty)
        XCTAssertLessThanOrEqual(group.devices.count, 16)
        XCTAssertEqual(group.attributes["path"], .string(watched))
        XCTAssertEqual(group.attributes["capacity"]?.unit, "MiB")
        XCTAssertNotNil(group.attributes["filesystem"])
        let healthy = group.devices.filter(\.healthy).map(\.id)
        XCTAssertGreaterThanOrEqual(healthy.count, 2, "a test machine's /tmp has two units free")

        let answer = try ReserveResponse(wireBytes: try await plugin.client.unary(
            device + "Reserve", ReserveRequest(deviceIDs: Array(healthy.prefix(2))).wireBytes()))
        let env = try XCTUnwrap(answer.containerRes).envs
        let path = try XCTUnwrap(env["SWIFT_DISK_PATH"])
        XCTAssertTrue(path.hasPrefix(watched + "/.nomad-device-swift/"), path)
        var isDirectory: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
        let unit = try XCTUnwrap(group.attributes["unit_size"]?.value)
        guard case .intVal(let unitMiB) = unit else { return XCTFail("unit_size is an integer") }
        XCTAssertEqual(env["SWIFT_DISK_BUDGET_MB"], String(2 * unitMiB))
        XCTAssertNotNil(env["SWIFT_DISK_RESERVATION"])

        await expectStatus(.invalidArgument, containing: "not an instance this plugin offers") {
            _ = try await plugin.client.unary(self.device + "Reserve", ReserveRequest(deviceIDs: ["elsewhere-0001"]).wireBytes())
        }
        await expectStatus(.invalidArgument, containing: "at least one") {
            _ = try await plugin.client.unary(self.device + "Reserve", ReserveRequest(deviceIDs: []).wireBytes())
        }

        let interval = DeviceStatsRequest(collectionInterval: .milliseconds(100))
        let stats = plugin.client.serverStream(device + "Stats", interval.wireBytes())
        let sampleBytes = try await stats.next()
        let sample = try DeviceStatsResponse(wireBytes: try XCTUnwrap(sampleBytes))
        let groupStats = try XCTUnwrap(sample.groups.first)
        XCTAssertEqual(groupStats.instanceStats.count, group.devices.count)
        XCTAssertEqual(groupStats.instanceStats[healthy[0]]?.summary?.unit, "MiB")
        XCTAssertNotNil(groupStats.instanceStats[healthy[0]]?.stats?.attributes["reserved"])
        let secondBytes = try await stats.next()
        XCTAssertNotNil(secondBytes, "the stats stream keeps sending")
        stats.cancel()
        stream.cancel()
    }
}
