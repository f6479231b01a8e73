import XCTest

@testable import SwiftDriver

final class GoDurationTests: XCTestCase {
    private let second: Int64 = 1_000_000_000

    func testParsesGoSyntax() throws {
        let minute = 60 * second
        let hour = 60 * minute
        let cases: [(String, Int64)] = [
            ("0", 0), ("-0", 0), ("+0", 0), ("0s", 0),
            ("5s", 5 * second), ("30s", 30 * second), ("1478s", 1478 * second),
            ("-5s", -5 * second), ("+5s", 5 * second), ("-0s", 0),
            ("5.0s", 5 * second), ("5.6s", 5 * second + 600_000_000), ("5.s", 5 * second), (".5s", second / 2),
            ("1.004s", second + 4_000_000), ("1.0040s", second + 4_000_000), ("100.00100s", 100 * second + 1_000_000),
            ("10ns", 10), ("11us", 11_000), ("12\u{00B5}s", 12_000), ("12\u{03BC}s", 12_000), ("13ms", 13_000_000),
            ("14s", 14 * second), ("15m", 15 * minute), ("16h", 16 * hour),
            ("3h30m", 3 * hour + 30 * minute), ("10.5s4m", 4 * minute + 10 * second + 500_000_000),
            ("-2m3.4s", -(2 * minute + 3 * second + 400_000_000)),
            ("1h2m3s4ms5us6ns", hour + 2 * minute + 3 * second + 4_000_000 + 5_000 + 6),
            ("39h9m14.425s", 39 * hour + 9 * minute + 14 * second + 425_000_000),
            ("52763797000ns", 52_763_797_000),
            ("0.3333333333333333333h", 20 * minute),
            ("9007199254740993ns", 9_007_199_254_740_993),
            ("9223372036854775807ns", Int64.max), ("9223372036854775.807us", Int64.max),
            ("9223372036s854ms775us807ns", Int64.max),
            ("-9223372036854775808ns", Int64.min), ("-9223372036854775.808us", Int64.min),
            ("0.100000000000000000000h", 6 * minute),
            ("0.830103483285477580700h", 49 * minute + 48 * second + 372_539_827),
        ]
        for (text, nanos) in cases {
            XCTAssertEqual(GoDuration.nanoseconds(try GoDuration.parse(text)), nanos, text)
        }
    }

    func testRejectsWhatGoRejects() {
        let cases = [
            "", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "\u{85}\u{85}", "\u{ff}ff", "hello \u{ff}ff world",
            "1.5.s", "5 s", "9223372036854775808ns", "9223372036854775.808us", "9223372036854ms775us808ns",
            "-9223372036854775809ns", "99999999999999999999h",
        ]
        for text in cases {
            XCTAssertThrowsError(try GoDuration.parse(text), text)
        }
    }

    func testErrorSentences() {
        func message(_ text: String) -> String {
            do {
                _ = try GoDuration.parse(text)
                return "no error"
            } catch {
                return error.description
            }
        }
        XCTAssertEqual(message("1d"), "unknown unit \"d\" in duration \"1d\"; use ns, us, ms, s, m or h")
        XCTAssertEqual(message("30"), "missing unit in duration \"30\"; use ns, us, ms, s, m or h")
        XCTAssertEqual(message("abc"), "invalid duration \"abc\"")
        XCTAssertEqual(message("9999999999h"), "invalid duration \"9999999999h\": out of range")
    }

    func testFormatsLikeGo() {
        let cases: [(Int64, String)] = [
            (0, "0s"), (1, "1ns"), (1100, "1.1\u{00B5}s"), (2_200_000, "2.2ms"), (3_300_000_000, "3.3s"),
            (4 * 60 * second + 5 * second, "4m5s"), (4 * 60 * second + 5_001_000_000, "4m5.001s"),
            (5 * 3600 * second + 6 * 60 * second + 7_001_000_000, "5h6m7.001s"),
            (8 * 60 * second + 1, "8m0.000000001s"), (60 * second, "1m0s"), (3600 * second, "1h0m0s"),
            (Int64.max, "2562047h47m16.854775807s"), (Int64.min, "-2562047h47m16.854775808s"),
            (-1_500_000_000, "-1.5s"),
        ]
        for (nanos, text) in cases {
            XCTAssertEqual(GoDuration.format(.nanoseconds(nanos)), text)
        }
    }

    func testFormatRoundTripsThroughParse() throws {
        for nanos: Int64 in [1, 999, 1_000, 123_456_789, 61 * second + 5, 86_400 * second, -7 * second] {
            XCTAssertEqual(GoDuration.nanoseconds(try GoDuration.parse(GoDuration.format(.nanoseconds(nanos)))), nanos)
        }
    }
}
