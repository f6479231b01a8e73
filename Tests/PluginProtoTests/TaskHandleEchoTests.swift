import XCTest
import PluginProto

/// The config Nomad sends in StartTask must come back in the handle exactly as sent.
final class TaskHandleEchoTests: XCTestCase {
    /// A TaskConfig as a newer or different encoder might write it: fields out of number order,
    /// a mount (not modelled by `TaskConfig`), a DNS block and a field number we do not know.
    static let originalConfig: [UInt8] = {
        func key(_ number: UInt) -> [UInt8] {
            let value = number << 3 | 2
            return value < 0x80 ? [UInt8(value)] : [UInt8(value & 0x7f) | 0x80, UInt8(value >> 7)]
        }
        func field(_ number: UInt, _ payload: [UInt8]) -> [UInt8] { key(number) + [UInt8(payload.count)] + payload }
        func string(_ number: UInt, _ value: String) -> [UInt8] { field(number, Array(value.utf8)) }
        return string(2, "web")
            + string(1, "alloc/web/1234abcd")
            + field(7, string(1, "/data") + string(2, "/srv/data") + [0x18, 0x01])  // Mount{task_path, host_path, readonly}
            + field(4, string(1, "A") + string(2, "1"))  // env entry
            + field(17, string(1, "8.8.8.8"))  // DNSConfig.servers
            + [0xf8, 0x07, 0x2a]  // field 127, varint 42: unknown to us
            + string(10, "/alloc")
    }()

    func testStandaloneConfigKeepsItsBytes() throws {
        let config = try TaskConfig(wireBytes: Self.originalConfig)
        XCTAssertEqual(config.id, "alloc/web/1234abcd")
        XCTAssertEqual(config.env, ["A": "1"])
        XCTAssertEqual(config.rawBytes, Self.originalConfig)
        XCTAssertEqual(config.wireBytes(), Self.originalConfig)
    }

    func testStartTaskConfigIsEchoedVerbatimInTheHandle() throws {
        let request = [0x0a, UInt8(Self.originalConfig.count)] + Self.originalConfig
        let start = try StartTaskRequest(wireBytes: request)
        XCTAssertEqual(start.task.name, "web")
        XCTAssertEqual(start.task.allocDir, "/alloc")
        XCTAssertEqual(start.task.rawBytes, Self.originalConfig)

        let response = StartTaskResponse(handle: TaskHandle(version: 1, config: start.task, state: .running, driverState: [1]))
        let handleBytes = try XCTUnwrap(WireReader.message(3, in: response.wireBytes()))
        XCTAssertEqual(WireReader.message(2, in: handleBytes), Self.originalConfig)
        XCTAssertEqual(WireReader.fields(handleBytes)?.filter { $0.number == 2 }.count, 1)
    }

    func testRecoveredHandleGivesBackTheOriginalConfig() throws {
        let handle = TaskHandle(version: 2, config: try TaskConfig(wireBytes: Self.originalConfig), state: .running,
                                driverState: Array("{\"pid\":42}".utf8))
        let recover = RecoverTaskRequest(handle: handle).wireBytes()
        let decoded = try RecoverTaskRequest(wireBytes: recover)
        XCTAssertEqual(decoded.handle.config.rawBytes, Self.originalConfig)
        XCTAssertEqual(decoded.handle.config.id, "alloc/web/1234abcd")
        XCTAssertEqual(decoded.handle.version, 2)
        XCTAssertEqual(decoded.handle.state, .running)
        XCTAssertEqual(decoded.handle.driverState, handle.driverState)
        // And a handle decoded on its own re-encodes to the bytes it came from.
        let handleBytes = try XCTUnwrap(WireReader.message(2, in: recover))
        XCTAssertEqual(try TaskHandle(wireBytes: handleBytes).wireBytes(), handleBytes)
    }

    func testSwiftBuiltConfigIsEncodedFromItsFields() throws {
        XCTAssertNil(Fixtures.taskConfig.rawBytes)
        let decoded = try TaskHandle(wireBytes: Fixtures.handle.wireBytes())
        XCTAssertEqual(decoded.config, Fixtures.taskConfig)
        XCTAssertEqual(decoded.config.resources?.linux?.memoryLimitBytes, 512 << 20)
        XCTAssertNotNil(decoded.config.rawBytes)
    }

    func testConfigSplitAcrossTwoCopiesIsMergedNotTruncated() throws {
        // Protobuf merges repeated copies of a message field; the echo must carry both halves.
        let first: [UInt8] = [0x0a, 0x01, 0x61]  // id "a"
        let second: [UInt8] = [0x12, 0x01, 0x62]  // name "b"
        let request = [0x0a, 3] + first + [0x0a, 3] + second
        let start = try StartTaskRequest(wireBytes: request)
        XCTAssertEqual(start.task.id, "a")
        XCTAssertEqual(start.task.name, "b")
        let echoed = try TaskConfig(wireBytes: try XCTUnwrap(start.task.rawBytes))
        XCTAssertEqual(echoed.id, "a")
        XCTAssertEqual(echoed.name, "b")
    }
}
