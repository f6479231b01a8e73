import XCTest
import PluginProto

/// Field number 0 is invalid wire format however its tag is spelled (found by fuzz/run).
final class FieldNumberZeroTests: XCTestCase {
    func testOverlongTagZeroAtTopLevelIsRejected() {
        // `80 00` and `80 80 00` are over-long varints for key 0 (field 0, varint), then value 1.
        for bytes: [UInt8] in [[0x80, 0x00, 0x01], [0x80, 0x80, 0x00, 0x01]] {
            XCTAssertThrowsError(try WaitTaskRequest(wireBytes: bytes), hexString(bytes))
            XCTAssertThrowsError(try StopTaskRequest(wireBytes: bytes), hexString(bytes))
        }
    }

    /// The fuzz input: a split `task` field whose TaskConfig holds field 0 spelled `80 80 00`.
    /// protobuf-c kept it as an unknown field and re-packed it as `00`, which nothing decodes.
    func testOverlongTagZeroInsideTaskConfigIsRejected() {
        let bytes: [UInt8] = [0x0a, 0x80, 0x80, 0x00, 0x0a, 0x0a, 0x80, 0x80, 0x00, 0x0a, 0x80, 0x80, 0x00, 0x80, 0x80, 0x00]
        XCTAssertThrowsError(try StartTaskRequest(wireBytes: bytes))
    }

    func testTaskConfigWithUnknownFieldsStillDecodesAndEchoes() throws {
        // TaskConfig field 99 (varint) is unknown to us but valid: it must be kept, not refused.
        var config = Fixtures.taskConfig.wireBytes()
        config += [0x98, 0x06, 0x07]
        var length: [UInt8] = []
        var n = config.count
        while n >= 0x80 { length.append(UInt8(n & 0x7f) | 0x80); n >>= 7 }
        let request: [UInt8] = [0x0a] + length + [UInt8(n)] + config
        let decoded = try StartTaskRequest(wireBytes: request)
        XCTAssertEqual(decoded.task.id, Fixtures.taskConfig.id)
        XCTAssertEqual(decoded.task.wireBytes(), config)
    }
}
