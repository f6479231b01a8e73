import Foundation

/// The few fields of `/proc/<pid>/stat` the driver needs.
struct TaskProcStat: Sendable, Equatable {
    var state: Character
    var ppid: Int32
    var pgid: Int32
    /// Field 22: start time in clock ticks since boot; with the pid it identifies a process.
    var startTime: UInt64

    var isZombie: Bool { state == "Z" || state == "X" }

    /// Reads `/proc/<pid>/stat`; nil when the process does not exist (or the file is odd).
    static func read(pid: Int32) -> TaskProcStat? {
        guard pid > 0, let text = TaskFiles.readSmallFile("/proc/\(pid)/stat") else { return nil }
        return parse(text)
    }

    /// The command name in field 2 may hold spaces and parentheses, so split after the last ')'.
    static func parse(_ text: String) -> TaskProcStat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        guard fields.count > 19, let state = fields[0].first,
              let ppid = Int32(fields[1]), let pgid = Int32(fields[2]),
              let start = UInt64(fields[19]) else { return nil }
        return TaskProcStat(state: state, ppid: ppid, pgid: pgid, startTime: start)
    }

    /// True when `pid` is a live (non-zombie) process started at `startTime`: guards against pid reuse.
    static func isAlive(pid: Int32, startTime: UInt64) -> Bool {
        guard let stat = read(pid: pid) else { return false }
        return stat.startTime == startTime && !stat.isZombie
    }
}
