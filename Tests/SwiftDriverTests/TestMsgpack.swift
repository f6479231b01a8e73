@testable import ConfigDecoding
@testable import SwiftDriver
import XCTest

/// A test-only msgpack writer, producing go-cty's encoding of a `CtyValue` (smallest integer
/// forms, unsigned codes for non-negative ints, float64 for fractions, sorted map keys), plus
/// raw helpers for hand-built frames.
enum TestMsgpack {
    static func encode(_ value: CtyValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, to: &out)
        return out
    }

    static func write(_ value: CtyValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(0xc0)
        case .bool(let b): out.append(b ? 0xc3 : 0xc2)
        case .number(let n):
            if let i = n.int64Value {
                writeInt(i, to: &out)
            } else if let u = n.uint64Value {
                out.append(0xcf)
                out += be(u, 8)
            } else if case .decimal(let text) = n.storage {
                writeString(text, to: &out)
            } else {
                out.append(0xcb)
                out += be(n.doubleValue.bitPattern, 8)
            }
        case .string(let s): writeString(s, to: &out)
        case .list(let items):
            out += arrayHeader(items.count)
            for item in items { write(item, to: &out) }
        case .map(let entries):
            out += mapHeader(entries.count)
            for key in entries.keys.sorted() {
                writeString(key, to: &out)
                write(entries[key] ?? .null, to: &out)
            }
        }
    }

    static func writeInt(_ i: Int64, to out: inout [UInt8]) {
        switch i {
        case 0...0x7f: out.append(UInt8(i))
        case 0x80...0xff: out += [0xcc] + be(UInt64(i), 1)
        case 0x100...0xffff: out += [0xcd] + be(UInt64(i), 2)
        case 0x10000...0xffff_ffff: out += [0xce] + be(UInt64(i), 4)
        case 0...: out += [0xcf] + be(UInt64(i), 8)
        case -32 ... -1: out.append(UInt8(bitPattern: Int8(i)))
        case -128 ... -33: out += [0xd0] + be(UInt64(bitPattern: i), 1)
        case -32768 ... -129: out += [0xd1] + be(UInt64(bitPattern: i), 2)
        case -2_147_483_648 ... -32769: out += [0xd2] + be(UInt64(bitPattern: i), 4)
        default: out += [0xd3] + be(UInt64(bitPattern: i), 8)
        }
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        let bytes = Array(s.utf8)
        switch bytes.count {
        case 0..<32: out.append(0xa0 | UInt8(bytes.count))
        case 32..<256: out += [0xd9] + be(UInt64(bytes.count), 1)
        case 256..<65536: out += [0xda] + be(UInt64(bytes.count), 2)
        default: out += [0xdb] + be(UInt64(bytes.count), 4)
        }
        out += bytes
    }

    static func arrayHeader(_ count: Int) -> [UInt8] {
        switch count {
        case 0..<16: return [0x90 | UInt8(count)]
        case 16..<65536: return [0xdc] + be(UInt64(count), 2)
        default: return [0xdd] + be(UInt64(count), 4)
        }
    }

    static func mapHeader(_ count: Int) -> [UInt8] {
        switch count {
        case 0..<16: return [0x80 | UInt8(count)]
        case 16..<65536: return [0xde] + be(UInt64(count), 2)
        default: return [0xdf] + be(UInt64(count), 4)
        }
    }

    /// Big-endian, the low `width` bytes of `value`.
    static func be(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    static func str(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        writeString(s, to: &out)
        return out
    }

    /// `"84a4..."` → bytes; the doc's vectors are written this way.
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap { UInt8(String(digits[$0...$0 + 1]), radix: 16) }
    }
}

/// Runs `body`, expecting a `ConfigError`; returns it (nil, with a test failure, if none).
func expectConfigError<T>(_ body: () throws(ConfigError) -> T, file: StaticString = #filePath, line: UInt = #line) -> ConfigError? {
    do {
        let value = try body()
        XCTFail("expected a ConfigError, got \(value)", file: file, line: line)
        return nil
    } catch {
        return error
    }
}
