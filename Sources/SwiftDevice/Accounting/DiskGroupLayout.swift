import DiskMeasurement

/// How one watched filesystem is cut into instances. It depends on the filesystem's capacity,
/// never on what is free, so instance IDs and the unit stay the same across samples and restarts.
public struct DiskGroupLayout: Sendable, Equatable {
    public var name: String
    public var path: String
    /// Bytes one instance stands for.
    public var unitBytes: UInt64
    /// Instances the group has, healthy or not: what fits in capacity less headroom.
    public var instanceCount: Int
    public var headroomBytes: UInt64

    public init(name: String, path: String, capacityBytes: UInt64, unitMB: UInt64, maxInstances: UInt64, headroomMB: UInt64) {
        let unit = max(unitMB, 1) * DiskUnits.mebibyte
        let headroom = headroomMB * DiskUnits.mebibyte
        let offerable = capacityBytes > headroom ? capacityBytes - headroom : 0
        let cap = max(maxInstances, 1)
        // Whole multiples of the configured unit, as few as keep the count within the cap.
        let multiple = max(1, (offerable / unit + cap - 1) / cap)
        self.name = name
        self.path = path
        self.unitBytes = unit * multiple
        self.instanceCount = Int(offerable / (unit * multiple))
        self.headroomBytes = headroom
    }

    public var unitMiB: UInt64 { unitBytes / DiskUnits.mebibyte }

    /// Instance IDs are `<name>-<index>`, the index zero-padded to four digits so they sort.
    public func instanceID(_ index: Int) -> String {
        let digits = String(index)
        return name + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The index of one of this group's IDs, or nil when the ID is not this group's.
    public func index(of id: String) -> Int? {
        let prefix = name + "-"
        guard id.hasPrefix(prefix), let index = Int(id.dropFirst(prefix.count)), index >= 0, index < instanceCount,
              instanceID(index) == id else { return nil }
        return index
    }

    public var instanceIDs: [String] { (0..<instanceCount).map(instanceID) }
}
