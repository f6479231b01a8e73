import XCTest
import PluginProto

/// Bad bytes must throw `WireDecodingError`, never crash.
final class MalformedInputTests: XCTestCase {
    /// Inputs no protobuf message accepts.
    static let broken: [[UInt8]] = [
        [0x0a, 0x05, 0x01],  // length 5, one byte present
        [0x0a],  // key without a length
        [0x08, 0xff],  // varint cut short
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],  // over-long varint key
        [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f],  // length near 4 GiB
        [0x0f],  // wire type 7
        [0x00],  // field number 0
    ]

    private func assertRejects<M: WireMessage>(_: M.Type, file: StaticString = #filePath, line: UInt = #line) {
        for bytes in Self.broken {
            do {
                _ = try M(wireBytes: bytes)
                XCTFail("\(M.self) accepted \(hexString(bytes))", file: file, line: line)
            } catch {
                XCTAssertTrue(error.description.hasPrefix("malformed "), file: file, line: line)
            }
        }
    }

    /// Every prefix of a valid encoding either decodes or throws; cutting inside the last
    /// length-delimited field must throw.
    private func assertPrefixesAreSafe<M: WireMessage>(_ message: M, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = message.wireBytes()
        var rejected = 0
        for count in 0..<bytes.count {
            if (try? M(wireBytes: Array(bytes.prefix(count)))) == nil { rejected += 1 }
        }
        if bytes.count > 2 {
            XCTAssertGreaterThan(rejected, 0, "no truncation of \(M.self) was rejected", file: file, line: line)
        }
    }

    func testEveryMessageRejectsBrokenBytes() {
        assertRejects(Empty.self)
        assertRejects(HealthCheckRequest.self)
        assertRejects(HealthCheckResponse.self)
        assertRejects(StdioData.self)
        assertRejects(ConnInfo.self)
        assertRejects(PluginInfoResponse.self)
        assertRejects(ConfigSchemaResponse.self)
        assertRejects(SetConfigRequest.self)
        assertRejects(HCLSpec.self)
        assertRejects(TaskConfigSchemaResponse.self)
        assertRejects(CapabilitiesResponse.self)
        assertRejects(FingerprintResponse.self)
        assertRejects(TaskConfig.self)
        assertRejects(StartTaskRequest.self)
        assertRejects(StartTaskResponse.self)
        assertRejects(TaskHandle.self)
        assertRejects(RecoverTaskRequest.self)
        assertRejects(WaitTaskRequest.self)
        assertRejects(WaitTaskResponse.self)
        assertRejects(StopTaskRequest.self)
        assertRejects(DestroyTaskRequest.self)
        assertRejects(SignalTaskRequest.self)
        assertRejects(InspectTaskRequest.self)
        assertRejects(InspectTaskResponse.self)
        assertRejects(TaskStatsRequest.self)
        assertRejects(TaskStatsResponse.self)
        assertRejects(DriverTaskEvent.self)
        assertRejects(ExecTaskRequest.self)
        assertRejects(ExecTaskResponse.self)
        assertRejects(ExecTaskStreamingRequest.self)
        assertRejects(ExecTaskStreamingResponse.self)
        assertRejects(RPCStatus.self)
        assertRejects(RecoverableError.self)
    }

    func testTruncatedEncodingsNeverCrash() {
        assertPrefixesAreSafe(StartTaskRequest(task: Fixtures.taskConfig))
        assertPrefixesAreSafe(RecoverTaskRequest(handle: Fixtures.handle))
        assertPrefixesAreSafe(Fixtures.handle)
        assertPrefixesAreSafe(SetConfigRequest(msgpackConfig: [0x80], nomadConfig: .init(driver: .init(clientMaxPort: 2, clientMinPort: 1)), pluginAPIVersion: "v0.1.0"))
        assertPrefixesAreSafe(StopTaskRequest(taskID: "t", timeout: .seconds(5), signal: "SIGINT"))
        assertPrefixesAreSafe(ExecTaskStreamingRequest(setup: .init(taskID: "t", command: ["sh"], tty: false)))
        assertPrefixesAreSafe(TaskStatsRequest(taskID: "t", collectionInterval: .seconds(1)))
        assertPrefixesAreSafe(Fixtures.spec)
        assertPrefixesAreSafe(RPCStatus(code: 9, message: "m", details: [AnyMessage(typeURL: "u", value: [1])]))
    }

    func testStartTaskRequestCutInsideTheConfigThrows() {
        let bytes = StartTaskRequest(task: Fixtures.taskConfig).wireBytes()
        XCTAssertThrowsError(try StartTaskRequest(wireBytes: Array(bytes.dropLast()))) { error in
            XCTAssertEqual((error as? WireDecodingError)?.description,
                           "malformed hashicorp.nomad.plugins.drivers.proto.StartTaskRequest message")
        }
    }

    func testWrongWireTypeForAKnownFieldThrows() {
        // Field 1 of WaitTaskRequest is a string; a varint there is not a WaitTaskRequest.
        XCTAssertThrowsError(try WaitTaskRequest(wireBytes: [0x08, 0x01]))
    }

    func testSpecWithNoVariantIsMalformed() {
        XCTAssertThrowsError(try HCLSpec(wireBytes: []))
        XCTAssertThrowsError(try TaskConfigSchemaResponse(wireBytes: []))
        // A Block without its required nested spec.
        XCTAssertThrowsError(try HCLSpec(wireBytes: [0x22, 0x03, 0x0a, 0x01, 0x62]))
    }

    func testUnknownFieldsAndEnumValuesAreTolerated() throws {
        // Field 15 (unknown) plus an out-of-range health state.
        let bytes: [UInt8] = [0x10, 0x09, 0x78, 0x01]
        let fingerprint = try FingerprintResponse(wireBytes: bytes)
        // Kept as the number it was, so re-encoding does not turn it into another state.
        XCTAssertEqual(fingerprint.health, .unrecognized(9))
        XCTAssertEqual(try FingerprintResponse(wireBytes: fingerprint.wireBytes()).health.rawValue, 9)
    }
}
