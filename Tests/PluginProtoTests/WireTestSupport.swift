import XCTest
import PluginProto

/// Bytes from a hex string such as "08 02 12 06"; whitespace is ignored.
func hexBytes(_ hex: String, file: StaticString = #filePath, line: UInt = #line) -> [UInt8] {
    let digits = hex.filter { !$0.isWhitespace }
    var out: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2, limitedBy: digits.endIndex) ?? digits.endIndex
        guard let byte = UInt8(digits[index..<next], radix: 16) else {
            XCTFail("bad hex \(digits[index..<next])", file: file, line: line)
            return []
        }
        out.append(byte)
        index = next
    }
    return out
}

func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
}

/// Encodes, decodes and checks the value survived unchanged, and that re-encoding the decoded
/// value is stable. `sameBytes: false` is for messages holding a TaskConfig: a decoded config is
/// re-emitted from its original bytes after the other fields, a different but equivalent order.
func assertRoundTrip<M: WireMessage & Equatable>(
    _ message: M, sameBytes: Bool = true, file: StaticString = #filePath, line: UInt = #line
) {
    let bytes = message.wireBytes()
    do {
        let decoded = try M(wireBytes: bytes)
        XCTAssertEqual(decoded, message, "round trip of \(M.self)", file: file, line: line)
        let again = decoded.wireBytes()
        if sameBytes {
            XCTAssertEqual(again, bytes, "re-encoding \(M.self)", file: file, line: line)
        } else {
            XCTAssertEqual(again.count, bytes.count, "re-encoding \(M.self)", file: file, line: line)
            XCTAssertEqual(try M(wireBytes: again), message, "re-decoding \(M.self)", file: file, line: line)
            XCTAssertEqual(try M(wireBytes: again).wireBytes(), again, "re-encoding \(M.self)", file: file, line: line)
        }
    } catch {
        XCTFail("\(M.self) failed to decode its own encoding: \(error)", file: file, line: line)
    }
}

/// A minimal protobuf wire reader used to look inside encodings independently of the code under
/// test: the top-level fields of a message, in order.
struct WireField: Equatable {
    var number: UInt64
    var wireType: UInt8
    /// Varint value, or nil for other wire types.
    var varint: UInt64?
    /// Payload of a length-delimited field, or the raw 4/8 bytes of a fixed field.
    var bytes: [UInt8]
}

enum WireReader {
    static func fields(_ data: [UInt8]) -> [WireField]? {
        var fields: [WireField] = []
        var position = 0
        func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while position < data.count, shift < 64 {
                let byte = data[position]
                position += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        while position < data.count {
            guard let key = varint() else { return nil }
            let wireType = UInt8(key & 7)
            switch wireType {
            case 0:
                guard let value = varint() else { return nil }
                fields.append(WireField(number: key >> 3, wireType: 0, varint: value, bytes: []))
            case 1, 5:
                let size = wireType == 1 ? 8 : 4
                guard position + size <= data.count else { return nil }
                fields.append(WireField(number: key >> 3, wireType: wireType, varint: nil,
                                        bytes: Array(data[position..<position + size])))
                position += size
            case 2:
                guard let length = varint(), length <= UInt64(data.count - position) else { return nil }
                let end = position + Int(length)
                fields.append(WireField(number: key >> 3, wireType: 2, varint: nil, bytes: Array(data[position..<end])))
                position = end
            default:
                return nil
            }
        }
        return fields
    }

    /// The payload of the first length-delimited field `number`, or nil if absent.
    static func message(_ number: UInt64, in data: [UInt8]) -> [UInt8]? {
        fields(data)?.first { $0.number == number && $0.wireType == 2 }?.bytes
    }
}
