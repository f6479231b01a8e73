import DiskMeasurement

/// One instance as Nomad is told of it.
public struct InstanceState: Sendable, Equatable {
    public var id: String
    public var healthy: Bool
    /// Empty when healthy.
    public var healthDescription: String
    /// The reservation holding it, if any.
    public var reservationID: String?
}

/// The instance math of one group, from one sample: a pure function of the layout, what
/// statvfs says is available and what the live reservations have written.
///
/// Reserved instances are always healthy: Nomad has already given them out, and the space they
/// stand for is either written (and so gone from `available`) or promised (and so held back
/// below). Unreserved instances are healthy up to what is free beyond the headroom and the
/// promised bytes, lowest index first; the highest-numbered turn unhealthy first. So a task
/// writing into the space it reserved moves bytes from "promised" to "written" and the
/// scheduler's count of free instances does not move: no unit is lost twice.
public struct InstanceAccounting: Sendable, Equatable {
    public var layout: DiskGroupLayout
    public var instances: [InstanceState]
    /// statvfs `f_bavail * f_frsize` of the path.
    public var availableBytes: UInt64
    /// Reserved but not yet written, over every reservation of the group.
    public var promisedBytes: UInt64
    /// Written under every reservation of the group.
    public var writtenBytes: UInt64
    /// Reserved in all, over every reservation of the group.
    public var reservedBytes: UInt64
    /// What can still be offered: available less headroom and promised bytes.
    public var offerableBytes: UInt64
    /// The group's live reservations with what each has written.
    public var reservations: [ReservationUsage]

    /// `unavailable` names why the path could not be measured: then no unreserved instance is
    /// offered, and that is the health sentence.
    public init(layout: DiskGroupLayout, availableBytes: UInt64, reservations: [ReservationUsage], unavailable: String? = nil) {
        self.layout = layout
        self.reservations = reservations
        self.availableBytes = availableBytes
        promisedBytes = reservations.reduce(0) { $0 &+ $1.unwrittenBytes }
        writtenBytes = reservations.reduce(0) { $0 &+ $1.writtenBytes }
        reservedBytes = reservations.reduce(0) { $0 &+ $1.reservation.reservedBytes }
        let held = layout.headroomBytes &+ promisedBytes
        offerableBytes = availableBytes > held ? availableBytes - held : 0

        var holder: [String: String] = [:]
        for usage in reservations {
            for id in usage.reservation.deviceIDs { holder[id] = usage.reservation.id }
        }
        var healthyLeft = unavailable == nil ? Int(min(offerableBytes / layout.unitBytes, UInt64(layout.instanceCount))) : 0
        let sentence = unavailable ?? Self.unhealthySentence(layout: layout)
        instances = (0..<layout.instanceCount).map { index in
            let id = layout.instanceID(index)
            if let reservation = holder[id] {
                return InstanceState(id: id, healthy: true, healthDescription: "", reservationID: reservation)
            }
            if healthyLeft > 0 {
                healthyLeft -= 1
                return InstanceState(id: id, healthy: true, healthDescription: "", reservationID: nil)
            }
            return InstanceState(id: id, healthy: false, healthDescription: sentence, reservationID: nil)
        }
    }

    public var healthyCount: Int { instances.count { $0.healthy } }
    public var reservedCount: Int { instances.count { $0.reservationID != nil } }
    /// Healthy instances no reservation holds: what the scheduler can still give out.
    public var freeCount: Int { instances.count { $0.healthy && $0.reservationID == nil } }

    /// One sentence shared by the group's unhealthy instances. It depends on the layout only,
    /// so changing figures never cost a node update by themselves (Stats carries the figures).
    static func unhealthySentence(layout: DiskGroupLayout) -> String {
        "not offered: \(layout.path) has no free \(layout.unitMiB) MiB unit beyond its \(layout.headroomBytes / DiskUnits.mebibyte) MiB headroom and space reserved but not yet written"
    }
}
