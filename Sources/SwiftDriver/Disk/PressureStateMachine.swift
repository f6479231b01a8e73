/// A watched path that could not be measured in the latest sample.
public struct DiskFailure: Sendable, Equatable {
    public var path: String
    /// One sentence, e.g. `cannot measure disk at /data: statvfs failed: No such file or directory`.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

/// A change of the effective pressure level.
public struct PressureTransition: Sendable, Equatable {
    public var from: PressureLevel
    public var to: PressureLevel

    public init(from: PressureLevel, to: PressureLevel) {
        self.from = from
        self.to = to
    }
}

/// The pressure levels over time: soft needs `soft_grace`, hard is immediate, and a level is
/// left only once every filesystem is clear of it by `min_reclaim_percent` for
/// `transition_period`. Beside the thresholds, a `PredictionTracker` raises `predicted` when
/// the fill rate says the disk will be full within `predict_horizon`; the effective level is
/// the higher of the two. Pure: the caller supplies samples and a monotonic time, so tests can
/// use a fake clock.
public struct PressureStateMachine: Sendable {
    public var config: DiskPressureConfig
    /// The effective level: the threshold level (`soft` only after its grace), else `predicted`
    /// while the prediction is in force. Every level above `none` means pressure.
    public var level: PressureLevel {
        thresholdLevel >= .soft ? thresholdLevel : (prediction.isActive ? .predicted : .none)
    }
    /// The level the thresholds alone call for (`none`, `soft` or `hard`).
    public private(set) var thresholdLevel: PressureLevel = .none
    /// Fill rates, time to full and the predictive level.
    public private(set) var prediction = PredictionTracker()
    /// The readings of the latest sample (failed paths left out).
    public private(set) var readings: [DiskReading] = []
    /// The paths that could not be measured in the latest sample.
    public private(set) var failures: [DiskFailure] = []
    /// The worst reading of the most recent sample that had any; kept across unknown samples so a
    /// held level still has numbers to report.
    public private(set) var worstReading: DiskReading?
    /// False until the first sample.
    public private(set) var hasSampled = false

    /// Since the raw signal reached soft (the grace clock).
    private var softClock = HoldClock()
    /// Since every filesystem cleared the current level with margin (the transition clock).
    private var recoveryClock = HoldClock()

    public init(config: DiskPressureConfig) {
        self.config = config
    }

    public var thresholds: PressureThresholds { PressureThresholds(config) }

    /// True when the latest sample could not measure every watched path (or measured none).
    public var isUnknown: Bool { hasSampled && (!failures.isEmpty || readings.isEmpty) }

    /// True when the level calls for refusing work and evicting: predicted, soft after grace, or hard.
    public var isUnderPressure: Bool { level > .none }

    /// True at soft (after grace) or hard: the thresholds themselves are crossed.
    public var isOverThreshold: Bool { thresholdLevel >= .soft }

    /// Feeds one sample taken at monotonic time `now`; returns the level change it caused, if any.
    ///
    /// Unknown paths never raise the level and freeze recovery: a filesystem the driver cannot
    /// see must not count as recovered, and must not get tasks evicted either.
    @discardableResult
    public mutating func observe(_ measurements: [DiskMeasurement], at now: Duration) -> PressureTransition? {
        hasSampled = true
        var known: [DiskReading] = []
        var failed: [DiskFailure] = []
        for measurement in measurements {
            switch measurement {
            case .reading(let reading): known.append(reading)
            case .failure(let path, let message): failed.append(DiskFailure(path: path, message: message))
            }
        }
        readings = known
        failures = failed
        let thresholds = self.thresholds
        if let worst = Self.worst(of: known, thresholds: thresholds) { worstReading = worst }

        let raw = known.map(thresholds.enterLevel(of:)).max() ?? .none
        let leave = known.map(thresholds.leaveLevel(of:)).max() ?? .none
        let complete = failed.isEmpty && !known.isEmpty
        let previous = level
        prediction.observe(known, complete: complete, config: config, at: now)
        let previousThreshold = thresholdLevel
        var level = thresholdLevel

        softClock.observe(raw >= .soft, at: now, stopsWhenNot: complete)

        if raw == .hard {
            level = .hard
        } else if raw == .soft, level < .soft, softClock.hasHeld(config.softGrace, at: now) {
            level = .soft
        }

        recoveryClock.observe(level == previousThreshold && level > leave && complete, at: now)
        if recoveryClock.hasHeld(config.transitionPeriod, at: now) {
            // Straight to the level the readings still call for; soft needs no new grace,
            // the node has been under pressure throughout.
            level = leave
            recoveryClock.stop()
        }
        thresholdLevel = level

        return self.level == previous ? nil : PressureTransition(from: previous, to: self.level)
    }

    /// The filesystem that decides health and attributes: highest level, then nearest to its
    /// threshold with margin, then least free space by percent.
    static func worst(of readings: [DiskReading], thresholds: PressureThresholds) -> DiskReading? {
        readings.max { a, b in
            let ka = (thresholds.enterLevel(of: a), thresholds.leaveLevel(of: a))
            let kb = (thresholds.enterLevel(of: b), thresholds.leaveLevel(of: b))
            if ka.0 != kb.0 { return ka.0 < kb.0 }
            if ka.1 != kb.1 { return ka.1 < kb.1 }
            return a.availablePercent > b.availablePercent
        }
    }

    /// The worst reading of the latest sample only (nil when it measured nothing).
    public var currentWorstReading: DiskReading? { Self.worst(of: readings, thresholds: thresholds) }
}
