import PluginProto

/// A resource sample → Nomad's `TaskStats`, always with both usage sub-messages present.
enum StatsMapping {
    static func stats(taskID: String, sample: ResourceSample) -> TaskStats {
        var byPid: [String: TaskResourceUsage] = [:]
        for (pid, process) in sample.perPid {
            byPid[String(pid)] = usage(process)
        }
        let seconds = sample.timestamp / 1_000_000_000
        let timestamp = WireTimestamp(seconds: seconds, nanos: Int32(sample.timestamp - seconds * 1_000_000_000))
        return TaskStats(id: taskID, timestamp: timestamp, aggResourceUsage: usage(sample), resourceUsageByPID: byPid)
    }

    static func usage(_ sample: ResourceSample) -> TaskResourceUsage {
        TaskResourceUsage(
            cpu: CPUUsage(
                systemMode: sample.cpuSystemPercent, userMode: sample.cpuUserPercent, totalTicks: sample.totalTicks,
                throttledPeriods: sample.throttledPeriods, throttledTime: sample.throttledTime,
                percent: sample.cpuPercent, measuredFields: sample.cpuMeasuredFields.compactMap(cpuField)),
            memory: MemoryUsage(
                rss: sample.rssBytes, cache: sample.cacheBytes, maxUsage: sample.maxUsageBytes,
                kernelUsage: sample.kernelUsageBytes, kernelMaxUsage: sample.kernelMaxUsageBytes,
                usage: sample.usageBytes, swap: sample.swapBytes,
                measuredFields: sample.memoryMeasuredFields.compactMap(memoryField)))
    }

    private static func cpuField(_ name: String) -> CPUUsage.Field? {
        switch name {
        case MeasuredField.systemMode: .systemMode
        case MeasuredField.userMode: .userMode
        case MeasuredField.totalTicks: .totalTicks
        case MeasuredField.throttledPeriods: .throttledPeriods
        case MeasuredField.throttledTime: .throttledTime
        case MeasuredField.percent: .percent
        default: nil
        }
    }

    private static func memoryField(_ name: String) -> MemoryUsage.Field? {
        switch name {
        case MeasuredField.rss: .rss
        case MeasuredField.cache: .cache
        case MeasuredField.swap: .swap
        case MeasuredField.usage: .usage
        case MeasuredField.maxUsage: .maxUsage
        case MeasuredField.kernelUsage: .kernelUsage
        case MeasuredField.kernelMaxUsage: .kernelMaxUsage
        default: nil
        }
    }
}
