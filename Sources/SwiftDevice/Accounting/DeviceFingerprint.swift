import GoPluginServer
import PluginProto

/// One group as Nomad is told of it: its instances and the attributes jobs constrain on.
public struct GroupFingerprint: Sendable, Equatable {
    public var name: String
    public var instances: [InstanceState]
    public var attributes: [String: Attribute]

    public init(name: String, instances: [InstanceState], attributes: [String: Attribute]) {
        self.name = name
        self.instances = instances
        self.attributes = attributes
    }

    /// The attributes of a group: `${device.attr.path}`, `filesystem`, `capacity`, `unit_size`,
    /// `headroom`, `healthy_instances`. Units are Nomad's, so `capacity >= 100 GiB` compares as
    /// a job means it.
    ///
    /// `healthy_instances` is there for Nomad's scheduler: it caches "not enough healthy
    /// devices" per node class, and a node's class hashes device attributes but not device
    /// health. Without an attribute that moves with the count, a job blocked while a disk was
    /// full would stay blocked after the disk is freed (seen on Nomad 1.1; current Nomad
    /// caches the same way).
    public static func attributes(layout: DiskGroupLayout, capacityMiB: UInt64, filesystem: String?, healthy: Int) -> [String: Attribute] {
        var attributes: [String: Attribute] = [
            "path": .string(layout.path),
            "capacity": .int(Int64(capacityMiB), unit: "MiB"),
            "unit_size": .int(Int64(layout.unitMiB), unit: "MiB"),
            "headroom": .int(Int64(layout.headroomBytes >> 20), unit: "MiB"),
            "healthy_instances": .int(Int64(healthy)),
        ]
        if let filesystem { attributes["filesystem"] = .string(filesystem) }
        return attributes
    }
}

/// Decides which device lists reach Nomad. Each one is a node update (a Raft write), so only
/// the safe direction goes out at once: an instance turning unhealthy or vanishing, or a new
/// group. Instances coming back to health and attribute changes wait for `minInterval` since
/// the last update, so a disk whose free space wobbles costs at most one update per interval.
public typealias DeviceFingerprintGate = UpdatePacer<[GroupFingerprint]>

extension UpdatePacer where Value == [GroupFingerprint] {
    public init(minInterval: Duration) {
        self.init(minInterval: minInterval, isUrgent: Self.losesInstances)
    }

    /// Anything that would let the scheduler place more than fits: an unreserved instance
    /// healthy before and unhealthy or gone now, or a group that was not there. A reservation's
    /// own instances turning unhealthy as it writes can wait: its live allocation holds them
    /// whatever their health.
    static func losesInstances(_ old: [GroupFingerprint], _ new: [GroupFingerprint]) -> Bool {
        let oldGroups = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for group in new {
            guard let before = oldGroups[group.name] else { return true }
            let now = Dictionary(group.instances.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let lost = before.instances.contains { instance in
                guard instance.healthy else { return false }
                guard let current = now[instance.id] else { return true }
                return !current.healthy && current.reservationID == nil
            }
            if lost { return true }
        }
        let newNames = Set(new.map(\.name))
        return old.contains { group in !newNames.contains(group.name) && group.instances.contains(where: \.healthy) }
    }
}
