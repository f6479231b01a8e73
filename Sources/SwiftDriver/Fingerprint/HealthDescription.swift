/// The health sentences. The pressure sentence is also StartTask's refusal and, prefixed with
/// `evicted: `, an evicted task's error.
extension PressureStateMachine {
    /// Healthy at no pressure, Unhealthy under pressure or when a path cannot be measured.
    public var health: DriverHealth {
        if !hasSampled { return .undetected }
        return isUnderPressure || isUnknown ? .unhealthy : .healthy
    }

    /// E.g. `disk pressure (hard) on /opt/nomad/data: 812 MiB free (0.8%), needs 1024 MiB`, or
    /// at the predictive level `disk filling at 310 MiB/min on /opt/nomad/data: full in about
    /// 6 min`; nil when not under pressure.
    public var pressureSentence: String? {
        if level == .predicted {
            return Self.predictionSentence(prediction.worst, predictedNow: prediction.isPredictedNow, config: config)
        }
        guard isUnderPressure, let reading = worstReading else { return nil }
        return Self.pressureSentence(level: level, reading: reading, thresholds: thresholds)
    }

    /// The FingerprintResponse health description.
    ///
    /// The healthy sentence names only the watched paths, never a number: Nomad records every
    /// description change as a node event and a node update, so it must not move while healthy.
    public func healthDescription(paths: [String]) -> String {
        if let sentence = pressureSentence { return sentence }
        if !hasSampled { return "disk not measured yet" }
        if !failures.isEmpty { return failures.map(\.message).joined(separator: "; ") }
        if readings.isEmpty { return "no disk paths to measure" }
        return "healthy: no disk pressure on \(paths.joined(separator: ", "))"
    }

    static func pressureSentence(level: PressureLevel, reading: DiskReading, thresholds: PressureThresholds) -> String {
        let config = thresholds.config
        let prefix = "disk pressure (\(level.rawValue)) on \(reading.path): "
        let spaceBelowLevel = thresholds.spaceBelow(level, reading, margin: config.minReclaimPercent)
        if level == .hard, !spaceBelowLevel, thresholds.inodesBelowHard(reading, margin: config.minReclaimPercent),
           let free = reading.inodesFreePercent {
            let needed = thresholds.neededInodes(on: reading) ?? 0
            let recovering = !thresholds.inodesBelowHard(reading)
            let target = recovering ? thresholds.neededInodes(on: reading, marginPercent: config.minReclaimPercent) ?? needed : needed
            return prefix + "\(reading.inodesFree) inodes free (\(formatPercent(free))), needs \(target) inodes"
                + (recovering ? recoverySuffix(config) : "")
        }
        let needed = thresholds.neededBytes(for: level, on: reading)
        let recovering = reading.availableBytes >= needed
        let target = recovering
            ? thresholds.neededBytes(for: level, on: reading, marginPercent: config.minReclaimPercent) : needed
        return prefix + "\(reading.availableMiB) MiB free (\(formatPercent(reading.availablePercent))), "
            + "needs \(mebibytesRoundedUp(target)) MiB" + (recovering ? recoverySuffix(config) : "")
    }

    private static func recoverySuffix(_ config: DiskPressureConfig) -> String {
        " for \(formatSeconds(config.transitionPeriod)) to recover"
    }
}

/// One decimal, rounded, without locale: `0.8%`.
func formatPercent(_ value: Double) -> String {
    let tenths = Int64((max(0, value) * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)%"
}

/// Whole seconds when exact, else milliseconds: `300s`, `250ms`, `1500ms`.
func formatSeconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let millis = attoseconds / 1_000_000_000_000_000
    return millis == 0 ? "\(seconds)s" : "\(seconds * 1000 + millis)ms"
}

func mebibytesRoundedUp(_ bytes: UInt64) -> UInt64 {
    bytes / DiskUnits.mebibyte + (bytes % DiskUnits.mebibyte == 0 ? 0 : 1)
}
