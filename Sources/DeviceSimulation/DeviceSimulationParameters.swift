/// What one simulation run models. One tick is one sample interval of the plugin (its
/// `interval`, 1 s by default); the defaults give a busy cluster whose disks run near full.
public struct DeviceSimulationParameters: Sendable, Equatable {
    public var seed: UInt64
    public var nodes = 50
    public var ticks = 200
    /// The plugin block every node runs with (`unit_mb`, `max_instances`, `headroom_mb`).
    public var unitMB: UInt64 = 1024
    public var maxInstances: UInt64 = 128
    public var headroomMB: UInt64 = 1024
    /// `fingerprint_min_interval` in ticks: how stale the scheduler's view of recoveries may be.
    public var fingerprintMinIntervalTicks = 30
    /// Each node's one disk, in GiB: uniform in this range. Above max_instances GiB the unit
    /// grows to 2 GiB and more, as `DiskGroupLayout` cuts it.
    public var capacityGiB: ClosedRange<UInt64> = 8...400
    /// Jobs submitted per tick (on average) and the most instances one job asks for.
    public var jobsPerTick = 3.0
    public var maxInstancesPerJob = 40
    /// Allocation lifetime in ticks, uniform in this range.
    public var lifetimeTicks: ClosedRange<Int> = 20...200
    /// Ticks between placement and the client's Reserve call (the task starting).
    public var reserveDelayTicks: ClosedRange<Int> = 0...3
    /// Chance that a task writes past its budget (the driver then evicts it).
    public var overrunProbability = 0.1
    /// Per node per tick: the plugin crashes (Nomad relaunches it after 1-3 ticks).
    public var pluginCrashProbability = 0.002
    /// Per live allocation per tick: its task restarts and the client calls Reserve again.
    public var taskRestartProbability = 0.003
    /// Per node per tick: a writer the plugin knows nothing of writes or deletes; and the
    /// same again between the plugin's sample and the scheduler's pass.
    public var outsideWriterProbability = 0.03
    public var outsideBetweenSamplesProbability = 0.01
    /// A deliberately broken plugin, to show the invariant check can fail (tests only).
    public var fault: SimulationFault = .none

    public init(seed: UInt64) {
        self.seed = seed
    }
}

/// Plugin defects the simulation can inject; the real plugin runs with `.none`.
public enum SimulationFault: Sendable, Equatable {
    case none
    /// The fingerprint gate holds back decreases like recoveries (no urgent path).
    case decreasesHeldBack
    /// Reserved instances' unwritten bytes are not held back from what is offered.
    case promisesIgnored
}
