import Glibc
import XCTest
@testable import SwiftDriver

final class StatsSamplerTests: XCTestCase {
    private let context = ExecTestSupport.context()

    func testBusyTreeHasCPUAndMemoryAndIncludesChildren() async throws {
        // Two busy children under a shell that waits for them.
        let session = try ExecSession.start(
            command: ["sh", "-c", "yes > /dev/null & yes > /dev/null & wait"], context: context, tty: false)
        let sampler = ProcessTreeSampler(rootPid: session.pid, perCoreMHz: 1000)
        let found = await ExecTestSupport.eventually { (sampler.sample()?.perPid.count ?? 0) >= 3 }
        XCTAssertTrue(found, "the shell and both children should be found")
        _ = sampler.sample()
        try await Task.sleep(for: .milliseconds(300))
        let sample = try XCTUnwrap(sampler.sample())

        XCTAssertGreaterThan(sample.cpuPercent, 0)
        XCTAssertGreaterThan(sample.cpuUserPercent + sample.cpuSystemPercent, 0)
        XCTAssertEqual(sample.cpuPercent, sample.cpuUserPercent + sample.cpuSystemPercent, accuracy: 1e-6)
        XCTAssertEqual(sample.totalTicks, sample.cpuPercent / 100 * 1000, accuracy: 1e-6)
        XCTAssertGreaterThan(sample.rssBytes, 0)
        XCTAssertGreaterThan(sample.timestamp, 0)
        XCTAssertEqual(sample.cpuMeasuredFields, ["System Mode", "User Mode", "Percent", "Total Ticks"])
        XCTAssertEqual(sample.memoryMeasuredFields, ["RSS", "Swap"])

        let children = sample.perPid.keys.filter { $0 != session.pid }
        XCTAssertGreaterThanOrEqual(children.count, 2)
        let busiest = try XCTUnwrap(children.compactMap { sample.perPid[$0]?.cpuPercent }.max())
        XCTAssertGreaterThan(busiest, 0, "a child's CPU must be counted")
        XCTAssertEqual(sample.rssBytes, sample.perPid.values.reduce(0) { $0 + $1.rssBytes })

        session.terminate()
        _ = await ExecTestSupport.collect(session)
        XCTAssertNil(sampler.sample(), "no sample once the process is gone")
    }

    func testProcessGroupModeKeepsReparentedMembers() async throws {
        // The inner sleep is orphaned (its subshell exits) but stays in the process group.
        let session = try ExecSession.start(
            command: ["sh", "-c", "(sleep 30 &); echo ready; sleep 30"], context: context, tty: false)
        var iterator = session.outputs.makeAsyncIterator()
        _ = await iterator.next()  // "ready": the orphan exists by now
        let tree = ProcessTreeSampler(rootPid: session.pid)
        let group = ProcessTreeSampler(rootPid: session.pid, processGroup: session.pid)
        let grouped = await ExecTestSupport.eventually { (group.sample()?.perPid.count ?? 0) >= 3 }
        XCTAssertTrue(grouped)
        let treeCount = try XCTUnwrap(tree.sample()).perPid.count
        let groupSample = try XCTUnwrap(group.sample())
        XCTAssertGreaterThan(groupSample.perPid.count, treeCount)

        session.terminate()
        while await iterator.next() != nil {}
        let gone = await ExecTestSupport.eventually { group.sample() == nil }
        XCTAssertTrue(gone, "killing the group ends the group's sampling")
    }

    func testCgroupFilesArePreferredForTheAggregate() async throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        try write("\(dir)/memory.current", "10000\n")
        try write("\(dir)/memory.stat", "anon 6000\nfile 3000\nkernel 700\n")
        try write("\(dir)/memory.swap.current", "42\n")
        try write("\(dir)/memory.peak", "12000\n")
        try write("\(dir)/cpu.stat", "usage_usec 1000000\nuser_usec 800000\nsystem_usec 200000\nnr_periods 10\nnr_throttled 3\nthrottled_usec 5000\n")

        let session = try ExecSession.start(command: ["sleep", "30"], context: context, tty: false)
        defer { session.terminate() }
        let sampler = ProcessTreeSampler(rootPid: session.pid, cgroupDirectory: dir, perCoreMHz: 0)
        let first = try XCTUnwrap(sampler.sample())
        XCTAssertEqual(first.rssBytes, 6000)
        XCTAssertEqual(first.cacheBytes, 3000)
        XCTAssertEqual(first.swapBytes, 42)
        XCTAssertEqual(first.usageBytes, 10000)
        XCTAssertEqual(first.maxUsageBytes, 12000)
        XCTAssertEqual(first.kernelUsageBytes, 700)
        XCTAssertEqual(first.throttledPeriods, 3)
        XCTAssertEqual(first.throttledTime, 5_000_000)
        XCTAssertEqual(first.memoryMeasuredFields, ["RSS", "Cache", "Swap", "Usage", "Max Usage", "Kernel Usage"])
        XCTAssertEqual(first.cpuMeasuredFields, ["System Mode", "User Mode", "Percent", "Throttled Periods", "Throttled Time"])
        XCTAssertEqual(first.cpuPercent, 0, "no baseline yet")

        try await Task.sleep(for: .milliseconds(50))
        try write("\(dir)/cpu.stat", "usage_usec 1500000\nuser_usec 1100000\nsystem_usec 400000\nnr_throttled 3\nthrottled_usec 5000\n")
        let second = try XCTUnwrap(sampler.sample())
        XCTAssertGreaterThan(second.cpuPercent, 0)
        XCTAssertEqual(second.cpuPercent, second.cpuUserPercent + second.cpuSystemPercent, accuracy: 1e-6)
        XCTAssertGreaterThan(second.cpuUserPercent, second.cpuSystemPercent)
        XCTAssertFalse(second.perPid.isEmpty, "per-pid figures still come from /proc")
    }

    func testUnreadableCgroupFallsBackToProc() throws {
        let session = try ExecSession.start(command: ["sleep", "30"], context: context, tty: false)
        defer { session.terminate() }
        let sampler = ProcessTreeSampler(rootPid: session.pid, cgroupDirectory: "/nonexistent/cgroup", perCoreMHz: 0)
        let sample = try XCTUnwrap(sampler.sample())
        XCTAssertEqual(sample.memoryMeasuredFields, ["RSS", "Swap"])
        XCTAssertGreaterThan(sample.rssBytes, 0)
    }

    func testRootWithAnotherStartTimeIsNotTheTask() throws {
        let session = try ExecSession.start(command: ["sleep", "30"], context: context, tty: false)
        defer { session.terminate() }
        let start = try XCTUnwrap(ProcessTreeSampler.processStartTime(pid: session.pid))
        XCTAssertNotNil(ProcessTreeSampler(rootPid: session.pid, rootStartTime: start).sample())
        XCTAssertNil(ProcessTreeSampler(rootPid: session.pid, rootStartTime: start + 1).sample(),
                     "a reused pid must not be sampled as the task")
    }

    func testUnknownPidHasNoSample() {
        // Pid numbers are capped well below Int32.max by the kernel.
        XCTAssertNil(ProcessTreeSampler(rootPid: Int32.max - 1).sample())
    }

    private func makeTempDir() throws -> String {
        var template = Array("/tmp/statstest.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        return String(cString: made)
    }

    private func write(_ path: String, _ text: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard Glibc.write(fd, bytes, bytes.count) == bytes.count else { throw POSIXError(.EIO) }
    }

    private func removeTree(_ dir: String) {
        if let handle = opendir(dir) {
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name != "." && name != ".." { unlink("\(dir)/\(name)") }
            }
            closedir(handle)
        }
        rmdir(dir)
    }
}
