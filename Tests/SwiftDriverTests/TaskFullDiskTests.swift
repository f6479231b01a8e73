import Foundation
import Glibc
import XCTest
@testable import SwiftDriver

/// Tasks whose task dir (and so the driver's state files) sits on a small tmpfs that fills up.
final class TaskFullDiskTests: TaskStoreTestCase {
    private var mountPoint: String?

    override func setUp() async throws {
        try await super.setUp()
        let dir = scratch.root + "/disk"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard mount("tmpfs", dir, "tmpfs", 0, "size=4m") == 0 else {
            throw XCTSkip("cannot mount a tmpfs at \(dir) (\(String(cString: strerror(errno)))); run as root for the full-disk tests")
        }
        mountPoint = dir
    }

    override func tearDown() async throws {
        try await super.tearDown()
        if let dir = mountPoint { umount2(dir, Int32(MNT_DETACH)) }
    }

    /// A task dir on the tmpfs, output to /dev/null (a log file there could not grow either).
    private func request(_ script: String) throws -> TaskLaunchRequest {
        let taskDir = try XCTUnwrap(mountPoint) + "/task"
        try FileManager.default.createDirectory(atPath: taskDir, withIntermediateDirectories: true)
        return TaskLaunchRequest(
            id: "alloc-1/task/" + String(UInt32.random(in: 0...UInt32.max), radix: 16), name: "task", allocID: "alloc-1",
            env: ["PATH": "/usr/bin:/bin"], taskDir: taskDir, stdoutPath: "", stderrPath: "",
            settings: TaskSettings(command: "/bin/sh", args: ["-c", script]))
    }

    /// Leaves no free block: fallocate what statvfs reports free, then write pages until ENOSPC.
    private func fill() throws {
        let dir = try XCTUnwrap(mountPoint)
        var vfs = statvfs()
        XCTAssertEqual(statvfs(dir, &vfs), 0)
        let fd = open(dir + "/fill", O_CREAT | O_WRONLY, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = posix_fallocate(fd, 0, off_t(vfs.f_bavail) * off_t(vfs.f_frsize))
        let page = [UInt8](repeating: 1, count: 4096)
        while page.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        close(fd)
        XCTAssertEqual(statvfs(dir, &vfs), 0)
        XCTAssertEqual(vfs.f_bavail, 0, "the tmpfs still has free blocks")
    }

    func testStartOnAFullDiskIsRefusedAsResourceExhausted() async throws {
        let req = try request("exit 0")
        try fill()
        do {
            _ = try await store.start(req)
            XCTFail("the task started on a full disk")
        } catch {
            XCTAssertEqual(error.kind, .resourceExhausted)
            XCTAssertTrue(error.message.contains("full"), error.message)
            XCTAssertEqual(StatusMapping.status(for: error).code, .resourceExhausted)
        }
        // Nothing half-written is left behind.
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: req.taskDir)) ?? []
        XCTAssertEqual(leftovers, [])
    }

    func testExitStatusIsReportedAfterTheDiskFilledUp() async throws {
        let req = try request("trap 'exit 7' TERM; : > trap-set; while :; do sleep 0.05; done")
        _ = try await store.start(req)
        // A SIGTERM before the shell has set its trap would end it with 143: wait for the trap.
        let trapSet = await taskEventually { FileManager.default.fileExists(atPath: req.taskDir + "/trap-set") }
        XCTAssertTrue(trapSet)
        try fill()
        try await store.stop(req.id, signal: "SIGTERM", timeout: .seconds(5))
        let exit = try await store.wait(req.id)
        XCTAssertEqual(exit, TaskExit(exitCode: 7))
        try await store.destroy(req.id, force: false)
    }
}
