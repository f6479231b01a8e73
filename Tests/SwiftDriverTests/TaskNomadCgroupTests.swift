import Foundation
import Glibc
import SystemSupport
import XCTest
@testable import SwiftDriver

/// A task placed in the cgroups Nomad 1.7+ makes (`cpuset_cgroup`): the tests make that layout
/// themselves, under a parent of their own instead of `nomad`, on whichever cgroup version the
/// host has, and check where the task landed and which limits it got.
final class TaskNomadCgroupTests: TaskStoreTestCase {
    private let hierarchy = CgroupHierarchy.current()
    private let parentName = "sdtest-" + String(UInt32.random(in: 0...0xFFFFFF), radix: 16)
    private var made: [String] = []

    override func tearDown() async throws {
        try await super.tearDown()
        for directory in made.reversed() { CgroupSupport.remove(directory) }
    }

    /// Makes `directory` (and records it for removal, parents first).
    private func make(_ directory: String) {
        var missing: [String] = []
        var path = directory
        while !FilePaths.isDirectory(path) {
            missing.append(path)
            path = FilePaths.parent(of: path)
        }
        for dir in missing.reversed() {
            mkdir(dir, 0o755)
            made.append(dir)
        }
    }

    private func v1Mounts() throws -> (cpuset: String, memory: String, cpu: String) {
        guard geteuid() == 0 else { throw XCTSkip("cgroups can be written by root only") }
        guard let cpuset = hierarchy.v1Mounts["cpuset"], let memory = hierarchy.v1Mounts["memory"], let cpu = hierarchy.v1Mounts["cpu"],
              access(cpuset, W_OK) == 0, access(memory, W_OK) == 0 else {
            throw XCTSkip("this host has no writable cgroup v1 cpuset, memory and cpu hierarchies (a cgroup v2 host: see testCgroupV2ScopeOnThisHost)")
        }
        return (cpuset, memory, cpu)
    }

    /// What Nomad's client sets up for a cpuset partition: its CPUs and memory nodes (a v1 cpuset
    /// cgroup takes no process without both).
    private func givePartitionTheHostsCPUs(_ directories: [String], cpusetMount: String) {
        for dir in directories {
            for file in ["cpuset.cpus", "cpuset.mems"] {
                let value = FileInput.text(atPath: cpusetMount + "/" + file)?.trimmingASCIIWhitespace() ?? ""
                XCTAssertTrue(TaskFiles.writeControlFile(dir + "/" + file, String(value)))
            }
        }
    }

    /// The cgroup of `pid` in the hierarchy mounted at `mount`.
    private func cgroup(of pid: Int32, in mount: String) -> String? {
        hierarchy.directories(membership: FileInput.text(atPath: "/proc/\(pid)/cgroup") ?? "")[mount]
    }

    private func startSleeper(nomadCgroup: String, cpusetCPUs: String? = nil) async throws -> (TaskLaunchRequest, StartedTask) {
        var req = scratch.request("/bin/sleep", ["100"], id: "alloc-9/web/" + String(UInt32.random(in: 0...UInt32.max), radix: 16))
        req.memoryLimitBytes = 96 << 20
        req.memoryReservationBytes = 64 << 20
        req.cpuShares = 500
        req.nomadCgroup = nomadCgroup
        req.cpusetCPUs = cpusetCPUs
        return (req, try await store.start(req))
    }

    func testCgroupV1SharedCores() async throws {
        let mounts = try v1Mounts()
        let share = "\(mounts.cpuset)/\(parentName)/share"
        make(share)
        givePartitionTheHostsCPUs([FilePaths.parent(of: share), share], cpusetMount: mounts.cpuset)
        let scope = "alloc-1.task"   // "<alloc id>.<task name>"
        made += ["\(mounts.memory)/\(parentName)", "\(mounts.cpu)/\(parentName)"].filter { !made.contains($0) }
        let (req, started) = try await startSleeper(nomadCgroup: share)
        made += [hierarchy.v1Mounts["freezer"], mounts.cpu, mounts.memory].compactMap { $0 }.flatMap { ["\($0)/\(parentName)", "\($0)/\(parentName)/\(scope)"] }
            .filter { !made.contains($0) }

        XCTAssertEqual(cgroup(of: started.pid, in: mounts.cpuset), share)
        XCTAssertEqual(cgroup(of: started.pid, in: mounts.memory), "\(mounts.memory)/\(parentName)/\(scope)")
        XCTAssertEqual(cgroup(of: started.pid, in: mounts.cpu), "\(mounts.cpu)/\(parentName)/\(scope)")
        XCTAssertEqual(FileInput.text(atPath: "\(mounts.memory)/\(parentName)/\(scope)/memory.limit_in_bytes")?.trimmingASCIIWhitespace(), "\(96 << 20)")
        XCTAssertEqual(FileInput.text(atPath: "\(mounts.cpu)/\(parentName)/\(scope)/cpu.shares")?.trimmingASCIIWhitespace(), "500")
        // The supervisor went back: cgroup.kill or the OOM killer must not take it with the task.
        let state = try DriverState.decode(started.driverState)
        XCTAssertEqual(cgroup(of: state.supervisorPID, in: mounts.memory), cgroup(of: getpid(), in: mounts.memory))

        // An exec session into the task lands in the same cgroups.
        var context = ExecTestSupport.context()
        context.cgroups = await store.cgroupDirectories(for: req.id)
        let output = try await ExecRunner.run(command: ["cat", "/proc/self/cgroup"], context: context, timeout: .seconds(10))
        let membership = String(decoding: output.stdout, as: UTF8.self)
        XCTAssertEqual(hierarchy.directories(membership: membership)[mounts.memory], "\(mounts.memory)/\(parentName)/\(scope)")
        XCTAssertEqual(hierarchy.directories(membership: membership)[mounts.cpuset], share)
    }

    func testCgroupV1ReservedCores() async throws {
        let mounts = try v1Mounts()
        let scope = "alloc-1.task"
        let reserve = "\(mounts.cpuset)/\(parentName)/reserve"
        make(reserve)
        givePartitionTheHostsCPUs([FilePaths.parent(of: reserve), reserve], cpusetMount: mounts.cpuset)
        let cpusetScope = reserve + "/" + scope
        made.append(cpusetScope)
        made += [hierarchy.v1Mounts["freezer"], mounts.cpu, mounts.memory].compactMap { $0 }.flatMap { ["\($0)/\(parentName)", "\($0)/\(parentName)/\(scope)"] }
        let (_, started) = try await startSleeper(nomadCgroup: cpusetScope, cpusetCPUs: "0")
        XCTAssertEqual(cgroup(of: started.pid, in: mounts.cpuset), cpusetScope)
        XCTAssertEqual(FileInput.text(atPath: cpusetScope + "/cpuset.cpus")?.trimmingASCIIWhitespace(), "0")
        let allowed = FileInput.text(atPath: "/proc/\(started.pid)/status")?.split(separator: "\n")
            .first { $0.hasPrefix("Cpus_allowed_list:") }?.split(separator: "\t").last.map(String.init)
        XCTAssertEqual(allowed, "0", "the task may run on its reserved core only")
    }

    func testCgroupV2ScopeOnThisHost() async throws {
        guard geteuid() == 0 else { throw XCTSkip("cgroups can be written by root only") }
        guard let mount = hierarchy.unifiedMount, access(mount, W_OK) == 0 else { throw XCTSkip("this host has no writable cgroup v2 hierarchy") }
        let scope = "\(mount)/\(parentName)/share.slice/alloc-1.task.scope"
        make(FilePaths.parent(of: scope))
        made.append(scope)
        let (req, started) = try await startSleeper(nomadCgroup: scope)
        XCTAssertEqual(cgroup(of: started.pid, in: mount), scope)
        let controllers = FileInput.text(atPath: mount + "/cgroup.controllers") ?? ""
        if controllers.split(separator: " ").contains(where: { $0.trimmingASCIIWhitespace() == "memory" }) {
            XCTAssertEqual(FileInput.text(atPath: scope + "/memory.max")?.trimmingASCIIWhitespace(), "\(96 << 20)")
            XCTAssertEqual(FileInput.text(atPath: scope + "/memory.low")?.trimmingASCIIWhitespace(), "\(64 << 20)")
        } else {
            // A hybrid host's v2 tree has no memory controller: the task still lands there, the
            // limit is reported as not applied (Nomad itself treats such a host as cgroup v1).
            let task = try await store.inspect(req.id)
            XCTAssertEqual(task.state, .running)
        }
        let state = try DriverState.decode(started.driverState)
        XCTAssertEqual(cgroup(of: state.supervisorPID, in: mount), cgroup(of: getpid(), in: mount))
    }
}
