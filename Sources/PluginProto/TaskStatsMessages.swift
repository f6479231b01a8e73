import PluginProtoC

/// `CPUUsage`.
public struct CPUUsage: Sendable, Equatable {
    /// `CPUUsage.Fields`: which of the values were actually measured.
    public enum Field: Int32, Sendable, Equatable {
        case systemMode = 0
        case userMode = 1
        case totalTicks = 2
        case throttledPeriods = 3
        case throttledTime = 4
        case percent = 5
    }

    public var systemMode: Double
    public var userMode: Double
    public var totalTicks: Double
    public var throttledPeriods: UInt64
    public var throttledTime: UInt64
    public var percent: Double
    public var measuredFields: [Field]

    public init(systemMode: Double = 0, userMode: Double = 0, totalTicks: Double = 0, throttledPeriods: UInt64 = 0,
                throttledTime: UInt64 = 0, percent: Double = 0, measuredFields: [Field] = []) {
        self.systemMode = systemMode
        self.userMode = userMode
        self.totalTicks = totalTicks
        self.throttledPeriods = throttledPeriods
        self.throttledTime = throttledTime
        self.percent = percent
        self.measuredFields = measuredFields
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CCPUUsage> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__cpuusage__init)
        message.pointee.system_mode = systemMode
        message.pointee.user_mode = userMode
        message.pointee.total_ticks = totalTicks
        message.pointee.throttled_periods = throttledPeriods
        message.pointee.throttled_time = throttledTime
        message.pointee.percent = percent
        message.pointee.n_measured_fields = measuredFields.count
        message.pointee.measured_fields = arena.array(
            measuredFields.map { .init(rawValue: .init(truncatingIfNeeded: $0.rawValue)) })
        return message
    }

    init(_ c: CCPUUsage) {
        self.init(
            systemMode: c.system_mode, userMode: c.user_mode, totalTicks: c.total_ticks,
            throttledPeriods: c.throttled_periods, throttledTime: c.throttled_time, percent: c.percent,
            measuredFields: CRead.array(c.measured_fields, c.n_measured_fields).compactMap {
                Field(rawValue: CRead.enumValue($0))
            })
    }
}

/// `MemoryUsage` (all values in bytes).
public struct MemoryUsage: Sendable, Equatable {
    /// `MemoryUsage.Fields`: which of the values were actually measured.
    public enum Field: Int32, Sendable, Equatable {
        case rss = 0
        case cache = 1
        case maxUsage = 2
        case kernelUsage = 3
        case kernelMaxUsage = 4
        case usage = 5
        case swap = 6
    }

    public var rss: UInt64
    public var cache: UInt64
    public var maxUsage: UInt64
    public var kernelUsage: UInt64
    public var kernelMaxUsage: UInt64
    public var usage: UInt64
    public var swap: UInt64
    public var measuredFields: [Field]

    public init(rss: UInt64 = 0, cache: UInt64 = 0, maxUsage: UInt64 = 0, kernelUsage: UInt64 = 0,
                kernelMaxUsage: UInt64 = 0, usage: UInt64 = 0, swap: UInt64 = 0, measuredFields: [Field] = []) {
        self.rss = rss
        self.cache = cache
        self.maxUsage = maxUsage
        self.kernelUsage = kernelUsage
        self.kernelMaxUsage = kernelMaxUsage
        self.usage = usage
        self.swap = swap
        self.measuredFields = measuredFields
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CMemoryUsage> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__memory_usage__init)
        message.pointee.rss = rss
        message.pointee.cache = cache
        message.pointee.max_usage = maxUsage
        message.pointee.kernel_usage = kernelUsage
        message.pointee.kernel_max_usage = kernelMaxUsage
        message.pointee.usage = usage
        message.pointee.swap = swap
        message.pointee.n_measured_fields = measuredFields.count
        message.pointee.measured_fields = arena.array(
            measuredFields.map { .init(rawValue: .init(truncatingIfNeeded: $0.rawValue)) })
        return message
    }

    init(_ c: CMemoryUsage) {
        self.init(
            rss: c.rss, cache: c.cache, maxUsage: c.max_usage, kernelUsage: c.kernel_usage,
            kernelMaxUsage: c.kernel_max_usage, usage: c.usage, swap: c.swap,
            measuredFields: CRead.array(c.measured_fields, c.n_measured_fields).compactMap {
                Field(rawValue: CRead.enumValue($0))
            })
    }
}

/// `TaskResourceUsage`; both sub-messages are always encoded (Nomad dereferences them).
public struct TaskResourceUsage: Sendable, Equatable {
    public var cpu: CPUUsage
    public var memory: MemoryUsage

    public init(cpu: CPUUsage = CPUUsage(), memory: MemoryUsage = MemoryUsage()) {
        self.cpu = cpu
        self.memory = memory
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CTaskResourceUsage> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__task_resource_usage__init)
        message.pointee.cpu = cpu.build(in: arena)
        message.pointee.memory = memory.build(in: arena)
        return message
    }

    init(_ c: CTaskResourceUsage) {
        self.init(
            cpu: c.cpu.map { CPUUsage($0.pointee) } ?? CPUUsage(),
            memory: c.memory.map { MemoryUsage($0.pointee) } ?? MemoryUsage())
    }
}

/// `TaskStats`; timestamp and aggregate usage are always encoded.
public struct TaskStats: Sendable, Equatable {
    public var id: String
    public var timestamp: WireTimestamp
    public var aggResourceUsage: TaskResourceUsage
    /// Per-process usage keyed by PID (as a decimal string).
    public var resourceUsageByPID: [String: TaskResourceUsage]

    public init(id: String, timestamp: WireTimestamp, aggResourceUsage: TaskResourceUsage,
                resourceUsageByPID: [String: TaskResourceUsage] = [:]) {
        self.id = id
        self.timestamp = timestamp
        self.aggResourceUsage = aggResourceUsage
        self.resourceUsageByPID = resourceUsageByPID
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CTaskStats> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__task_stats__init)
        message.pointee.id = arena.string(id)
        message.pointee.timestamp = timestamp.build(in: arena)
        message.pointee.agg_resource_usage = aggResourceUsage.build(in: arena)
        let entries = resourceUsageByPID.keys.sorted().map { key in
            let entry = arena.message(hashicorp__nomad__plugins__drivers__proto__task_stats__resource_usage_by_pid_entry__init)
            entry.pointee.key = arena.string(key)
            entry.pointee.value = resourceUsageByPID[key]?.build(in: arena)
            return Optional(entry)
        }
        message.pointee.n_resource_usage_by_pid = entries.count
        message.pointee.resource_usage_by_pid = arena.array(entries)
        return message
    }

    init(_ c: CTaskStats) {
        var byPID: [String: TaskResourceUsage] = [:]
        for entry in CRead.messages(c.resource_usage_by_pid, c.n_resource_usage_by_pid) {
            byPID[CRead.string(entry.key)] = entry.value.map { TaskResourceUsage($0.pointee) } ?? TaskResourceUsage()
        }
        self.init(
            id: CRead.string(c.id), timestamp: WireTimestamp(c.timestamp),
            aggResourceUsage: c.agg_resource_usage.map { TaskResourceUsage($0.pointee) } ?? TaskResourceUsage(),
            resourceUsageByPID: byPID)
    }
}

/// `TaskStatsRequest`: open a stats stream reporting every `collectionInterval`.
public struct TaskStatsRequest: WireMessage, Equatable {
    public var taskID: String
    public var collectionInterval: Duration

    public init(taskID: String, collectionInterval: Duration) {
        self.taskID = taskID
        self.collectionInterval = collectionInterval
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.TaskStatsRequest",
            unpack: hashicorp__nomad__plugins__drivers__proto__task_stats_request__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__task_stats_request__free_unpacked
        ) { (c: CTaskStatsRequest) throws(WireDecodingError) in
            TaskStatsRequest(taskID: CRead.string(c.task_id), collectionInterval: WireDuration.read(c.collection_interval))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__task_stats_request__init)
                message.pointee.task_id = arena.string(taskID)
                message.pointee.collection_interval = WireDuration.build(collectionInterval, in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__task_stats_request__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__task_stats_request__pack
        )
    }
}

/// `TaskStatsResponse`: one message of the stats stream; `stats` is always encoded.
public struct TaskStatsResponse: WireMessage, Equatable {
    public var stats: TaskStats

    public init(stats: TaskStats) {
        self.stats = stats
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.TaskStatsResponse",
            unpack: hashicorp__nomad__plugins__drivers__proto__task_stats_response__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__task_stats_response__free_unpacked
        ) { (c: CTaskStatsResponse) throws(WireDecodingError) in
            TaskStatsResponse(
                stats: c.stats.map { TaskStats($0.pointee) }
                    ?? TaskStats(id: "", timestamp: WireTimestamp(), aggResourceUsage: TaskResourceUsage()))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__task_stats_response__init)
                message.pointee.stats = stats.build(in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__task_stats_response__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__task_stats_response__pack
        )
    }
}
