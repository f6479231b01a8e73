import PluginProtoC

/// The resources Nomad allocated to a task (`Resources`), reduced to what a driver enforces.
public struct TaskResources: Sendable, Equatable {
    /// `allocated_resources.cpu.cpu_shares` (MHz).
    public var cpuShares: Int64
    /// `allocated_resources.memory.memory_mb`.
    public var memoryMB: Int64
    /// `allocated_resources.memory.memory_max_mb`; 0 unless memory oversubscription is on.
    public var memoryMaxMB: Int64
    public var linux: LinuxResources?

    public init(cpuShares: Int64 = 0, memoryMB: Int64 = 0, memoryMaxMB: Int64 = 0, linux: LinuxResources? = nil) {
        self.cpuShares = cpuShares
        self.memoryMB = memoryMB
        self.memoryMaxMB = memoryMaxMB
        self.linux = linux
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CResources> {
        let resources = arena.message(hashicorp__nomad__plugins__drivers__proto__resources__init)
        let allocated = arena.message(hashicorp__nomad__plugins__drivers__proto__allocated_task_resources__init)
        let cpu = arena.message(hashicorp__nomad__plugins__drivers__proto__allocated_cpu_resources__init)
        cpu.pointee.cpu_shares = cpuShares
        let memory = arena.message(hashicorp__nomad__plugins__drivers__proto__allocated_memory_resources__init)
        memory.pointee.memory_mb = memoryMB
        memory.pointee.memory_max_mb = memoryMaxMB
        allocated.pointee.cpu = cpu
        allocated.pointee.memory = memory
        resources.pointee.allocated_resources = allocated
        resources.pointee.linux_resources = linux?.build(in: arena)
        return resources
    }

    init(_ c: CResources) {
        let allocated = c.allocated_resources?.pointee
        self.init(
            cpuShares: allocated?.cpu?.pointee.cpu_shares ?? 0,
            memoryMB: allocated?.memory?.pointee.memory_mb ?? 0,
            memoryMaxMB: allocated?.memory?.pointee.memory_max_mb ?? 0,
            linux: c.linux_resources.map { LinuxResources($0.pointee) })
    }
}

/// `LinuxResources`: the cgroup-level view of the allocation.
public struct LinuxResources: Sendable, Equatable {
    public var cpuPeriod: Int64
    public var cpuQuota: Int64
    public var cpuShares: Int64
    /// max(memory_mb, memory_max_mb) in bytes.
    public var memoryLimitBytes: Int64
    public var oomScoreAdj: Int64
    public var cpusetCPUs: String
    /// `PercentTicks`: this task's share of the node's CPU.
    public var percentTicks: Double
    public var cpusetCgroup: String

    public init(
        cpuPeriod: Int64 = 0, cpuQuota: Int64 = 0, cpuShares: Int64 = 0, memoryLimitBytes: Int64 = 0,
        oomScoreAdj: Int64 = 0, cpusetCPUs: String = "", percentTicks: Double = 0, cpusetCgroup: String = ""
    ) {
        self.cpuPeriod = cpuPeriod
        self.cpuQuota = cpuQuota
        self.cpuShares = cpuShares
        self.memoryLimitBytes = memoryLimitBytes
        self.oomScoreAdj = oomScoreAdj
        self.cpusetCPUs = cpusetCPUs
        self.percentTicks = percentTicks
        self.cpusetCgroup = cpusetCgroup
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CLinuxResources> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__linux_resources__init)
        message.pointee.cpu_period = cpuPeriod
        message.pointee.cpu_quota = cpuQuota
        message.pointee.cpu_shares = cpuShares
        message.pointee.memory_limit_bytes = memoryLimitBytes
        message.pointee.oom_score_adj = oomScoreAdj
        message.pointee.cpuset_cpus = arena.string(cpusetCPUs)
        message.pointee.percentticks = percentTicks
        message.pointee.cpuset_cgroup = arena.string(cpusetCgroup)
        return message
    }

    init(_ c: CLinuxResources) {
        self.init(
            cpuPeriod: c.cpu_period, cpuQuota: c.cpu_quota, cpuShares: c.cpu_shares,
            memoryLimitBytes: c.memory_limit_bytes, oomScoreAdj: c.oom_score_adj,
            cpusetCPUs: CRead.string(c.cpuset_cpus), percentTicks: c.percentticks,
            cpusetCgroup: CRead.string(c.cpuset_cgroup))
    }
}
