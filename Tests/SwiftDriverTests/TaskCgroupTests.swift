import Foundation
import XCTest
@testable import SwiftDriver
import SystemSupport

/// Runs the supervisor against whatever cgroup2 hierarchy the host has (also the `unified` one of a
/// hybrid host, where limits cannot be enforced but cgroup membership and cgroup.kill still work).
final class TaskCgroupTests: XCTestCase {
    func testSupervisorConfinesTaskToItsCgroupAndLeavesIt() async throws {
        let mount = try XCTUnwrap(CgroupSupport.unifiedMountPoint(), "no cgroup2 mount")
        try XCTSkipIf(access(mount, W_OK) != 0 || geteuid() != 0, "the cgroup2 hierarchy is not writable here")
        let scratch = try TaskScratch()
        defer { scratch.remove() }
        let parent = mount + "/sd-test-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let cgroup = parent + "/task"
        defer {
            CgroupSupport.remove(cgroup)
            rmdir(parent)
        }
        let req = scratch.request("/bin/sleep", ["100"], id: "alloc-1/task/cg")
        let paths = TaskStatePaths(taskDir: req.taskDir, taskID: req.id)
        try FileManager.default.createDirectory(atPath: paths.directory, withIntermediateDirectories: true)
        let spec = try XCTUnwrap(TaskFiles.encodeJSON(TaskSupervisorSpec(request: req, stateDirectory: paths.directory, cgroupPath: cgroup, executable: "/bin/sleep", workDirectory: req.taskDir)))
        try Data(spec).write(to: URL(fileURLWithPath: paths.spec))
        var options = SpawnOptions(path: try taskSupervisorBinary(), arguments: ["nomad-driver-swift", "supervise", paths.spec], environment: [])
        options.newSession = true
        let supervisor = try ProcessSpawner.spawn(options).get()

        let startedOK = await taskEventually { FileManager.default.fileExists(atPath: paths.started) }
        XCTAssertTrue(startedOK)
        let started = try JSONDecoder().decode(TaskStartedRecord.self, from: Data(contentsOf: URL(fileURLWithPath: paths.started)))
        XCTAssertNil(started.failure)
        XCTAssertEqual(started.cgroupPath, cgroup)
        let members = (FileInput.text(atPath: cgroup + "/cgroup.procs") ?? "").split(separator: "\n").compactMap { Int32($0) }
        XCTAssertEqual(members, [try XCTUnwrap(started.pid)], "only the task, not its supervisor, is in the cgroup")

        CgroupSupport.signalAll(cgroup, SIGKILL)
        var status: Int32 = 0
        while waitpid(supervisor, &status, 0) < 0 && errno == EINTR {}
        XCTAssertEqual(status, 0, "the supervisor survived its task's cgroup kill and exited normally")
        let exit = try XCTUnwrap(TaskExitRecord.read(paths.exit))
        XCTAssertEqual(exit.signal, SIGKILL)
        XCTAssertFalse(exit.oomKilled)
    }
}
