import SystemSupport

/// The fields of `/proc/<pid>/stat` the driver reads: the stats sampler, and the task store
/// identifying its processes by pid and start time.
struct ProcStat: Equatable, Sendable {
    var pid: Int32
    var state: Character
    var ppid: Int32
    var pgrp: Int32
    /// Clock ticks in user and kernel mode (this process only, not waited-for children).
    var utime: UInt64
    var stime: UInt64
    /// Start time in clock ticks after boot; with the pid it identifies a process uniquely.
    var startTime: UInt64
    var rssPages: Int64

    var isZombie: Bool { state == "Z" || state == "X" }

    /// Parses one stat line. The command name sits in parentheses and may itself contain
    /// spaces and parentheses, so fields are counted from the last ")".
    static func parse(_ text: String) -> ProcStat? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { return nil }
        guard let pid = Int32(text[..<open].trimmingASCIIWhitespace()) else { return nil }
        let rest = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // rest[0] is field 3 (state); field n is rest[n - 3].
        guard rest.count >= 22, let state = rest[0].first,
              let ppid = Int32(rest[1]), let pgrp = Int32(rest[2]),
              let utime = UInt64(rest[11]), let stime = UInt64(rest[12]),
              let start = UInt64(rest[19]), let rss = Int64(rest[21])
        else { return nil }
        return ProcStat(pid: pid, state: state, ppid: ppid, pgrp: pgrp, utime: utime, stime: stime,
                        startTime: start, rssPages: rss)
    }

    /// Reads `/proc/<pid>/stat`; nil when the process does not exist.
    static func read(pid: Int32) -> ProcStat? {
        guard pid > 0 else { return nil }
        return FileInput.text(atPath: "/proc/\(pid)/stat", limit: 4096).flatMap(parse)
    }

    /// True when `pid` is a live (non-zombie) process started at `startTime`: a guard against pid reuse.
    static func isAlive(pid: Int32, startTime: UInt64) -> Bool {
        guard let stat = read(pid: pid) else { return false }
        return stat.startTime == startTime && !stat.isZombie
    }
}
