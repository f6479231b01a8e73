/// Builds the report Nomad sees from the pressure state: health, sentence and attributes.
public enum FingerprintBuilder {
    /// One measurement, as Nomad would see it at plugin start (for `nomad-driver-swift
    /// fingerprint` without `--watch`). Soft pressure shows only once its grace has passed, so a
    /// single measurement never reports `soft`; use a `DiskMonitor` for a live view.
    public static func measureOnce(config: DiskPressureConfig, probe: any DiskProbe = StatvfsProbe()) -> FingerprintReport {
        let paths = StatvfsProbe.resolvePaths(config.paths)
        var state = PressureStateMachine(config: config)
        state.observe(probe.measure(paths: paths), at: .zero)
        return report(from: state, paths: paths)
    }

    /// `paths` are the watched paths as configured (or defaulted), for `driver.swift.disk.paths`.
    public static func report(from state: PressureStateMachine, paths: [String]) -> FingerprintReport {
        FingerprintReport(
            health: state.health,
            healthDescription: state.healthDescription(paths: paths),
            attributes: attributes(from: state, paths: paths)
        )
    }

    /// Stable attributes change only with the level or the config; the `unique.` ones are
    /// quantised (and kept out of Nomad's node class by their prefix). With several filesystems
    /// the numbers are the worst one's.
    public static func attributes(from state: PressureStateMachine, paths: [String]) -> [String: AttributeValue] {
        var attributes: [String: AttributeValue] = [
            DiskAttributeName.version: .string(DriverIdentity.version),
            DiskAttributeName.paths: .string(paths.joined(separator: ",")),
            DiskAttributeName.pressure: .string(state.level.rawValue),
        ]
        if let filling = state.prediction.soonestFull, let seconds = filling.secondsToFull {
            // Two significant digits, rounded down: the figures still move with the trend, but
            // not with every sample's noise (and they are rate-limited as `unique.` ones).
            attributes[DiskAttributeName.fillRateMBPerMin] = .int(twoSignificantDigits(filling.mebibytesPerMinute))
            attributes[DiskAttributeName.secondsToFull] = .int(twoSignificantDigits(seconds))
        }
        guard let worst = state.currentWorstReading else { return attributes }
        let step = max(state.config.attributeStepMB, 1)
        attributes[DiskAttributeName.availableMB] = .int(clampedInt(worst.availableMiB / step * step))
        attributes[DiskAttributeName.capacityMB] = .int(clampedInt(worst.capacityMiB))
        attributes[DiskAttributeName.availablePercent] = .int(Int64(worst.availablePercent.rounded(.down)))
        if let inodes = worst.inodesFreePercent {
            attributes[DiskAttributeName.inodesFreePercent] = .int(Int64(inodes.rounded(.down)))
        }
        return attributes
    }

    /// `312.7` → 310, `6.9` → 6, `48213` → 48000.
    static func twoSignificantDigits(_ value: Double) -> Int64 {
        guard value.isFinite, value >= 1 else { return 0 }
        guard value < 9e18 else { return Int64.max }
        var step: Int64 = 1
        while Double(step) * 100 <= value { step *= 10 }
        return Int64(value) / step * step
    }

    private static func clampedInt(_ value: UInt64) -> Int64 {
        value > UInt64(Int64.max) ? Int64.max : Int64(value)
    }
}
