/// Judges a single reading against the `disk {}` thresholds. Pure; the state machine adds time.
public struct PressureThresholds: Sendable, Equatable {
    public var config: DiskPressureConfig

    public init(_ config: DiskPressureConfig) { self.config = config }

    /// The threshold level this reading calls for right now (soft before its grace); never `predicted`.
    public func enterLevel(of reading: DiskReading) -> PressureLevel {
        level(of: reading, margin: 0)
    }

    /// The level this reading still counts as when every threshold is raised by
    /// `min_reclaim_percent`: a level is left only once this drops below it.
    public func leaveLevel(of reading: DiskReading) -> PressureLevel {
        level(of: reading, margin: config.minReclaimPercent)
    }

    /// Free bytes needed to be clear of `level`'s space thresholds (the larger of the percent
    /// and the MiB threshold), plus `marginPercent` of capacity.
    public func neededBytes(for level: PressureLevel, on reading: DiskReading, marginPercent: Double = 0) -> UInt64 {
        let (percent, mb) = spaceThresholds(level)
        let capacity = Double(reading.capacityBytes)
        var needed: Double = 0
        if percent > 0 { needed = max(needed, capacity * (percent + marginPercent) / 100) }
        if mb > 0 { needed = max(needed, Double(mb) * Double(DiskUnits.mebibyte) + capacity * marginPercent / 100) }
        return UInt64(needed.rounded(.up))
    }

    /// Free inodes needed to be clear of the hard inode threshold, or nil when it does not apply.
    public func neededInodes(on reading: DiskReading, marginPercent: Double = 0) -> UInt64? {
        guard reading.inodesTotal > 0, config.hardInodesFreePercent > 0 else { return nil }
        return UInt64((Double(reading.inodesTotal) * (config.hardInodesFreePercent + marginPercent) / 100).rounded(.up))
    }

    /// True when the reading's space (not inodes) is below `level`'s thresholds.
    public func spaceBelow(_ level: PressureLevel, _ reading: DiskReading, margin: Double = 0) -> Bool {
        let (percent, mb) = spaceThresholds(level)
        if percent > 0 && reading.availablePercent < percent + margin { return true }
        if mb > 0 {
            let marginBytes = Double(reading.capacityBytes) * margin / 100
            if Double(reading.availableBytes) < Double(mb) * Double(DiskUnits.mebibyte) + marginBytes { return true }
        }
        return false
    }

    /// True when free inodes are below the hard inode threshold.
    public func inodesBelowHard(_ reading: DiskReading, margin: Double = 0) -> Bool {
        guard config.hardInodesFreePercent > 0, let free = reading.inodesFreePercent else { return false }
        return free < config.hardInodesFreePercent + margin
    }

    private func level(of reading: DiskReading, margin: Double) -> PressureLevel {
        if spaceBelow(.hard, reading, margin: margin) || inodesBelowHard(reading, margin: margin) { return .hard }
        if spaceBelow(.soft, reading, margin: margin) { return .soft }
        return .none
    }

    /// (percent, MiB) for a level; 0 turns a check off.
    private func spaceThresholds(_ level: PressureLevel) -> (Double, UInt64) {
        switch level {
        case .none, .predicted: return (0, 0)
        case .soft: return (config.softFreePercent, config.softFreeMB)
        case .hard: return (config.hardFreePercent, config.hardFreeMB)
        }
    }
}
