import GoPluginServer
import Logging

/// Samples the watched filesystems every `disk.interval`, keeps the pressure state, publishes
/// fingerprint reports, answers admission, and drives eviction through an `EvictionTarget`.
public actor DiskMonitor {
    /// The runtime's config; read at every use, so a SetConfig applies everywhere at once.
    let config: PluginConfigStore
    private var paths: [String]
    private let probe: any DiskProbe
    let clock: any MonitorClock
    let logger: Logger
    var state: PressureStateMachine
    private var emitter: FingerprintEmitter
    private var latest: FingerprintReport
    private let subscribers = EventBroadcaster<FingerprintReport>(bufferingNewest: 16)
    private var loop: Task<Void, Never>?
    private var warnedAboutAllocDir = false
    var eviction: EvictionState

    /// Takes the first measurement at once, so the first report exists before `start()`.
    /// `taskUsageInterval` is how often tasks are checked against their own `disk_limit_mb`
    /// when there is no node pressure (walking task directories is not free).
    public init(
        config: PluginConfigStore,
        probe: any DiskProbe = StatvfsProbe(),
        clock: any MonitorClock = ContinuousMonitorClock(),
        evictionTarget: (any EvictionTarget)? = nil,
        taskUsageInterval: Duration = .seconds(10),
        logger: Logger
    ) {
        let disk = config.current.disk
        self.config = config
        self.paths = StatvfsProbe.resolvePaths(disk.paths)
        self.probe = probe
        self.clock = clock
        self.logger = logger
        self.eviction = EvictionState(target: evictionTarget, taskUsageInterval: taskUsageInterval)
        var state = PressureStateMachine(config: disk)
        let now = clock.now()
        state.observe(probe.measure(paths: paths), at: now)
        var emitter = FingerprintEmitter(minInterval: disk.attributeMinInterval)
        let report = FingerprintBuilder.report(from: state, paths: paths)
        _ = emitter.offer(report, at: now)
        self.state = state
        self.emitter = emitter
        self.latest = report
    }

    // MARK: Queries

    /// The effective level (soft only after its grace).
    public var currentLevel: PressureLevel { state.level }

    /// The watched paths after defaulting.
    public var watchedPaths: [String] { paths }

    /// nil admits a task; otherwise the health sentence StartTask must fail with
    /// (RESOURCE_EXHAUSTED, not recoverable). Unknown readings alone do not refuse work: the
    /// Unhealthy health already keeps new placements away.
    public func admissionError() -> String? { state.pressureSentence }

    /// The report most recently sent to subscribers.
    public func currentReport() -> FingerprintReport { emitter.lastEmitted ?? latest }

    /// The latest sample's live figures beside the report Nomad has (`fingerprint --watch`).
    public func liveStatus() -> DiskLiveStatus { state.liveStatus(report: currentReport()) }

    /// A stream that yields the current report at once, then every emitted change. Any number of
    /// subscribers; each ends when `stop()` is called or the consumer goes away. After `stop()`
    /// the stream holds just the current report.
    public func reports() -> AsyncStream<FingerprintReport> {
        subscribers.subscribe(first: currentReport())
    }

    // MARK: Lifecycle

    /// Starts sampling every `disk.interval`. Calling it again while running does nothing;
    /// call `stop()` when done.
    public func start() {
        guard loop == nil else { return }
        subscribers.reopen()
        // The task holds the monitor until `stop()` cancels it.
        loop = clock.repeating(every: { self.config.current.disk.interval }) { await self.sample() }
    }

    /// Stops sampling and ends every subscriber's stream. An eviction already under way finishes.
    public func stop() {
        loop?.cancel()
        loop = nil
        subscribers.finish()
    }

    /// Puts `newConfig` in force in the store this monitor reads, then `configChanged()`.
    public func updateConfig(_ newConfig: PluginConfig) {
        config.replace(with: newConfig)
        configChanged()
    }

    /// Re-reads the store after SetConfig: the watched paths, the thresholds the state machine
    /// judges by and the attribute rate limit, then re-measures at once.
    public func configChanged() {
        let disk = config.current.disk
        paths = StatvfsProbe.resolvePaths(disk.paths)
        state.config = disk
        emitter.minInterval = disk.attributeMinInterval
        sample()
    }

    /// Sets (or replaces) who tasks are evicted through; the task store may be made after us.
    public func setEvictionTarget(_ target: (any EvictionTarget)?) {
        eviction.target = target
    }

    /// Logs a warning the first time a task's alloc dir lies on a filesystem nobody watches.
    public func noteAllocDir(_ allocDir: String) {
        guard !warnedAboutAllocDir, let device = StatvfsProbe.deviceID(of: allocDir) else { return }
        let watched = Set(paths.compactMap(StatvfsProbe.deviceID(of:)))
        guard !watched.contains(device) else { return }
        warnedAboutAllocDir = true
        logger.warning("alloc dir is on a filesystem the driver does not watch; add it to disk.paths", metadata: [
            "alloc_dir": "\(allocDir)", "watched_paths": "\(paths.joined(separator: ","))",
        ])
    }

    // MARK: Sampling

    /// Takes one sample now: updates the state, emits a report if due, and starts the next
    /// eviction step if one is due. The loop calls this; tests call it with a fake clock.
    public func sample() {
        let now = clock.now()
        let measurements = probe.measure(paths: paths)
        let transition = state.observe(measurements, at: now)
        logger.debug("disk sample", metadata: Self.metadata(level: state.level, measurements: measurements))
        if let transition {
            var metadata = Self.metadata(level: transition.to, measurements: measurements)
            metadata["from"] = "\(transition.from.rawValue)"
            if let filling = state.prediction.soonestFull, let seconds = filling.secondsToFull {
                metadata["fill_rate_mb_per_min"] = "\(formatRate(filling.mebibytesPerMinute))"
                metadata["seconds_to_full"] = "\(Int64(seconds.rounded()))"
            }
            logger.info("disk pressure level changed", metadata: metadata)
        }
        latest = FingerprintBuilder.report(from: state, paths: paths)
        if let report = emitter.offer(latest, at: now) { subscribers.broadcast(report) }
        startEvictionStepIfDue(now: now)
    }

    private static func metadata(level: PressureLevel, measurements: [DiskMeasurement]) -> Logger.Metadata {
        var readings: Logger.Metadata = [:]
        for measurement in measurements {
            switch measurement {
            case .reading(let r):
                readings[r.path] = [
                    "available_mb": "\(r.availableMiB)",
                    "capacity_mb": "\(r.capacityMiB)",
                    "available_percent": "\(formatPercent(r.availablePercent))",
                    "inodes_free": "\(r.inodesFree)",
                    "inodes_total": "\(r.inodesTotal)",
                ]
            case .failure(let path, let message):
                readings[path] = ["error": "\(message)"]
            }
        }
        return ["level": "\(level.rawValue)", "readings": .dictionary(readings)]
    }
}
