import DiskMeasurement

/// Instances Nomad gave one task (one Reserve call), and the scratch directory they pay for.
public struct Reservation: Sendable, Codable, Equatable {
    /// `<group>-<lowest index>-<count>`: also the directory's name.
    public var id: String
    public var group: String
    /// Sorted by index.
    public var deviceIDs: [String]
    /// The instances' size when reserved: what the task may write.
    public var reservedBytes: UInt64
    /// The scratch directory (`<path>/.nomad-device-swift/<id>`).
    public var directory: String
    /// The allocation directory of the task using it, once the swift driver has said (nil in
    /// ledgers written before, and until the task starts).
    public var allocDirectory: String?

    public init(id: String, group: String, deviceIDs: [String], reservedBytes: UInt64, directory: String) {
        self.id = id
        self.group = group
        self.deviceIDs = deviceIDs
        self.reservedBytes = reservedBytes
        self.directory = directory
    }
}

extension Reservation {
    /// What the task is told: its directory and budget.
    public var grant: DiskReservationGrant {
        DiskReservationGrant(directory: directory, budgetMB: reservedBytes >> 20, id: id)
    }
}

/// A reservation with what its directory holds now.
public struct ReservationUsage: Sendable, Equatable {
    public var reservation: Reservation
    /// Bytes allocated under the reservation's directory, as `du` counts them.
    public var writtenBytes: UInt64

    public init(reservation: Reservation, writtenBytes: UInt64) {
        self.reservation = reservation
        self.writtenBytes = writtenBytes
    }

    /// Reserved space not written yet: promised to the task, so not offered to anyone else.
    public var unwrittenBytes: UInt64 {
        reservation.reservedBytes > writtenBytes ? reservation.reservedBytes - writtenBytes : 0
    }
}
