import Foundation
@testable import SwiftDevice
import XCTest

/// A node's device list travels in every node update; at the configured caps it must stay
/// under 64 KiB even when every instance is unhealthy (the longest form).
final class NodeUpdateSizeTests: XCTestCase {
    /// Nomad's node JSON for one instance: ID, Healthy, HealthDescription, Locality.
    struct NodeDeviceInstance: Encodable {
        var ID: String
        var Healthy: Bool
        var HealthDescription: String
        var Locality: String?
    }

    func testTheWorstCaseListFitsIn64KiB() throws {
        let perGroup = DeviceConfig.maxInstancesPerNode / 2
        var instances: [NodeDeviceInstance] = []
        for name in ["group-with-a-long-name-0000001", "group-with-a-long-name-0000002"] {
            let path = "/var/lib/some/rather/long/path/to/a/watched/filesystem/" + name
            let layout = DiskGroupLayout(name: name, path: path, capacityBytes: 1 << 44, unitMB: 1024,
                                         maxInstances: perGroup, headroomMB: 1 << 20)
            let accounting = InstanceAccounting(layout: layout, availableBytes: 0, reservations: [])
            XCTAssertEqual(UInt64(accounting.instances.count), perGroup)
            instances += accounting.instances.map {
                NodeDeviceInstance(ID: $0.id, Healthy: $0.healthy, HealthDescription: $0.healthDescription, Locality: nil)
            }
        }
        let bytes = try JSONEncoder().encode(instances).count
        XCTAssertLessThan(bytes, 64 << 10, "\(instances.count) instances encode to \(bytes) bytes")
    }
}
