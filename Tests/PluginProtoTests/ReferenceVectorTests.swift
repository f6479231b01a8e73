import XCTest
import PluginProto

/// The byte strings verified against Nomad's own Go encoder.
final class ReferenceVectorTests: XCTestCase {
    func testPluginInfoResponseMatchesReference() throws {
        let expected = hexBytes("08 02 12 06 76 30 2e 31 2e 30 1a 05 30 2e 31 2e 30 22 08 73 77 69 66 74 64 72 76")
        let message = PluginInfoResponse(type: .driver, pluginAPIVersions: ["v0.1.0"], pluginVersion: "0.1.0", name: "swiftdrv")
        XCTAssertEqual(hexString(message.wireBytes()), hexString(expected))
        XCTAssertEqual(try PluginInfoResponse(wireBytes: expected), message)
    }

    func testFingerprintResponseMatchesReference() throws {
        let key = Array("driver.swiftdrv.version".utf8)
        let expected = hexBytes("0a 20 0a 17") + key + hexBytes("12 05 1a 03 31 2e 30 10 02 1a 07 48 65 61 6c 74 68 79")
        let message = FingerprintResponse(
            attributes: ["driver.swiftdrv.version": .string("1.0")], health: .healthy, healthDescription: "Healthy")
        XCTAssertEqual(hexString(message.wireBytes()), hexString(expected))
        XCTAssertEqual(try FingerprintResponse(wireBytes: expected), message)
    }

    func testCapabilitiesResponseMatchesReference() throws {
        let expected = hexBytes("0a 06 08 01 22 02 00 01")
        let message = CapabilitiesResponse(
            capabilities: DriverCapabilities(sendSignals: true, fsIsolation: .none, networkIsolationModes: [.host, .group]))
        XCTAssertEqual(hexString(message.wireBytes()), hexString(expected))
        XCTAssertEqual(try CapabilitiesResponse(wireBytes: expected), message)
    }

    func testWaitTaskResponsesMatchReference() throws {
        XCTAssertEqual(WaitTaskResponse(result: ExitResult()).wireBytes(), hexBytes("0a 00"))
        XCTAssertEqual(WaitTaskResponse(result: ExitResult(exitCode: 3)).wireBytes(), hexBytes("0a 02 08 03"))
        XCTAssertEqual(try WaitTaskResponse(wireBytes: hexBytes("0a 02 08 03")).result.exitCode, 3)
    }

    func testSetConfigRequestMatchesReference() throws {
        let expected = hexBytes("0a 01 80 12 08 0a 06 08 b0 71 10 b0 6d 1a 06 76 30 2e 31 2e 30")
        let decoded = try SetConfigRequest(wireBytes: expected)
        XCTAssertEqual(decoded.msgpackConfig, [0x80])
        XCTAssertEqual(decoded.nomadConfig?.driver, .init(clientMaxPort: 14512, clientMinPort: 14000))
        XCTAssertEqual(decoded.pluginAPIVersion, "v0.1.0")
        XCTAssertEqual(decoded.wireBytes(), expected)
    }

    func testSetConfigRequestWithoutNomadConfigDecodesAsAbsent() throws {
        let bytes = SetConfigRequest(msgpackConfig: [], nomadConfig: nil, pluginAPIVersion: "v0.1.0").wireBytes()
        XCTAssertEqual(bytes, hexBytes("1a 06 76 30 2e 31 2e 30"))
        XCTAssertNil(try SetConfigRequest(wireBytes: bytes).nomadConfig)
    }

    func testStopTaskRequestMatchesReference() throws {
        let expected = hexBytes("0a 01 74 12 02 08 05 1a 06 53 49 47 49 4e 54")
        let decoded = try StopTaskRequest(wireBytes: expected)
        XCTAssertEqual(decoded, StopTaskRequest(taskID: "t", timeout: .seconds(5), signal: "SIGINT"))
        XCTAssertEqual(decoded.wireBytes(), expected)
    }

    func testAttrSpecMatchesReference() throws {
        let expected = hexBytes("1a 13 0a 07 63 6f 6d 6d 61 6e 64 12 06 73 74 72 69 6e 67 18 01")
        let spec = HCLSpec.attr(name: "command", type: "string", required: true)
        XCTAssertEqual(spec.wireBytes(), expected)
        XCTAssertEqual(try HCLSpec(wireBytes: expected), spec)
    }

    func testRecoverableStatusDetailsMatchReference() throws {
        let expected = hexBytes("""
            08 09 12 04 62 6f 6f 6d 1a 51 0a 4b 74 79 70 65 2e 67 6f 6f 67 6c 65 61 70 69 73 2e 63 6f 6d 2f
            68 61 73 68 69 63 6f 72 70 2e 6e 6f 6d 61 64 2e 70 6c 75 67 69 6e 73 2e 73 68 61 72 65 64 2e 73
            74 72 75 63 74 73 2e 52 65 63 6f 76 65 72 61 62 6c 65 45 72 72 6f 72 12 02 08 01
            """)
        let bytes = RecoverableErrorDetail.statusDetailsBytes(code: 9, message: "boom", recoverable: true)
        XCTAssertEqual(hexString(bytes), hexString(expected))
    }
}
