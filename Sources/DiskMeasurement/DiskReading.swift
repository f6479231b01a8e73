/// One filesystem's free space and inodes, as `statvfs` reports them for a watched path.
public struct DiskReading: Sendable, Equatable {
    /// The watched path this reading was taken on (the first configured path on its filesystem).
    public var path: String
    /// `st_dev` of the path: paths sharing it are one filesystem and are measured once.
    public var deviceID: UInt64
    /// `f_bavail * f_frsize`: what an unprivileged writer can still use.
    public var availableBytes: UInt64
    /// `f_blocks * f_frsize`.
    public var capacityBytes: UInt64
    /// `f_favail`.
    public var inodesFree: UInt64
    /// `f_files`; 0 on filesystems without a fixed inode table (then inodes are not judged).
    public var inodesTotal: UInt64
    /// `(f_bfree − f_bavail) × f_frsize`: space only root may use (5 % on a default ext4), which
    /// `availableBytes` never includes.
    public var rootReservedBytes: UInt64

    public init(path: String, deviceID: UInt64, availableBytes: UInt64, capacityBytes: UInt64, inodesFree: UInt64, inodesTotal: UInt64,
                rootReservedBytes: UInt64 = 0) {
        self.rootReservedBytes = rootReservedBytes
        self.path = path
        self.deviceID = deviceID
        self.availableBytes = availableBytes
        self.capacityBytes = capacityBytes
        self.inodesFree = inodesFree
        self.inodesTotal = inodesTotal
    }

    /// Free space as a percentage of capacity; 0 for a filesystem that reports no capacity.
    public var availablePercent: Double {
        capacityBytes == 0 ? 0 : Double(availableBytes) * 100 / Double(capacityBytes)
    }

    /// Free inodes as a percentage, or nil when the filesystem has no inode count.
    public var inodesFreePercent: Double? {
        inodesTotal == 0 ? nil : Double(inodesFree) * 100 / Double(inodesTotal)
    }

    /// Capacity an unprivileged writer can ever have: less the root-only reserve.
    public var usableCapacityBytes: UInt64 {
        capacityBytes > rootReservedBytes ? capacityBytes - rootReservedBytes : 0
    }

    /// Whole MiB available, floored.
    public var availableMiB: UInt64 { availableBytes / DiskUnits.mebibyte }
    /// Whole MiB of capacity, floored.
    public var capacityMiB: UInt64 { capacityBytes / DiskUnits.mebibyte }
}

/// The outcome of measuring one watched path: a reading, or why it could not be read.
public enum DiskMeasurement: Sendable, Equatable {
    case reading(DiskReading)
    /// The path and one sentence naming the failure; an unknown reading never causes eviction.
    case failure(path: String, message: String)

    public var path: String {
        switch self {
        case .reading(let reading): return reading.path
        case .failure(let path, _): return path
        }
    }
}

/// Measures watched paths. Unit tests inject readings through their own conformance.
public protocol DiskProbe: Sendable {
    /// One measurement per distinct filesystem among `paths` (failures are reported per path).
    func measure(paths: [String]) -> [DiskMeasurement]
}

/// Byte-unit constants, so conversions read the same everywhere.
public enum DiskUnits {
    public static let mebibyte: UInt64 = 1 << 20
}
