/// The fields of `/proc/<pid>/stat` the sampler needs.
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
        guard let pid = Int32(text[..<open].trimmingSpaces()) else { return nil }
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
}

/// Memory figures from `/proc/<pid>/status`, in bytes.
struct ProcStatusMemory: Equatable, Sendable {
    var rssBytes: UInt64?
    var swapBytes: UInt64?

    /// Reads `VmRSS` and `VmSwap` ("VmRSS:\t  1234 kB"). Kernel threads have neither.
    static func parse(_ text: String) -> ProcStatusMemory {
        var result = ProcStatusMemory()
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") {
                result.rssBytes = kilobytes(line)
            } else if line.hasPrefix("VmSwap:") {
                result.swapBytes = kilobytes(line)
            }
        }
        return result
    }

    private static func kilobytes(_ line: Substring) -> UInt64? {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count >= 2, let value = UInt64(parts[1]) else { return nil }
        return value * 1024
    }
}

/// "key value" lines as in cgroup v2 `memory.stat` and `cpu.stat`.
func parseKeyValueLines(_ text: String) -> [String: UInt64] {
    var result: [String: UInt64] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count == 2, let value = UInt64(parts[1]) { result[String(parts[0])] = value }
    }
    return result
}

/// A single number file such as `memory.current`; "max" and garbage give nil.
func parseSingleNumber(_ text: String) -> UInt64? {
    UInt64(text.trimmingSpaces())
}

extension StringProtocol {
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return Substring("")
        }
        return Substring(self[first...last])
    }
}
