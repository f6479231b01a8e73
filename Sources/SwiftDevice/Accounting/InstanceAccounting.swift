import DiskMeasurement

/// One instance as Nomad is told of it.
public struct InstanceState: Sendable, Equatable {
    public var id: String
    public var healthy: Bool
    /// The reservation holding it, if any.
    public var reservationID: String?
    /// Empty when healthy.
    public var healthDescription: String

    public init(id: String, healthy: Bool, reservationID: String?, healthDescription: String = "") {
        self.id = id
        self.healthy = healthy
        self.reservationID = reservationID
        self.healthDescription = healthDescription
    }
}

/// The instance math of one group, from one sample: a pure function of the layout, what
/// statvfs says is available and what the live reservations have written.
///
/// Healthy instances are what is free for new work (available less headroom and the space
/// reservations hold but have not written) plus what reservations hold but have not written:
/// - unreserved instances are healthy up to the first part, lowest index first, so the
///   highest-numbered turn unhealthy first;
/// - a reservation's own instances are healthy for the part it has not written, and turn
///   unhealthy a unit at a time as it writes ("holds written data").
/// Nomad's scheduler counts an instance as free when it is healthy and no live allocation holds
/// it. While the allocation lives, its instances are held whatever their health, and what it
/// writes moves bytes from "promised" to "written": the free count does not move, so no unit is
/// lost twice. After it ends (Nomad never tells a device plugin), its written units are already
/// unhealthy, so the scheduler never offers space its leftover data still fills.
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
        var writtenUnits: [String: Int] = [:]
        for usage in reservations {
            let ids = usage.reservation.deviceIDs
            // Written units are its highest-numbered instances; ceil, so a started unit counts.
            let written = Int(min(UInt64(ids.count), (usage.writtenBytes + layout.unitBytes - 1) / layout.unitBytes))
            for (position, id) in ids.enumerated() {
                holder[id] = usage.reservation.id
                if position >= ids.count - written { writtenUnits[id] = written }
            }
        }
        var healthyLeft = unavailable == nil ? Int(min(offerableBytes / layout.unitBytes, UInt64(layout.instanceCount))) : 0
        let sentence = unavailable ?? Self.unhealthySentence(layout: layout)
        instances = (0..<layout.instanceCount).map { index in
            let id = layout.instanceID(index)
            if let reservation = holder[id] {
                if writtenUnits[id] != nil {
                    return InstanceState(id: id, healthy: false, reservationID: reservation,
                                         healthDescription: "holds data written by reservation \(reservation)")
                }
                return InstanceState(id: id, healthy: true, reservationID: reservation)
            }
            if healthyLeft > 0 {
                healthyLeft -= 1
                return InstanceState(id: id, healthy: true, reservationID: nil)
            }
            return InstanceState(id: id, healthy: false, reservationID: nil, healthDescription: sentence)
        }
    }

    public var healthyCount: Int { instances.count { $0.healthy } }
    public var reservedCount: Int { instances.count { $0.reservationID != nil } }
    /// Healthy instances no reservation holds: what the scheduler can still give out.
    public var freeCount: Int { instances.count { $0.healthy && $0.reservationID == nil } }

    /// One sentence shared by the group's unhealthy instances. Short, since every instance
    /// carries it in the node's record, and it depends on the layout only, so changing figures
    /// never cost a node update by themselves (the path is an attribute, the figures are in Stats).
    static func unhealthySentence(layout: DiskGroupLayout) -> String {
        "no free \(layout.unitMiB) MiB unit beyond headroom and reservations"
    }
}
