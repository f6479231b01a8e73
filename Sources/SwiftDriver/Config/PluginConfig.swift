/// The plugin block an operator writes in the Nomad client config:
/// `plugin "nomad-driver-swift" { config { ... } }`. Every field has the default in the
/// README's configuration reference, so an empty block is a complete configuration.
public struct PluginConfig: Sendable, Equatable {
    /// `log_level`: trace, debug, info, warn or error; nil keeps NOMAD_DRIVER_SWIFT_LOG_LEVEL / info.
    public var logLevel: String?
    public var disk: DiskPressureConfig
    public var eviction: EvictionConfig

    /// Every default.
    public init() {
        self.init(logLevel: nil)
    }

    public init(logLevel: String? = nil, disk: DiskPressureConfig = .init(), eviction: EvictionConfig = .init()) {
        self.logLevel = logLevel
        self.disk = disk
        self.eviction = eviction
    }
}

/// The `disk { ... }` block: what to watch and when the node counts as under pressure.
public struct DiskPressureConfig: Sendable, Equatable {
    /// `paths`: absolute paths to watch. Empty means the default: `/opt/nomad/data` if it exists, else `/`.
    public var paths: [String] = []
    /// `interval`: how often to sample (Go duration string in HCL, e.g. "1s").
    public var interval: Duration = .seconds(1)
    /// `soft_free_percent`: soft pressure below this much free space (percent of capacity).
    public var softFreePercent: Double = 15
    /// `soft_free_mb`: soft pressure below this many free MiB as well; 0 turns this check off.
    public var softFreeMB: UInt64 = 0
    /// `soft_grace`: soft pressure counts only after holding this long.
    public var softGrace: Duration = .seconds(60)
    /// `hard_free_percent`: hard pressure (immediate) below this much free space.
    public var hardFreePercent: Double = 10
    /// `hard_free_mb`: hard pressure below this many free MiB.
    public var hardFreeMB: UInt64 = 1024
    /// `hard_inodes_free_percent`: hard pressure below this share of free inodes.
    public var hardInodesFreePercent: Double = 5
    /// `min_reclaim_percent`: leaving a level needs free space above threshold + this.
    public var minReclaimPercent: Double = 2
    /// `transition_period`: the recovered reading must hold this long before the level drops.
    public var transitionPeriod: Duration = .seconds(300)
    /// `attribute_step_mb`: `unique.driver.swift.disk.available_mb` is floored to this step.
    public var attributeStepMB: UInt64 = 1024
    /// `attribute_min_interval`: attribute-only fingerprint changes at most this often.
    public var attributeMinInterval: Duration = .seconds(60)
    /// `predict_horizon`: the predictive level starts when the disk is predicted full within
    /// this long at its current fill rate; 0 turns prediction off.
    public var predictHorizon: Duration = .seconds(600)
    /// `predict_min_window`: the fill rate is measured over this long, and the prediction must
    /// then hold at every sample for this long again before the node turns Unhealthy.
    public var predictMinWindow: Duration = .seconds(60)
    /// `predict_window`: space freed in steps within this much history (log rotation, garbage
    /// collection, tmp cleanup) is credited against the fill rate, so a sawtooth is not a fill.
    public var predictWindow: Duration = .seconds(3600)

    public init() {}
}

/// The `eviction { ... }` block: whether and how the driver stops tasks under pressure.
public struct EvictionConfig: Sendable, Equatable {
    /// `enabled`: evict tasks at hard pressure and at soft pressure after grace.
    public var enabled: Bool = true
    /// `max_grace`: cap on a victim's kill timeout before SIGKILL.
    public var maxGrace: Duration = .seconds(30)
    /// `interval`: pause between two victims, to re-measure.
    public var interval: Duration = .seconds(30)
    /// `predictive`: also evict, one task at a time, while the disk is predicted full within
    /// `disk.predict_horizon` (before free space reaches the hard threshold).
    public var predictive: Bool = true

    public init() {}
}
