import SystemSupport

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
    UInt64(text.trimmingASCIIWhitespace())
}

