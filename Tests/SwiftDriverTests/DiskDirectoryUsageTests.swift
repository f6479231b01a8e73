import Foundation
import XCTest
@testable import SwiftDriver

final class DiskDirectoryUsageTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("disk-usage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("a/b"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func write(_ relative: String, kib: Int) throws -> URL {
        let url = root.appendingPathComponent(relative)
        try Data(repeating: 7, count: kib * 1024).write(to: url)
        return url
    }

    func testCountsFilesOnceAndNeverFollowsSymlinks() throws {
        let tree = root.appendingPathComponent("a")
        let empty = DirectoryUsage.bytes(under: tree.path)
        _ = try write("a/one", kib: 256)
        let two = try write("a/b/two", kib: 512)
        let withFiles = DirectoryUsage.bytes(under: tree.path)
        let grown = withFiles - empty
        XCTAssertGreaterThanOrEqual(grown, 768 * 1024)
        XCTAssertLessThan(grown, 768 * 1024 + 64 * 1024)

        // A big file outside the tree, reached through a symlink, must not count.
        let outside = try write("outside", kib: 2048)
        try FileManager.default.createSymbolicLink(at: tree.appendingPathComponent("link"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(at: tree.appendingPathComponent("dirlink"), withDestinationURL: root)
        // A hard link to a file already in the tree counts once.
        try FileManager.default.linkItem(at: two, to: tree.appendingPathComponent("b/two-again"))
        let afterLinks = DirectoryUsage.bytes(under: tree.path)
        XCTAssertLessThan(afterLinks - withFiles, 64 * 1024)
    }

    func testMissingPathAndPlainFile() throws {
        XCTAssertEqual(DirectoryUsage.bytes(under: root.appendingPathComponent("nope").path), 0)
        let file = try write("a/file", kib: 128)
        XCTAssertGreaterThanOrEqual(DirectoryUsage.bytes(under: file.path), 128 * 1024)
    }
}
