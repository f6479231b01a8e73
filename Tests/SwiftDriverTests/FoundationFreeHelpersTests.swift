import XCTest
@testable import ConfigDecoding
@testable import SwiftDriver

/// What replaced Foundation in the driver (path helpers, blank trimming, the JSON reader) must
/// answer as Foundation did.
final class FoundationFreeHelpersTests: XCTestCase {
    func testParentMatchesDeletingLastPathComponent() {
        XCTAssertEqual(FilePaths.parent(of: "/a/b/spec.json"), "/a/b")
        XCTAssertEqual(FilePaths.parent(of: "/a/b/"), "/a")
        XCTAssertEqual(FilePaths.parent(of: "/a//b"), "/a")
        XCTAssertEqual(FilePaths.parent(of: "/a"), "/")
        XCTAssertEqual(FilePaths.parent(of: "/"), "/")
        XCTAssertEqual(FilePaths.parent(of: "b"), "")
        XCTAssertEqual(FilePaths.parent(of: "a/b"), "a")
    }

    func testIsDirectoryFollowsLinksAndRejectsFiles() throws {
        let dir = NSTemporaryDirectory() + "filepaths-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/file", contents: Data())
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir)
        XCTAssertTrue(FilePaths.isDirectory(dir))
        XCTAssertTrue(FilePaths.isDirectory(dir + "/link"))
        XCTAssertFalse(FilePaths.isDirectory(dir + "/file"))
        XCTAssertFalse(FilePaths.isDirectory(dir + "/missing"))
    }

    func testSignalNamesTrimBlanksButNotLineBreaks() {
        XCTAssertEqual(SignalNames.number(for: " \tSIGTERM\u{00A0}"), 15)
        XCTAssertNil(SignalNames.number(for: "SIGTERM\n"))
        XCTAssertTrue(SignalNames.isBlank(" \t"))
        XCTAssertFalse(SignalNames.isBlank(" x "))
    }

    func testJSONReaderKeepsEveryKindApart() throws {
        let value = try JSONConfigReader.parse(#"{"a": [true, null, -3, 18446744073709551615, 1.5, "s", {}], "b": false}"#)
        XCTAssertEqual(value, .map([
            "a": .list([.bool(true), .null, .number(CtyNumber(Int64(-3))), .number(CtyNumber(UInt64.max)),
                        .number(CtyNumber(1.5)), .string("s"), .map([:])]),
            "b": .bool(false),
        ]))
        XCTAssertThrowsError(try JSONConfigReader.parse(#"{"a": "#))
    }
}
