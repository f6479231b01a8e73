import Foundation

/// Resource limits through cgroup v2, used only when `/sys/fs/cgroup` is a writable cgroup2 mount.
/// Every step is best effort: without cgroups the task still runs, just without enforced limits.
public enum CgroupSupport {
    static let mountPoint = "/sys/fs/cgroup"
    /// The parent of every task cgroup this driver creates.
    public static let driverRoot = mountPoint + "/nomad-driver-swift"

    /// Whether the node can enforce memory and CPU limits for tasks (for the fingerprint).
    public static var isAvailable: Bool {
        guard let mounts = readSmallFile("/proc/self/mounts") else { return false }
        let isCgroup2 = mounts.split(separator: "\n").contains { line in
            let f = line.split(separator: " ")
            return f.count > 2 && f[1] == mountPoint && f[2] == "cgroup2"
        }
        guard isCgroup2, access(mountPoint, W_OK) == 0,
              let controllers = readSmallFile(mountPoint + "/cgroup.controllers") else { return false }
        let names = controllers.split(whereSeparator: { $0 == " " || $0 == "\n" })
        return names.contains("memory") && names.contains("cpu")
    }

    /// The cgroup directory for a task id.
    static func path(forTaskID id: String) -> String {
        driverRoot + "/" + TaskStatePaths.slug(id)
    }

    /// Creates the task's cgroup with its limits. Returns warnings for limits that could not be set,
    /// or nil when the cgroup itself could not be created.
    static func create(_ path: String, memoryMax: UInt64?, cpuShares: Int64?) -> [String]? {
        // Controllers must be enabled on every ancestor for the leaf to get memory.max and cpu.weight.
        writeControlFile(mountPoint + "/cgroup.subtree_control", "+memory +cpu")
        if mkdir(driverRoot, 0o755) != 0 && errno != EEXIST { return nil }
        writeControlFile(driverRoot + "/cgroup.subtree_control", "+memory +cpu")
        if mkdir(path, 0o755) != 0 && errno != EEXIST { return nil }
        var warnings: [String] = []
        if let memoryMax, memoryMax > 0, !writeControlFile(path + "/memory.max", String(memoryMax)) {
            warnings.append("The memory limit could not be applied to the task's cgroup.")
        }
        if let cpuShares, cpuShares > 0, !writeControlFile(path + "/cpu.weight", String(cpuWeight(shares: cpuShares))) {
            warnings.append("The CPU weight could not be applied to the task's cgroup.")
        }
        return warnings
    }

    /// Maps cgroup v1 style shares (Nomad's MHz) onto cgroup v2's 1...10000 weight, as systemd does.
    static func cpuWeight(shares: Int64) -> Int64 {
        let clamped = min(max(shares, 2), 262_144)
        return 1 + ((clamped - 2) * 9999) / 262_142
    }

    /// Moves the calling process into a cgroup.
    static func join(_ path: String) -> Bool {
        writeControlFile(path + "/cgroup.procs", String(getpid()))
    }

    /// The cgroup v2 directory the calling process is in.
    static func currentPath() -> String? {
        guard let text = readSmallFile("/proc/self/cgroup") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("0::") {
            return mountPoint + line.dropFirst(3)
        }
        return nil
    }

    static func oomKilled(_ path: String) -> Bool {
        guard let events = readSmallFile(path + "/memory.events") else { return false }
        for line in events.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 2, f[0] == "oom_kill", let n = Int(f[1]) { return n > 0 }
        }
        return false
    }

    /// Sends a signal to every process in the cgroup; SIGKILL uses `cgroup.kill` when the kernel has it.
    /// Members of `skippingGroup` are left out: the caller has signalled that process group already,
    /// and a second SIGINT or SIGHUP can mean something else to a program than the first.
    static func signalAll(_ path: String, _ signal: Int32, skippingGroup: Int32? = nil) {
        if signal == SIGKILL && writeControlFile(path + "/cgroup.kill", "1") { return }
        guard let procs = readSmallFile(path + "/cgroup.procs") else { return }
        for line in procs.split(separator: "\n") {
            guard let pid = Int32(line), pid > 0 else { continue }
            if let skippingGroup, signal != SIGKILL, ProcStat.read(pid: pid)?.pgid == skippingGroup { continue }
            kill(pid, signal)
        }
    }

    /// Kills what is left and removes the directory.
    static func remove(_ path: String) {
        signalAll(path, SIGKILL)
        for _ in 0..<50 {
            if rmdir(path) == 0 || errno == ENOENT { return }
            usleep(10_000)
        }
    }
}
