/// Why Reserve refuses a request; each is one sentence for the gRPC status.
public enum ReserveError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case unknownDevice(String)
    case mixedGroups([String])
    case duplicate(String)
    /// The instances are no longer backed by free space (the disk filled after Nomad last
    /// heard of them): reserving them would promise space that is not there.
    case insufficientSpace(neededMiB: UInt64, freeMiB: UInt64, path: String)

    public var description: String {
        switch self {
        case .empty: return "reserve needs at least one device ID"
        case .unknownDevice(let id): return "device \"\(id)\" is not an instance this plugin offers"
        case .mixedGroups(let groups): return "one reservation must take instances of one group, got \(groups.joined(separator: ", "))"
        case .duplicate(let id): return "device \"\(id)\" appears twice in the request"
        case .insufficientSpace(let needed, let free, let path):
            return "not enough free disk on \(path) for this reservation: it needs \(needed) MiB and \(free) MiB is free beyond headroom and other reservations"
        }
    }
}

/// The live reservations of every group: a pure value, persisted by `ReservationFiles`.
///
/// Nomad never tells a device plugin that an allocation ended (and the driver cannot tell either:
/// Nomad destroys a task's handle before every restart too). A reservation ends when Nomad
/// reserves one of its instances again (the scheduler gives an instance to one allocation at a
/// time, so the earlier holder is gone), when the allocation directory that owns it is gone
/// (Nomad garbage-collected the allocation; the driver records the owner), or when its directory
/// is removed. Until then an ended reservation is harmless: see `InstanceAccounting`.
public struct ReservationLedger: Sendable, Equatable, Codable {
    public private(set) var reservations: [Reservation] = []

    public init(reservations: [Reservation] = []) {
        self.reservations = reservations
    }

    /// The outcome of a Reserve: the reservation (an existing one when Nomad repeats the same
    /// set, as after a client restart) and the reservations it replaced.
    public struct Outcome: Sendable, Equatable {
        public var reservation: Reservation
        public var replaced: [Reservation]
        public var isNew: Bool
    }

    /// Records a reservation of `ids` in the group of `layouts` they belong to.
    public mutating func reserve(_ ids: [String], layouts: [DiskGroupLayout], stateDirectory: (DiskGroupLayout) -> String) throws(ReserveError) -> Outcome {
        guard !ids.isEmpty else { throw .empty }
        var seen = Set<String>()
        var group: DiskGroupLayout?
        var indexed: [(Int, String)] = []
        for id in ids {
            guard seen.insert(id).inserted else { throw .duplicate(id) }
            guard let owner = layouts.first(where: { $0.index(of: id) != nil }), let index = owner.index(of: id) else {
                throw .unknownDevice(id)
            }
            if let group, group.name != owner.name { throw .mixedGroups([group.name, owner.name].sorted()) }
            group = owner
            indexed.append((index, id))
        }
        guard let group else { throw .empty }
        indexed.sort { $0.0 < $1.0 }
        let sortedIDs = indexed.map(\.1)
        if let same = reservations.first(where: { $0.group == group.name && $0.deviceIDs == sortedIDs }) {
            return Outcome(reservation: same, replaced: [], isNew: false)
        }
        let id = "\(group.instanceID(indexed[0].0))-\(sortedIDs.count)"
        let reservation = Reservation(
            id: id, group: group.name, deviceIDs: sortedIDs,
            reservedBytes: UInt64(sortedIDs.count) * group.unitBytes,
            directory: stateDirectory(group) + "/" + id)
        let replaced = reservations.filter { old in
            old.group == group.name && (old.id == id || !Set(old.deviceIDs).isDisjoint(with: seen))
        }
        reservations.removeAll { old in replaced.contains(old) }
        reservations.append(reservation)
        return Outcome(reservation: reservation, replaced: replaced, isNew: true)
    }

    /// Records the allocation directory that owns a reservation.
    public mutating func setOwner(of id: String, allocDirectory: String) {
        guard let index = reservations.firstIndex(where: { $0.id == id }) else { return }
        reservations[index].allocDirectory = allocDirectory
    }

    /// Forgets reservations (their directories are gone); returns those removed.
    @discardableResult
    public mutating func release(where shouldRelease: (Reservation) -> Bool) -> [Reservation] {
        let released = reservations.filter(shouldRelease)
        reservations.removeAll(where: shouldRelease)
        return released
    }

    public func reservations(in group: String) -> [Reservation] {
        reservations.filter { $0.group == group }
    }
}
