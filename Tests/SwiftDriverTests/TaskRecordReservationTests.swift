import Foundation
import XCTest
@testable import SwiftDriver
import SystemSupport

/// The start and exit records are written over placeholders reserved at start; readers must take
/// the placeholder and any record cut short as "nothing yet".
final class TaskRecordReservationTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/sd-records-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        dir = String(cString: made)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func record() throws -> [UInt8] {
        let exit = TaskExitRecord(exitCode: 7, signal: 0, oomKilled: false, finishedAt: 1_764_000_000.25)
        return try XCTUnwrap(TaskFiles.encodeJSON(exit))
    }

    private func inode(_ path: String) -> UInt64 {
        var st = stat()
        return stat(path, &st) == 0 ? UInt64(st.st_ino) : 0
    }

    func testPlaceholderReadsAsNotExited() {
        let path = dir + "/exit.json"
        XCTAssertEqual(TaskFiles.reserve(path, size: TaskStatePaths.exitReservation), 0)
        XCTAssertEqual((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int), TaskStatePaths.exitReservation)
        XCTAssertNil(TaskExitRecord.read(path))
    }

    func testOverwriteKeepsTheReservedFileAndReadsBack() throws {
        let path = dir + "/exit.json"
        XCTAssertEqual(TaskFiles.reserve(path, size: TaskStatePaths.exitReservation), 0)
        let before = inode(path)
        XCTAssertTrue(TaskFiles.overwriteReserved(path, try record()))
        // Same inode and size: written in place, not through a new file that needs free blocks.
        XCTAssertEqual(inode(path), before)
        XCTAssertEqual((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int), TaskStatePaths.exitReservation)
        let read = try XCTUnwrap(TaskExitRecord.read(path))
        XCTAssertEqual(read.exitCode, 7)
        XCTAssertEqual(read.finishedAt, 1_764_000_000.25)
    }

    func testTornRecordReadsAsNotExited() throws {
        let path = dir + "/exit.json"
        let bytes = try record()
        let size = TaskStatePaths.exitReservation
        // Every way a pwrite racing a reader can be seen: the first n bytes written, the rest still
        // placeholder. Only the whole record decodes.
        for n in 0..<bytes.count {
            let torn = Array(bytes[0..<n]) + [UInt8](repeating: 0x20, count: size - n)
            XCTAssertEqual(TaskFiles.writeAtomically(path, torn), 0)
            XCTAssertNil(TaskExitRecord.read(path), "a record cut after \(n) of \(bytes.count) bytes decoded")
        }
        XCTAssertEqual(TaskFiles.writeAtomically(path, bytes + [UInt8](repeating: 0x20, count: size - bytes.count)), 0)
        XCTAssertNotNil(TaskExitRecord.read(path))
    }

    func testTornRecordWithTheEndWrittenFirstReadsAsNotExited() throws {
        let path = dir + "/exit.json"
        let bytes = try record()
        for n in 1..<bytes.count {
            let torn = [UInt8](repeating: 0x20, count: n) + Array(bytes[n...])
            XCTAssertEqual(TaskFiles.writeAtomically(path, torn), 0)
            XCTAssertNil(TaskExitRecord.read(path), "a record missing its first \(n) bytes decoded")
        }
    }

    func testRecordWrittenAtomicallyByAnOlderSupervisorStillReads() throws {
        let path = dir + "/exit.json"
        XCTAssertTrue(TaskFiles.writeFileAtomically(path, try record()))
        XCTAssertEqual(TaskExitRecord.read(path)?.exitCode, 7)
    }

    func testOverwriteWithoutReservationFallsBackToAtomicWrite() throws {
        let path = dir + "/exit.json"
        XCTAssertTrue(TaskFiles.overwriteReserved(path, try record()))
        XCTAssertEqual(TaskExitRecord.read(path)?.exitCode, 7)
    }

    func testRecordLargerThanTheReservationFallsBackToAtomicWrite() throws {
        let path = dir + "/started.json"
        XCTAssertEqual(TaskFiles.reserve(path, size: 64), 0)
        var started = TaskStartedRecord(pid: 42, pgid: 42, startTime: 1)
        started.warnings = [String(repeating: "w", count: 500)]
        let bytes = try XCTUnwrap(TaskFiles.encodeJSON(started))
        XCTAssertTrue(TaskFiles.overwriteReserved(path, bytes))
        let text = try XCTUnwrap(FileInput.text(atPath: path))
        let read = try JSONDecoder().decode(TaskStartedRecord.self, from: Data(text.utf8))
        XCTAssertEqual(read.pid, 42)
        XCTAssertEqual(read.warnings?.first?.count, 500)
    }

    func testReserveRecordsMakesBothPlaceholders() {
        let paths = TaskStatePaths(directory: dir)
        XCTAssertEqual(paths.reserveRecords(), 0)
        XCTAssertNil(TaskExitRecord.read(paths.exit))
        let started = FileInput.text(atPath: paths.started)
        XCTAssertEqual(started?.count, TaskStatePaths.startedReservation)
        XCTAssertEqual(started?.trimmingCharacters(in: .whitespaces), "")
    }
}
