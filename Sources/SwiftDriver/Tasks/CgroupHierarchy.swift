import SystemSupport

/// Where the host mounts its cgroup hierarchies, and where a process sits in them: read from
/// `/proc/self/mounts` and `/proc/<pid>/cgroup`, parsed here without touching the files.
struct CgroupHierarchy: Sendable, Equatable {
    /// The cgroup v2 mount (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on hybrid hosts).
    var unifiedMount: String?
    /// cgroup v1 mounts by controller (`memory` → `/sys/fs/cgroup/memory`).
    var v1Mounts: [String: String] = [:]

    /// The hierarchies this process sees.
    static func current() -> CgroupHierarchy {
        parse(mounts: FileInput.text(atPath: "/proc/self/mounts") ?? "")
    }

    /// Parses `/proc/self/mounts`.
    static func parse(mounts: String) -> CgroupHierarchy {
        var hierarchy = CgroupHierarchy()
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 3 else { continue }
            switch fields[2] {
            case "cgroup2": hierarchy.unifiedMount = String(fields[1])
            case "cgroup":
                for option in fields[3].split(separator: ",") where !option.contains("=") && !Self.mountFlags.contains(String(option)) {
                    hierarchy.v1Mounts[String(option)] = String(fields[1])
                }
            default: continue
            }
        }
        return hierarchy
    }

    /// Mount options that are not controller names.
    private static let mountFlags: Set<String> = ["rw", "ro", "nosuid", "nodev", "noexec", "relatime", "noatime", "nsdelegate", "memory_recursiveprot"]

    /// The mount a cgroup directory lies under (the longest matching mount point), with the
    /// controller it serves (nil for the v2 hierarchy).
    func mount(containing directory: String) -> (mount: String, controller: String?)? {
        var candidates: [(String, String?)] = v1Mounts.map { ($0.value, $0.key) }
        if let unifiedMount { candidates.append((unifiedMount, nil)) }
        return candidates
            .filter { directory == $0.0 || directory.hasPrefix($0.0 + "/") }
            .max { $0.0.count < $1.0.count }
            .map { (mount: $0.0, controller: $0.1) }
    }

    /// Where a process is, per hierarchy, from `/proc/<pid>/cgroup` (`4:memory:/a/b`, `0::/c`):
    /// the absolute directory for each mount point.
    func directories(membership: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let relative = fields[2] == "/" ? "" : String(fields[2])
            if fields[0] == "0", fields[1].isEmpty, let unifiedMount {
                result[unifiedMount] = unifiedMount + relative
                continue
            }
            for controller in fields[1].split(separator: ",") {
                if let mount = v1Mounts[String(controller)] { result[mount] = mount + relative }
            }
        }
        return result
    }
}
