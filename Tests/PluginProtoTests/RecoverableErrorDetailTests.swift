import XCTest
import PluginProto

final class RecoverableErrorDetailTests: XCTestCase {
    func testStatusDetailsDecodeBack() throws {
        for recoverable in [true, false] {
            let bytes = RecoverableErrorDetail.statusDetailsBytes(code: 9, message: "start failed: x", recoverable: recoverable)
            let status = try RPCStatus(wireBytes: bytes)
            XCTAssertEqual(status.code, 9)
            XCTAssertEqual(status.message, "start failed: x")
            XCTAssertEqual(status.details.count, 1)
            XCTAssertEqual(status.details.first?.typeURL,
                           "type.googleapis.com/hashicorp.nomad.plugins.shared.structs.RecoverableError")
            XCTAssertEqual(try RecoverableError(wireBytes: status.details[0].value).recoverable, recoverable)
            XCTAssertEqual(RecoverableErrorDetail.recoverable(fromStatusDetails: bytes), recoverable)
        }
    }

    func testFalseFlagIsAnEmptyValue() throws {
        let bytes = RecoverableErrorDetail.statusDetailsBytes(code: 9, message: "m", recoverable: false)
        XCTAssertEqual(try RPCStatus(wireBytes: bytes).details.first?.value, [])
    }

    func testOtherFirstDetailIsNotRecoverableError() {
        let other = RPCStatus(code: 9, message: "m", details: [
            AnyMessage(typeURL: "type.googleapis.com/google.rpc.DebugInfo", value: []),
            AnyMessage(typeURL: RecoverableErrorDetail.typeURL, value: [0x08, 0x01]),
        ]).wireBytes()
        XCTAssertNil(RecoverableErrorDetail.recoverable(fromStatusDetails: other))
        XCTAssertNil(RecoverableErrorDetail.recoverable(fromStatusDetails: [0x1a, 0x05]))
    }
}
