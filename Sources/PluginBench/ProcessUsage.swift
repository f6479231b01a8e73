import Foundation

/// The plugin's resources that leak one per task when something is not released: descriptors,
/// unreaped children (supervisors), threads, and resident memory. Read from /proc.
struct ProcessUsage {
    var fds = 0
    var rssKiB = 0
    var threads = 0
    /// Processes whose parent is the plugin, zombies included.
    var children = 0
    /// Children that exited and were not reaped.
    var zombies = 0

    static func measure(pid: pid_t) -> ProcessUsage {
        var usage = ProcessUsage()
        usage.fds = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { continue }
            switch fields[0] {
            case "VmRSS:": usage.rssKiB = Int(fields[1]) ?? 0
            case "Threads:": usage.threads = Int(fields[1]) ?? 0
            default: break
            }
        }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = pid_t(entry), let (state, parent) = stateAndParent(child), parent == pid else { continue }
            usage.children += 1
            if state == "Z" { usage.zombies += 1 }
        }
        return usage
    }

    /// The state letter and parent pid from /proc/<pid>/stat (fields after the command name,
    /// which may itself contain spaces and parentheses).
    private static func stateAndParent(_ pid: pid_t) -> (Character, pid_t)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 1, let state = fields[0].first, let parent = pid_t(fields[1]) else { return nil }
        return (state, parent)
    }
}
