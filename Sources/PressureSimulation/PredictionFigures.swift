import SwiftDriver

/// The predictive level's figures from simulated disks: the real `DiskMonitor` (state machine,
/// estimator, eviction pacing) on a simulated clock, so a day of samples takes seconds and the
/// figures are the same on every run. Unit tests assert on them; `bench/run` prints them.
public enum PredictionFigures {
    /// What one simulated node did; times are seconds from the start of the simulation.
    public struct Run: Sendable {
        public var curve: String
        /// When the driver first turned Unhealthy (any level).
        public var unhealthyAt: Double?
        /// When the driver first reached the predictive level.
        public var predictedAt: Double?
        public var firstEvictionAt: Double?
        public var firstEvictionReason: String?
        public var evictions = 0
        /// When free space first fell below the hard threshold.
        public var hardAt: Double?
        public var freeAtFirstEvictionMiB: Double?
        /// Entries into the predictive level after `countFrom`.
        public var predictiveAlarms = 0
        /// Seconds spent at the predictive level after `countFrom`.
        public var predictedSeconds = 0.0
    }

    /// Runs a `DiskMonitor` with `config` on `curve` for `duration` seconds, sampling every
    /// `disk.interval`, with three evictable tasks. Alarms count from `countFrom` on.
    public static func simulate(_ curve: DiskCurve, config: PluginConfig, duration: Double, countFrom: Double = 0) async -> Run {
        var config = config
        config.disk.paths = ["/sim"]
        let clock = SimulatedClock()
        let probe = CurveProbe(path: "/sim", curve: curve)
        let target = RecordingTarget(count: 3)
        probe.advance(to: 0)
        let monitor = DiskMonitor(config: PluginConfigStore(config), probe: probe, clock: clock, evictionTarget: target,
                                  taskUsageInterval: .seconds(3600), logger: quietLogger)
        let thresholds = PressureThresholds(config.disk)
        let interval = max(FillRateEstimator.seconds(config.disk.interval), 0.01)
        var run = Run(curve: curve.name)
        var previous = PressureLevel.none
        var t = 0.0
        while t <= duration {
            clock.set(.milliseconds(Int64((t * 1000).rounded())))
            probe.advance(to: t)
            await monitor.sample()
            await monitor.waitForEvictionIdle()
            let level = await monitor.currentLevel
            if level > .none, run.unhealthyAt == nil { run.unhealthyAt = t }
            if level == .predicted {
                if run.predictedAt == nil { run.predictedAt = t }
                if t >= countFrom {
                    run.predictedSeconds += interval
                    if previous != .predicted { run.predictiveAlarms += 1 }
                }
            }
            if run.hardAt == nil, thresholds.enterLevel(of: probe.reading) == .hard { run.hardAt = t }
            let evictions = await target.evictions
            if run.firstEvictionAt == nil, let first = evictions.first {
                run.firstEvictionAt = t
                run.firstEvictionReason = first.reason
                run.freeAtFirstEvictionMiB = curve.freeMiB(t)
            }
            run.evictions = evictions.count
            previous = level
            t += interval
        }
        await monitor.stop()
        return run
    }

    // MARK: The two published figures

    /// The disk of the lead-time table: 20 GiB, defaults everywhere (hard below 2048 MiB, soft
    /// below 3072 MiB after 60 s, horizon 10 min, window 60 s); 12 GiB free; the fill starts
    /// after 10 minutes of history.
    public static let leadCapacityMiB = 20_480.0
    public static let leadStartFreeMiB = 12_288.0
    public static let leadFillStart = 600.0
    public static let leadRates: [Double] = [100, 300, 600, 1200, 2400]

    /// One row per fill rate: when the driver turned Unhealthy and evicted, and how long before
    /// free space reached the hard threshold.
    public static func leadTimes(config: PluginConfig = PluginConfig(), rates: [Double] = leadRates) async -> [Run] {
        var runs: [Run] = []
        for rate in rates {
            let curve = DiskCurve.steady(capacityMiB: leadCapacityMiB, startFree: leadStartFreeMiB, rate: rate, start: leadFillStart)
            let untilFull = leadFillStart + leadStartFreeMiB / rate * 60 + 60
            runs.append(await simulate(curve, config: config, duration: untilFull))
        }
        return runs
    }

    /// Sawtooth disks that never fill, each watched for a day after an hour of the same pattern
    /// (the driver has been up; a cold start is counted separately).
    public static let sawtooths: [DiskCurve] = [
        // Hourly log rotation: logs grow 20 MiB/min, rotation frees 1.2 GB.
        DiskCurve.sawtooth(name: "hourly log rotation (1.2 GB)", capacityMiB: 20_480, high: 8_192, amplitude: 1_200,
                           period: 3_600, jitter: 0.2).noisy(2),
        // A build cache that grows 500 MiB/min and is garbage-collected every 3 minutes: taken
        // alone, the last two minutes of each tooth say "full in 8 to 10 minutes". Above the
        // soft threshold (3072 MiB) throughout, so only the prediction could react.
        DiskCurve.sawtooth(name: "cache GC every 3 min (1.5 GB at 500 MiB/min)", capacityMiB: 20_480, high: 5_500,
                           amplitude: 1_500, period: 180, jitter: 0.3).noisy(5),
        // tmp cleanup every 15 minutes of 5 GB written at about 330 MiB/min.
        DiskCurve.sawtooth(name: "tmp cleanup every 15 min (5 GB)", capacityMiB: 20_480, high: 10_000, amplitude: 5_000,
                           period: 900, jitter: 0.25).noisy(5),
    ]

    /// Predictive alarms over 24 h of each sawtooth (after 1 h of warm-up), and over the first
    /// hour of a cold start.
    public static func falseAlarms(config: PluginConfig = PluginConfig(), hours: Double = 24) async -> [(curve: String, day: Run, coldStart: Run)] {
        var results: [(String, Run, Run)] = []
        for curve in sawtooths {
            let day = await simulate(curve, config: config, duration: 3_600 * (hours + 1), countFrom: 3_600)
            let cold = await simulate(curve, config: config, duration: 3_600)
            results.append((curve.name, day, cold))
        }
        return results
    }
}
