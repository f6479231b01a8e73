import Glibc
import Locking
import SystemSupport

/// Samples the CPU and memory use of one task's processes.
///
/// The process set is the root and its descendants (found through /proc), plus every member
/// of `processGroup` when given. CPU percents need two samples: the first reports 0. When
/// `cgroupDirectory` is a readable cgroup v2 group, the aggregate comes from its
/// `memory.*` and `cpu.stat` files (which also count processes that already exited);
/// per-pid figures always come from /proc. Safe to call from any thread.
public final class ProcessTreeSampler: Sendable {
    public let rootPid: Int32
    public let processGroup: Int32?
    public let cgroupDirectory: String?

    private let discovery: ProcessTreeDiscovery
    private let perCoreMHz: Double
    private let state: Mutex<SamplerState>

    /// - Parameters:
    ///   - rootStartTime: the root's start time as `processStartTime(pid:)` reported it when
    ///     the task started (e.g. from driver state after a restart); when nil, the start time
    ///     seen by the first sample is used. A root pid with another start time is not the task.
    ///   - perCoreMHz: clock speed used for "Total Ticks"; detected from the host when nil
    ///     (0 disables the field).
    public init(rootPid: Int32, processGroup: Int32? = nil, cgroupDirectory: String? = nil,
                rootStartTime: UInt64? = nil, perCoreMHz: Double? = nil) {
        self.rootPid = rootPid
        self.processGroup = processGroup
        self.cgroupDirectory = cgroupDirectory
        self.discovery = ProcessTreeDiscovery(rootPid: rootPid, processGroup: processGroup, procRoot: "/proc")
        self.perCoreMHz = perCoreMHz ?? HostCompute.perCoreMHz
        self.state = Mutex(SamplerState(rootStartTime: rootStartTime))
    }

    /// A process's start time in clock ticks since boot (field 22 of `/proc/<pid>/stat`);
    /// with the pid it identifies the process across pid reuse. Nil when there is no such pid.
    public static func processStartTime(pid: Int32) -> UInt64? {
        FileInput.text(atPath: "/proc/\(pid)/stat", limit: 4096).flatMap(ProcStat.parse)?.startTime
    }

    /// One sample, or nil when no process of the task is alive any more (including when the
    /// root pid now belongs to a different process).
    public func sample() -> ResourceSample? {
        state.withLock { state in takeSample(&state) }
    }

    private func takeSample(_ state: inout SamplerState) -> ResourceSample? {
        var (members, root) = discovery.discover()
        if let root {
            if let known = state.rootStartTime, known != root.startTime {
                // The pid was reused: the task's root is gone, whatever runs there now.
                members = processGroup.map { group in members.filter { $0.pgrp == group } } ?? []
            } else if state.rootStartTime == nil {
                state.rootStartTime = root.startTime
            }
        }
        guard !members.isEmpty else { return nil }

        let now = ProcFiles.monotonicNanos()
        let bootTicks = bootTimeTicks()
        let elapsedSeconds = state.lastMonotonic.map { Double(now &- $0) / 1e9 } ?? 0
        let timestamp = ProcFiles.wallClockNanos()

        var aggregate = ResourceSample()
        aggregate.timestamp = timestamp
        var nextTicks: [ProcessKey: CPUTicks] = [:]
        for stat in members {
            let key = ProcessKey(pid: stat.pid, startTime: stat.startTime)
            let ticks = CPUTicks(user: stat.utime, system: stat.stime)
            nextTicks[key] = ticks
            var usage = ResourceSample()
            usage.timestamp = timestamp
            if elapsedSeconds > 0 {
                let before = state.lastTicks[key] ?? baseline(for: stat, lastBootTicks: state.lastBootTicks)
                usage.cpuUserPercent = percent(ticks.user, before.user, elapsedSeconds)
                usage.cpuSystemPercent = percent(ticks.system, before.system, elapsedSeconds)
                usage.cpuPercent = usage.cpuUserPercent + usage.cpuSystemPercent
            }
            usage.totalTicks = usage.cpuPercent / 100 * perCoreMHz
            let memory = FileInput.text(atPath: "/proc/\(stat.pid)/status").map(ProcStatusMemory.parse) ?? ProcStatusMemory()
            usage.rssBytes = memory.rssBytes ?? UInt64(max(0, stat.rssPages)) * Self.pageSize
            usage.swapBytes = memory.swapBytes ?? 0
            usage.cpuMeasuredFields = basicCPUFields
            usage.memoryMeasuredFields = [MeasuredField.rss, MeasuredField.swap]

            aggregate.cpuUserPercent += usage.cpuUserPercent
            aggregate.cpuSystemPercent += usage.cpuSystemPercent
            aggregate.cpuPercent += usage.cpuPercent
            aggregate.rssBytes += usage.rssBytes
            aggregate.swapBytes += usage.swapBytes
            aggregate.perPid[stat.pid] = usage
        }
        aggregate.totalTicks = aggregate.cpuPercent / 100 * perCoreMHz
        aggregate.cpuMeasuredFields = basicCPUFields
        aggregate.memoryMeasuredFields = [MeasuredField.rss, MeasuredField.swap]

        if let cgroupDirectory, let snap = CgroupV2Reader(directory: cgroupDirectory).read() {
            applyCgroup(snap, elapsedSeconds: elapsedSeconds, previous: state.lastCgroupCPU, to: &aggregate)
            state.lastCgroupCPU = snap.cpuUsageMicros.map {
                CgroupCPU(usage: $0, user: snap.cpuUserMicros ?? 0, system: snap.cpuSystemMicros ?? 0)
            }
        }

        state.lastTicks = nextTicks
        state.lastMonotonic = now
        state.lastBootTicks = bootTicks
        return aggregate
    }

    private var basicCPUFields: [String] {
        var fields = [MeasuredField.systemMode, MeasuredField.userMode, MeasuredField.percent]
        if perCoreMHz > 0 { fields.append(MeasuredField.totalTicks) }
        return fields
    }

    /// A process first seen after the previous sample started within the interval, so all
    /// its ticks count; one that existed before (e.g. just joined the group) starts from now.
    private func baseline(for stat: ProcStat, lastBootTicks: UInt64?) -> CPUTicks {
        if let lastBootTicks, stat.startTime >= lastBootTicks { return CPUTicks(user: 0, system: 0) }
        return CPUTicks(user: stat.utime, system: stat.stime)
    }

    private func percent(_ now: UInt64, _ before: UInt64, _ seconds: Double) -> Double {
        guard now > before, seconds > 0 else { return 0 }
        return Double(now - before) / ProcFiles.clockTicksPerSecond / seconds * 100
    }

    private func applyCgroup(_ snap: CgroupV2Snapshot, elapsedSeconds: Double, previous: CgroupCPU?, to sample: inout ResourceSample) {
        if let current = snap.memoryCurrent {
            var fields: [String] = []
            if let anon = snap.anonBytes { sample.rssBytes = anon; fields.append(MeasuredField.rss) }
            if let file = snap.fileBytes { sample.cacheBytes = file; fields.append(MeasuredField.cache) }
            if let swap = snap.swapCurrent { sample.swapBytes = swap; fields.append(MeasuredField.swap) }
            sample.usageBytes = current
            fields.append(MeasuredField.usage)
            if let peak = snap.memoryPeak { sample.maxUsageBytes = peak; fields.append(MeasuredField.maxUsage) }
            if let kernel = snap.kernelBytes { sample.kernelUsageBytes = kernel; fields.append(MeasuredField.kernelUsage) }
            sample.memoryMeasuredFields = fields
        }
        guard let usage = snap.cpuUsageMicros else { return }
        if let previous, elapsedSeconds > 0 {
            let scale = 1 / 1e6 / elapsedSeconds * 100
            sample.cpuPercent = Double(usage > previous.usage ? usage - previous.usage : 0) * scale
            let user = snap.cpuUserMicros ?? 0, system = snap.cpuSystemMicros ?? 0
            sample.cpuUserPercent = Double(user > previous.user ? user - previous.user : 0) * scale
            sample.cpuSystemPercent = Double(system > previous.system ? system - previous.system : 0) * scale
        } else {
            sample.cpuPercent = 0
            sample.cpuUserPercent = 0
            sample.cpuSystemPercent = 0
        }
        sample.totalTicks = sample.cpuPercent / 100 * perCoreMHz
        var fields = basicCPUFields
        if let periods = snap.throttledPeriods { sample.throttledPeriods = periods; fields.append(MeasuredField.throttledPeriods) }
        if let micros = snap.throttledMicros { sample.throttledTime = micros * 1000; fields.append(MeasuredField.throttledTime) }
        sample.cpuMeasuredFields = fields
    }

    private func bootTimeTicks() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_BOOTTIME, &ts)
        let seconds = Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        return UInt64(seconds * ProcFiles.clockTicksPerSecond)
    }

    private static let pageSize: UInt64 = {
        let size = sysconf(Int32(_SC_PAGESIZE))
        return size > 0 ? UInt64(size) : 4096
    }()
}

struct ProcessKey: Hashable, Sendable {
    var pid: Int32
    var startTime: UInt64
}

struct CPUTicks: Sendable {
    var user: UInt64
    var system: UInt64
}

struct CgroupCPU: Sendable {
    var usage: UInt64
    var user: UInt64
    var system: UInt64
}

struct SamplerState: Sendable {
    var rootStartTime: UInt64?
    var lastMonotonic: UInt64?
    var lastBootTicks: UInt64?
    var lastTicks: [ProcessKey: CPUTicks] = [:]
    var lastCgroupCPU: CgroupCPU?
}
