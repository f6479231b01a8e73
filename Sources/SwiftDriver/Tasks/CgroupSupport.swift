import FoundationEssentials
import Glibc
import SystemSupport

/// Resource limits through cgroup v2, used only when `/sys/fs/cgroup` is a writable cgroup2 mount.
/// Every step is best effort: without cgroups the task still runs, just without enforced limits.
public enum CgroupSupport {
    static let mountPoint = "/sys/fs/cgroup"
    /// The parent of every task cgroup this driver creates.
    public static let driverRoot = mountPoint + "/nomad-driver-swift"

    /// Whether the node can enforce memory and CPU limits for tasks (for the fingerprint).
    public static var isAvailable: Bool {
        guard unifiedMountPoint() == mountPoint, access(mountPoint, W_OK) == 0,
              let controllers = FileInput.text(atPath: mountPoint + "/cgroup.controllers") else { return false }
        let names = controllers.split(whereSeparator: { $0 == " " || $0 == "\n" })
        return names.contains("memory") && names.contains("cpu")
    }

    /// Where the cgroup2 hierarchy is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on hybrid hosts).
    static func unifiedMountPoint() -> String? {
        guard let mounts = FileInput.text(atPath: "/proc/self/mounts") else { return nil }
        for line in mounts.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count > 2 && f[2] == "cgroup2" { return String(f[1]) }
        }
        return nil
    }

    /// The cgroup directory for a task id.
    static func path(forTaskID id: String) -> String {
        driverRoot + "/" + TaskStatePaths.slug(id)
    }

    /// Creates the task's cgroup (and its parent) with its limits. Returns warnings for limits that
    /// could not be set, or nil when the cgroup itself could not be created.
    static func create(_ path: String, memoryMax: UInt64?, cpuShares: Int64?) -> [String]? {
        let parent = FilePaths.parent(of: path)
        let root = FilePaths.parent(of: parent)
        // Controllers must be enabled on every ancestor for the leaf to get memory.max and cpu.weight.
        TaskFiles.writeControlFile(root + "/cgroup.subtree_control", "+memory +cpu")
        if mkdir(parent, 0o755) != 0 && errno != EEXIST { return nil }
        TaskFiles.writeControlFile(parent + "/cgroup.subtree_control", "+memory +cpu")
        if mkdir(path, 0o755) != 0 && errno != EEXIST { return nil }
        var warnings: [String] = []
        if let memoryMax, memoryMax > 0, !TaskFiles.writeControlFile(path + "/memory.max", String(memoryMax)) {
            warnings.append("The memory limit could not be applied to the task's cgroup.")
        }
        if let cpuShares, cpuShares > 0, !TaskFiles.writeControlFile(path + "/cpu.weight", String(cpuWeight(shares: cpuShares))) {
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
        TaskFiles.writeControlFile(path + "/cgroup.procs", String(getpid()))
    }

    /// The cgroup v2 directory the calling process is in.
    static func currentPath() -> String? {
        guard let mount = unifiedMountPoint(), let text = FileInput.text(atPath: "/proc/self/cgroup") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("0::") {
            let relative = line.dropFirst(3)
            return relative == "/" ? mount : mount + relative
        }
        return nil
    }

    static func oomKilled(_ path: String) -> Bool {
        guard let events = FileInput.text(atPath: path + "/memory.events") else { return false }
        for line in events.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 2, f[0] == "oom_kill", let n = Int(f[1]) { return n > 0 }
        }
        return false
    }

    /// Sends a signal to every process in the cgroup except the caller; SIGKILL uses `cgroup.kill`
    /// when the caller is not inside. Members of `skippingGroup` are left out: the caller has
    /// signalled that process group already, and a second SIGINT or SIGHUP can mean something else
    /// to a program than the first.
    static func signalAll(_ path: String, _ signal: Int32, skippingGroup: Int32? = nil) {
        if signal == SIGKILL && currentPath() != path && TaskFiles.writeControlFile(path + "/cgroup.kill", "1") { return }
        guard let procs = FileInput.text(atPath: path + "/cgroup.procs") else { return }
        let me = getpid()
        for line in procs.split(separator: "\n") {
            guard let pid = Int32(line), pid > 0, pid != me else { continue }
            if let skippingGroup, signal != SIGKILL, ProcStat.read(pid: pid)?.pgrp == skippingGroup { continue }
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
