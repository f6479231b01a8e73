/// The cgroups Nomad 1.7 and later make for a task, and what goes into them, as Nomad's own
/// executor does: the client creates them before StartTask and names them in
/// `LinuxResources.cpuset_cgroup`, which is how `resources { cores = N }` gives a task cores no
/// other task uses. The supervisor applies the plan: it writes the limits, puts itself in every
/// directory, forks the task there, and goes back.
///
/// - cgroup v2: the path is the task's own scope (`nomad.slice/share.slice/<alloc>.<task>.scope`
///   or `reserve.slice/…`); memory, CPU weight and cpuset all live there.
/// - cgroup v1: the path is the cpuset cgroup only (`cpuset/nomad/share`, or
///   `cpuset/nomad/reserve/<alloc>.<task>`); memory and CPU go in the task's
///   `memory/nomad/<alloc>.<task>` and `cpu/nomad/<alloc>.<task>`, which the task joins too, with
///   the freezer one Nomad uses to kill what is left.
struct NomadCgroupPlan: Codable, Sendable, Equatable {
    /// One control-file write; `what` names the limit in the warning when it cannot be applied.
    struct Write: Codable, Sendable, Equatable {
        var file: String
        var value: String
        var what: String
    }

    /// Every directory the task is put in, each made if missing.
    var join: [String]
    /// Limits, written before the task joins.
    var writes: [Write]
    /// The v2 directory (stats, OOM and kill go through it); nil on cgroup v1.
    var unified: String?

    /// The limits Nomad computed for a task, in its executor's terms.
    struct Limits: Sendable, Equatable {
        /// `memory_max` when set (memory oversubscription), else `memory`; nil: no limit.
        var memoryHardBytes: UInt64?
        /// `memory` when `memory_max` is set: the reservation (v2 `memory.low`, v1 soft limit).
        var memoryReservedBytes: UInt64?
        var cpuShares: Int64?
        /// `LinuxResources.cpuset_cpus`: the reserved cores, empty when the task shares.
        var cpusetCPUs: String
    }

    /// The plan for a task Nomad placed at `cpusetCgroup`, or nil when the path lies under no
    /// cgroup mount of this host (then the task runs without cgroups and says so).
    static func plan(cpusetCgroup: String, allocID: String, taskName: String, limits: Limits,
                     hierarchy: CgroupHierarchy) -> NomadCgroupPlan? {
        guard let (mount, controller) = hierarchy.mount(containing: cpusetCgroup) else { return nil }
        if controller == nil {
            return unifiedPlan(cpusetCgroup, limits)
        }
        guard controller == "cpuset" else { return nil }
        return v1Plan(cpusetCgroup, mount: mount, scope: "\(allocID).\(taskName)", limits: limits, hierarchy: hierarchy)
    }

    private static func unifiedPlan(_ scope: String, _ limits: Limits) -> NomadCgroupPlan {
        var writes: [Write] = []
        writes.append(Write(file: scope + "/memory.max", value: limits.memoryHardBytes.map(String.init) ?? "max", what: "memory limit"))
        if let reserved = limits.memoryReservedBytes, reserved > 0 {
            writes.append(Write(file: scope + "/memory.low", value: String(reserved), what: "memory reservation"))
        }
        if let shares = limits.cpuShares, shares > 0 {
            writes.append(Write(file: scope + "/cpu.weight", value: String(CgroupSupport.cpuWeight(shares: shares)), what: "CPU weight"))
        }
        if !limits.cpusetCPUs.isEmpty {
            writes.append(Write(file: scope + "/cpuset.cpus", value: limits.cpusetCPUs, what: "reserved cores"))
        }
        return NomadCgroupPlan(join: [scope], writes: writes, unified: scope)
    }

    private static func v1Plan(_ cpuset: String, mount: String, scope: String, limits: Limits,
                               hierarchy: CgroupHierarchy) -> NomadCgroupPlan? {
        // `<mount>/<parent>/share` or `<mount>/<parent>/reserve/<scope>`: the parent is Nomad's
        // `cgroup_parent` ("nomad" unless the operator changed it), shared by every controller.
        let parts = cpuset.dropFirst(mount.count + 1).split(separator: "/")
        let parent: String
        if parts.count >= 2, parts.last == "share" {
            parent = parts.dropLast().joined(separator: "/")
        } else if parts.count >= 3, parts[parts.count - 2] == "reserve" {
            parent = parts.dropLast(2).joined(separator: "/")
        } else {
            return nil
        }
        func directory(_ controller: String) -> String? {
            hierarchy.v1Mounts[controller].map { "\($0)/\(parent)/\(scope)" }
        }
        var join: [String] = []
        var writes: [Write] = []
        if let freezer = directory("freezer") { join.append(freezer) }
        if let cpu = directory("cpu") {
            join.append(cpu)
            if let shares = limits.cpuShares, shares > 0 {
                writes.append(Write(file: cpu + "/cpu.shares", value: String(shares), what: "CPU shares"))
            }
        }
        if let memory = directory("memory") {
            join.append(memory)
            writes.append(Write(file: memory + "/memory.limit_in_bytes", value: limits.memoryHardBytes.map(String.init) ?? "-1", what: "memory limit"))
            if let reserved = limits.memoryReservedBytes, reserved > 0 {
                writes.append(Write(file: memory + "/memory.soft_limit_in_bytes", value: String(reserved), what: "memory reservation"))
            }
        }
        join.append(cpuset)
        if !limits.cpusetCPUs.isEmpty {
            writes.append(Write(file: cpuset + "/cpuset.cpus", value: limits.cpusetCPUs, what: "reserved cores"))
        }
        return NomadCgroupPlan(join: join, writes: writes, unified: nil)
    }
}
