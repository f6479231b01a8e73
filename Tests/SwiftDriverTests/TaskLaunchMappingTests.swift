import PluginProto
import XCTest
@testable import SwiftDriver

/// What StartTask takes from Nomad's TaskConfig beyond the task's own config block: limits read
/// as Nomad's executor reads them, the cgroup Nomad 1.7+ made, the group's network namespace.
final class TaskLaunchMappingTests: XCTestCase {
    private let settings = TaskSettings(command: "/bin/true")

    private func request(_ resources: TaskResources?, network: NetworkIsolationSpec? = nil) -> TaskLaunchRequest {
        TaskLaunchMapping.request(
            from: TaskConfig(id: "a1/web/1", name: "web", resources: resources, allocDir: "/alloc/a1", allocID: "a1",
                             networkIsolationSpec: network),
            settings: settings)
    }

    func testMemoryIsTheHardLimitWithoutOversubscription() {
        let req = request(TaskResources(cpuShares: 500, memoryMB: 256, linux: LinuxResources(memoryLimitBytes: 256 << 20)))
        XCTAssertEqual(req.memoryLimitBytes, 256 << 20)
        XCTAssertNil(req.memoryReservationBytes)
        XCTAssertEqual(req.cpuShares, 500)
        XCTAssertNil(req.nomadCgroup, "Nomad before 1.7 sends no cgroup")
        XCTAssertNil(req.networkNamespace)
    }

    func testMemoryMaxIsTheHardLimitAndMemoryTheReservation() {
        let req = request(TaskResources(memoryMB: 256, memoryMaxMB: 1024, linux: LinuxResources(memoryLimitBytes: 256 << 20)))
        XCTAssertEqual(req.memoryLimitBytes, 1024 << 20)
        XCTAssertEqual(req.memoryReservationBytes, 256 << 20)
        let unlimited = request(TaskResources(memoryMB: 256, memoryMaxMB: -1))
        XCTAssertNil(unlimited.memoryLimitBytes, "memory_max = -1 is Nomad's no-limit")
        XCTAssertEqual(unlimited.memoryReservationBytes, 256 << 20)
    }

    func testTheCgroupAndCoresNomadChose() {
        let req = request(TaskResources(memoryMB: 128, linux: LinuxResources(
            cpusetCPUs: "2-3", cpusetCgroup: "/sys/fs/cgroup/nomad.slice/reserve.slice/a1.web.scope")))
        XCTAssertEqual(req.nomadCgroup, "/sys/fs/cgroup/nomad.slice/reserve.slice/a1.web.scope")
        XCTAssertEqual(req.cpusetCPUs, "2-3")
    }

    func testTheGroupNetworkNamespace() {
        XCTAssertEqual(request(nil, network: NetworkIsolationSpec(mode: .group, path: "/var/run/netns/a1")).networkNamespace, "/var/run/netns/a1")
        XCTAssertNil(request(nil, network: NetworkIsolationSpec(mode: .host)).networkNamespace)
    }
}
