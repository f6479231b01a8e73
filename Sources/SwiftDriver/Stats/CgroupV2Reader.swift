import SystemSupport

/// Cumulative counters and gauges of one cgroup v2 directory. Optional fields are absent
/// when the controller or file is not there (e.g. no swap accounting, older kernels).
struct CgroupV2Snapshot: Equatable, Sendable {
    var memoryCurrent: UInt64?
    var anonBytes: UInt64?
    var fileBytes: UInt64?
    var kernelBytes: UInt64?
    var swapCurrent: UInt64?
    var memoryPeak: UInt64?
    var cpuUsageMicros: UInt64?
    var cpuUserMicros: UInt64?
    var cpuSystemMicros: UInt64?
    var throttledPeriods: UInt64?
    var throttledMicros: UInt64?
}

/// Reads the memory and cpu interface files of a cgroup v2 directory.
struct CgroupV2Reader: Sendable {
    let directory: String

    /// Nil when the directory is not a readable cgroup v2 group (no `memory.current` and no
    /// `cpu.stat`), so the caller falls back to /proc.
    func read() -> CgroupV2Snapshot? {
        var snap = CgroupV2Snapshot()
        if let text = FileInput.text(atPath: directory + "/memory.current") {
            snap.memoryCurrent = parseSingleNumber(text)
        }
        if let text = FileInput.text(atPath: directory + "/memory.stat") {
            let stat = parseKeyValueLines(text)
            snap.anonBytes = stat["anon"]
            snap.fileBytes = stat["file"]
            snap.kernelBytes = stat["kernel"]
        }
        if let text = FileInput.text(atPath: directory + "/memory.swap.current") {
            snap.swapCurrent = parseSingleNumber(text)
        }
        if let text = FileInput.text(atPath: directory + "/memory.peak") {
            snap.memoryPeak = parseSingleNumber(text)
        }
        if let text = FileInput.text(atPath: directory + "/cpu.stat") {
            let stat = parseKeyValueLines(text)
            snap.cpuUsageMicros = stat["usage_usec"]
            snap.cpuUserMicros = stat["user_usec"]
            snap.cpuSystemMicros = stat["system_usec"]
            snap.throttledPeriods = stat["nr_throttled"]
            snap.throttledMicros = stat["throttled_usec"]
        }
        if snap.memoryCurrent == nil && snap.cpuUsageMicros == nil { return nil }
        return snap
    }
}
