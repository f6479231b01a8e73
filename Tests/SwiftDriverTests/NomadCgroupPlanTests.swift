import XCTest
@testable import SwiftDriver

/// The cgroup layout Nomad 1.7+ sends in `cpuset_cgroup`, planned without touching the host.
final class NomadCgroupPlanTests: XCTestCase {
    private let hybrid = CgroupHierarchy.parse(mounts: """
        tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
        cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,relatime,cpu,cpuacct 0 0
        cgroup /sys/fs/cgroup/cpuset cgroup rw,relatime,cpuset 0 0
        cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
        cgroup /sys/fs/cgroup/freezer cgroup rw,relatime,freezer 0 0
        cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0
        cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
        """)
    private let unified = CgroupHierarchy.parse(mounts: "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\n")
    private let limits = NomadCgroupPlan.Limits(memoryHardBytes: 512 << 20, memoryReservedBytes: 256 << 20, cpuShares: 500, cpusetCPUs: "")

    func testHierarchyParsing() {
        XCTAssertEqual(hybrid.unifiedMount, "/sys/fs/cgroup/unified")
        XCTAssertEqual(hybrid.v1Mounts["cpu"], "/sys/fs/cgroup/cpu,cpuacct")
        XCTAssertEqual(hybrid.v1Mounts["cpuacct"], "/sys/fs/cgroup/cpu,cpuacct")
        XCTAssertEqual(hybrid.v1Mounts["memory"], "/sys/fs/cgroup/memory")
        XCTAssertNil(hybrid.v1Mounts["rw"])
        XCTAssertNil(hybrid.v1Mounts["name=systemd"])
        XCTAssertEqual(unified.unifiedMount, "/sys/fs/cgroup")
        XCTAssertTrue(unified.v1Mounts.isEmpty)
        XCTAssertEqual(hybrid.directories(membership: "4:memory:/a/b\n2:cpu,cpuacct:/\n0::/c\n"), [
            "/sys/fs/cgroup/memory": "/sys/fs/cgroup/memory/a/b",
            "/sys/fs/cgroup/cpu,cpuacct": "/sys/fs/cgroup/cpu,cpuacct",
            "/sys/fs/cgroup/unified": "/sys/fs/cgroup/unified/c",
        ])
    }

    func testCgroupV2ScopeGetsEveryLimit() throws {
        let scope = "/sys/fs/cgroup/nomad.slice/reserve.slice/a1.web.scope"
        var reserved = limits
        reserved.cpusetCPUs = "2-3"
        let plan = try XCTUnwrap(NomadCgroupPlan.plan(cpusetCgroup: scope, allocID: "a1", taskName: "web", limits: reserved, hierarchy: unified))
        XCTAssertEqual(plan.join, [scope])
        XCTAssertEqual(plan.unified, scope)
        XCTAssertEqual(plan.writes.map(\.file), ["memory.max", "memory.low", "cpu.weight", "cpuset.cpus"].map { scope + "/" + $0 })
        XCTAssertEqual(plan.writes.map(\.value), [String(512 << 20), String(256 << 20), String(CgroupSupport.cpuWeight(shares: 500)), "2-3"])
    }

    func testCgroupV2WithoutAMemoryLimitWritesMax() throws {
        let scope = "/sys/fs/cgroup/nomad.slice/share.slice/a1.web.scope"
        let plan = try XCTUnwrap(NomadCgroupPlan.plan(
            cpusetCgroup: scope, allocID: "a1", taskName: "web",
            limits: .init(memoryHardBytes: nil, memoryReservedBytes: nil, cpuShares: nil, cpusetCPUs: ""), hierarchy: unified))
        XCTAssertEqual(plan.writes, [.init(file: scope + "/memory.max", value: "max", what: "memory limit")])
    }

    func testCgroupV1SharedCoresUseTheTasksOwnMemoryAndCPUGroups() throws {
        let plan = try XCTUnwrap(NomadCgroupPlan.plan(
            cpusetCgroup: "/sys/fs/cgroup/cpuset/nomad/share", allocID: "a1", taskName: "web", limits: limits, hierarchy: hybrid))
        XCTAssertEqual(plan.join, [
            "/sys/fs/cgroup/freezer/nomad/a1.web", "/sys/fs/cgroup/cpu,cpuacct/nomad/a1.web",
            "/sys/fs/cgroup/memory/nomad/a1.web", "/sys/fs/cgroup/cpuset/nomad/share",
        ])
        XCTAssertNil(plan.unified)
        XCTAssertEqual(plan.writes.map(\.file), [
            "/sys/fs/cgroup/cpu,cpuacct/nomad/a1.web/cpu.shares",
            "/sys/fs/cgroup/memory/nomad/a1.web/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/nomad/a1.web/memory.soft_limit_in_bytes",
        ])
        XCTAssertEqual(plan.writes.map(\.value), ["500", String(512 << 20), String(256 << 20)])
    }

    func testCgroupV1ReservedCoresAndACustomParent() throws {
        var reserved = limits
        reserved.cpusetCPUs = "1"
        let cpuset = "/sys/fs/cgroup/cpuset/ops/nomad/reserve/a1.web"
        let plan = try XCTUnwrap(NomadCgroupPlan.plan(cpusetCgroup: cpuset, allocID: "a1", taskName: "web", limits: reserved, hierarchy: hybrid))
        XCTAssertEqual(plan.join.first, "/sys/fs/cgroup/freezer/ops/nomad/a1.web")
        XCTAssertEqual(plan.join.last, cpuset)
        XCTAssertEqual(plan.writes.last, .init(file: cpuset + "/cpuset.cpus", value: "1", what: "reserved cores"))
    }

    func testPathsOutsideAnyCgroupMountHaveNoPlan() {
        XCTAssertNil(NomadCgroupPlan.plan(cpusetCgroup: "/tmp/nomad/share", allocID: "a", taskName: "t", limits: limits, hierarchy: hybrid))
        XCTAssertNil(NomadCgroupPlan.plan(cpusetCgroup: "/sys/fs/cgroup/memory/nomad/share", allocID: "a", taskName: "t", limits: limits, hierarchy: hybrid))
        XCTAssertNil(NomadCgroupPlan.plan(cpusetCgroup: "/sys/fs/cgroup/cpuset/nomad", allocID: "a", taskName: "t", limits: limits, hierarchy: hybrid))
    }
}
