import XCTest

@testable import ConfigDecoding
@testable import SwiftDriver

final class CtyMsgpackDecoderTests: XCTestCase {
    private func decode(_ bytes: [UInt8]) throws(ConfigError) -> CtyValue {
        try CtyMsgpackDecoder().decode(bytes)
    }

    private func decodeHex(_ hex: String) throws(ConfigError) -> CtyValue {
        try decode(TestMsgpack.hex(hex))
    }

    // MARK: The protocol reference's worked examples

    private let example1: CtyValue = ["args": ["a", "b"], "command": "x", "enabled": true, "port": 8080]

    func testWorkedExample1FullyTypedSpec() throws {
        let hex = "84a46172677392a161a162a7636f6d6d616e64a178a7656e61626c6564c3a4706f7274cd1f90"
        XCTAssertEqual(TestMsgpack.hex(hex).count, 38)
        XCTAssertEqual(try decodeHex(hex), example1)
    }

    func testWorkedExample2AbsentOptionalAndDefault() throws {
        let hex = "86a46172677392a161a162a7636f6d6d616e64a178a7656e61626c6564c3a4706f7274cd1f90a774696d656f7574a3333073a475736572c0"
        var expected = example1
        if case .map(var entries) = expected {
            entries["timeout"] = "30s"
            entries["user"] = .null
            expected = .map(entries)
        }
        XCTAssertEqual(try decodeHex(hex), expected)
    }

    func testWorkedExample3DynamicWrapperIsUnwrapped() throws {
        let hex = "84a46172677392c41d5b227475706c65222c5b22737472696e67222c22737472696e67225d5d92a161a162a7636f6d6d616e6492c40822737472696e6722a178a7656e61626c656492c40622626f6f6c22c3a4706f727492c408226e756d62657222cd1f90"
        XCTAssertEqual(try decodeHex(hex), example1)
    }

    func testSingleNumberVectors() throws {
        let cases: [(String, CtyValue)] = [
            ("00", 0), ("7f", 127), ("cc80", 128), ("cd0100", 256), ("ce00010000", 65536),
            ("ff", -1), ("d0df", -33), ("d1ff7f", -129), ("cb3ff8000000000000", 1.5),
            ("a3302e31", "0.1"),
        ]
        for (suffix, expected) in cases {
            XCTAssertEqual(try decodeHex("81a16e" + suffix), ["n": expected], suffix)
        }
    }

    func testEmptyBlockVectors() throws {
        XCTAssertEqual(try decodeHex("90"), .list([]))
        XCTAssertEqual(try decodeHex("80"), .map([:]))
        XCTAssertEqual(try decodeHex("c0"), .null)
    }

    // MARK: Every msgpack format

    func testIntegerFormats() throws {
        let cases: [(String, CtyNumber)] = [
            ("05", 5), ("e0", -32),
            ("ccff", 255), ("cdffff", 65535), ("ceffffffff", 4_294_967_295),
            ("cf0000000000000001", 1), ("cf7fffffffffffffff", CtyNumber(Int64.max)),
            ("cfffffffffffffffff", CtyNumber(UInt64.max)),
            ("d080", -128), ("d18000", -32768), ("d2ffff7fff", -32769), ("d280000000", CtyNumber(Int64(Int32.min))),
            ("d38000000000000000", CtyNumber(Int64.min)), ("d3ffffffffffffffff", -1),
        ]
        for (hex, expected) in cases {
            XCTAssertEqual(try decodeHex(hex), .number(expected), hex)
        }
        guard case .number(let big) = try decodeHex("cfffffffffffffffff") else { return XCTFail("not a number") }
        XCTAssertEqual(big.uint64Value, UInt64.max)
        XCTAssertNil(big.int64Value)
    }

    func testFloatFormats() throws {
        XCTAssertEqual(try decodeHex("ca3fc00000"), 1.5)
        XCTAssertEqual(try decodeHex("cb3ff8000000000000"), 1.5)
        // An integral float is the same number as the integer.
        XCTAssertEqual(try decodeHex("cb4000000000000000"), 2)
        XCTAssertEqual(try decodeHex("cb7ff0000000000000"), .number(CtyNumber(Double.infinity)))
        // 1e20: CTY1.8 sends an integer above Int64 as a float64.
        guard case .number(let n) = try decodeHex("cb4415af1d78b58c40") else { return XCTFail("not a number") }
        XCTAssertEqual(n.doubleValue, 1e20)
        XCTAssertNil(n.uint64Value)
    }

    func testNaNIsRejected() {
        let error = expectConfigError { () throws(ConfigError) in try self.decodeHex("81a16eca7fc00000") }
        XCTAssertEqual(error?.field, "n")
        XCTAssertTrue(error?.message.contains("NaN") ?? false, error?.description ?? "")
    }

    func testStringFormats() throws {
        XCTAssertEqual(try decodeHex("a0"), "")
        XCTAssertEqual(try decodeHex("a3616263"), "abc")
        XCTAssertEqual(try decodeHex("d903616263"), "abc")
        XCTAssertEqual(try decodeHex("da0003616263"), "abc")
        XCTAssertEqual(try decodeHex("db00000003616263"), "abc")
        XCTAssertEqual(try decodeHex("a2c2b5"), "\u{00B5}")
    }

    func testInvalidUTF8IsRejected() {
        let error = expectConfigError { () throws(ConfigError) in try self.decodeHex("a2fffe") }
        XCTAssertTrue(error?.message.contains("UTF-8") ?? false)
    }

    func testContainerFormats() throws {
        XCTAssertEqual(try decodeHex("dc00020102"), [1, 2])
        XCTAssertEqual(try decodeHex("dd000000020102"), [1, 2])
        XCTAssertEqual(try decodeHex("de0001a16b01"), ["k": 1])
        XCTAssertEqual(try decodeHex("df00000001a16b01"), ["k": 1])
        XCTAssertEqual(try decodeHex("93c0c2c3"), [nil, false, true])
    }

    func testRoundTripThroughTestEncoderCoversLongForms() throws {
        let long = String(repeating: "x", count: 70_000)  // str32
        let medium = String(repeating: "y", count: 300)  // str16
        let short = String(repeating: "z", count: 40)  // str8
        let manyItems = CtyValue.list((0..<20).map { .number(CtyNumber($0 * 1000)) })  // array16
        let manyKeys = CtyValue.map(Dictionary(uniqueKeysWithValues: (0..<20).map { ("k\($0)", CtyValue.number(CtyNumber(-$0 * 100))) }))  // map16
        let value: CtyValue = ["long": .string(long), "medium": .string(medium), "short": .string(short), "items": manyItems, "keys": manyKeys, "frac": 0.25]
        let bytes = TestMsgpack.encode(value)
        XCTAssertTrue(bytes.contains(0xdb) && bytes.contains(0xda) && bytes.contains(0xd9) && bytes.contains(0xdc) && bytes.contains(0xde))
        XCTAssertEqual(try decode(bytes), value)
    }

    // MARK: Dynamic wrapper and binary data

    func testDynamicWrapperOutsideADocument() throws {
        XCTAssertEqual(try decodeHex("92c40822737472696e6722a178"), "x")
        // A genuine two-element list is not mistaken for a wrapper.
        XCTAssertEqual(try decodeHex("92a161a162"), ["a", "b"])
    }

    func testDynamicWrapperWithBadTypeDescriptionIsRejected() {
        let error = expectConfigError { () throws(ConfigError) in try self.decodeHex("92c4017801") }
        XCTAssertTrue(error?.message.contains("type description") ?? false, error?.description ?? "")
    }

    func testBinaryOutsideAWrapperIsRejected() {
        let error = expectConfigError { () throws(ConfigError) in try self.decodeHex("81a162c4026869") }
        XCTAssertEqual(error?.field, "b")
        XCTAssertTrue(error?.message.contains("binary") ?? false)
    }

    // MARK: Rejections

    func testUnknownValueExtensionZeroIsRejectedNamingTheField() {
        let error = expectConfigError { () throws(ConfigError) in try self.decodeHex("81a464697363 81a8696e74657276616c d40000") }
        XCTAssertEqual(error?.field, "disc.interval")
        XCTAssertEqual(error?.description, "invalid config: disc.interval is an unknown value (msgpack extension type 0), which a configuration cannot hold")
    }

    func testOtherExtensionFormsAreRejected() {
        for hex in ["d40100", "d5010000", "d60100000000", "c70105ff", "c8000105ff", "c900000001050f", "d7000000000000000000", "d80000000000000000000000000000000000"] {
            let error = expectConfigError { () throws(ConfigError) in try self.decodeHex(hex) }
            XCTAssertTrue(error?.message.contains("extension") ?? false, "\(hex): \(error?.description ?? "no error")")
        }
    }

    func testNeverUsedByteIsRejected() {
        let error = expectConfigError { () throws(ConfigError) in try self.decodeHex("c1") }
        XCTAssertTrue(error?.message.contains("0xc1") ?? false, error?.description ?? "")
    }

    func testEveryTruncationOfTheWorkedExampleIsRejected() {
        let full = TestMsgpack.hex("84a46172677392a161a162a7636f6d6d616e64a178a7656e61626c6564c3a4706f7274cd1f90")
        for length in 0..<full.count {
            let error = expectConfigError { () throws(ConfigError) in try self.decode(Array(full.prefix(length))) }
            XCTAssertNotNil(error, "prefix of \(length) bytes")
            XCTAssertEqual(error?.field, "", "truncation is a whole-document error")
        }
    }

    func testTruncationMessage() {
        let error = expectConfigError { () throws(ConfigError) in try self.decodeHex("cd01") }
        XCTAssertEqual(error?.description, "invalid config: the msgpack input is truncated: it ends at byte 2 while reading a 2-byte length or number at byte 1")
    }

    func testForgedLengthsAreRejectedBeforeAllocating() {
        let cases = [
            "dbffffffff", "daffff", "d9ff", "c6ffffffff", "c5ffff", "c4ff",
            "ddffffffff", "dcffff", "dfffffffff", "deffff", "9f", "8f", "c9ffffffff00", "c7ff00",
        ]
        for hex in cases {
            let error = expectConfigError { () throws(ConfigError) in try self.decodeHex(hex) }
            XCTAssertNotNil(error, hex)
        }
        let error = expectConfigError { () throws(ConfigError) in try self.decodeHex("ddffffffff00") }
        XCTAssertEqual(error?.description, "invalid config: the msgpack input declares an array of 4294967295 items at byte 5 but only 1 bytes remain")
    }

    func testTrailingBytesAreRejected() {
        let error = expectConfigError { () throws(ConfigError) in try self.decodeHex("80c0") }
        XCTAssertEqual(error?.description, "invalid config: the msgpack input has 1 unexpected bytes after the value that ends at byte 1")
    }

    func testNestingLimit() throws {
        let ok = [UInt8](repeating: 0x91, count: 64) + [0xc0]
        var expected: CtyValue = .null
        for _ in 0..<64 { expected = .list([expected]) }
        XCTAssertEqual(try decode(ok), expected)

        let tooDeep = [UInt8](repeating: 0x91, count: 65) + [0xc0]
        let error = expectConfigError { () throws(ConfigError) in try self.decode(tooDeep) }
        XCTAssertTrue(error?.message.contains("deeper than 64") ?? false, error?.description ?? "")

        // Far deeper input must fail the same way, not exhaust the stack.
        let hostileArrays = [UInt8](repeating: 0x91, count: 200_000)
        XCTAssertNotNil(expectConfigError { () throws(ConfigError) in try self.decode(hostileArrays) })
        let hostileMaps = Array(repeating: [0x81, 0xa1, 0x61] as [UInt8], count: 100_000).flatMap { $0 }
        XCTAssertNotNil(expectConfigError { () throws(ConfigError) in try self.decode(hostileMaps) })
    }

    func testNonStringAndDuplicateKeys() {
        let nonString = expectConfigError { () throws(ConfigError) in try self.decodeHex("810102") }
        XCTAssertTrue(nonString?.message.contains("not a string") ?? false, nonString?.description ?? "")
        let duplicate = expectConfigError { () throws(ConfigError) in try self.decodeHex("82a16101a16102") }
        XCTAssertEqual(duplicate?.field, "a")
        XCTAssertTrue(duplicate?.message.contains("twice") ?? false)
    }

    func testMutatedInputNeverCrashes() {
        // Every single-byte substitution of the worked example: each must decode or throw.
        let full = TestMsgpack.hex("84a46172677392a161a162a7636f6d6d616e64a178a7656e61626c6564c3a4706f7274cd1f90")
        var decoded = 0
        var rejected = 0
        for position in full.indices {
            for byte in [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc4, 0xc7, 0xca, 0xcb, 0xcf, 0xd3, 0xd4, 0xd8, 0xd9, 0xdb, 0xdd, 0xdf, 0xe0, 0xff] as [UInt8] {
                var mutated = full
                mutated[position] = byte
                do {
                    _ = try decode(mutated)
                    decoded += 1
                } catch {
                    XCTAssertFalse(error.description.isEmpty)
                    rejected += 1
                }
            }
        }
        XCTAssertGreaterThan(decoded, 0)
        XCTAssertGreaterThan(rejected, 0)
    }
}

final class CtyMsgpackFuzzTests: XCTestCase {
    /// Deterministic pseudo-random inputs built mostly from msgpack header bytes: each must
    /// decode or throw, never trap.
    func testRandomInputsNeverCrash() {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let headers: [UInt8] = [0x00, 0x7f, 0x81, 0x82, 0x91, 0x92, 0xa1, 0xa3, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd3, 0xd4, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff]
        var outcomes = (ok: 0, rejected: 0)
        for _ in 0..<20_000 {
            let length = Int(next() % 24)
            let input: [UInt8] = (0..<length).map { _ in
                next() % 3 == 0 ? UInt8(truncatingIfNeeded: next()) : headers[Int(next() % UInt64(headers.count))]
            }
            do {
                _ = try CtyMsgpackDecoder().decode(input)
                outcomes.ok += 1
            } catch {
                outcomes.rejected += 1
            }
        }
        XCTAssertGreaterThan(outcomes.ok, 0)
        XCTAssertGreaterThan(outcomes.rejected, 0)
    }
}
