/// The resources Nomad allocated to a task (`Resources`), read the way a driver enforces them.
public typealias TaskResources = Resources

extension Resources {
    /// The allocation as a driver uses it: CPU shares and memory always sent (Nomad's own
    /// drivers read them without a nil check), the cgroup view when there is one.
    public init(cpuShares: Int64 = 0, memoryMB: Int64 = 0, memoryMaxMB: Int64 = 0, linux: LinuxResources? = nil) {
        self.init(
            allocatedResources: AllocatedTaskResources(
                cpu: AllocatedCpuResources(cpuShares: cpuShares),
                memory: AllocatedMemoryResources(memoryMB: memoryMB, memoryMaxMB: memoryMaxMB)),
            linuxResources: linux)
    }

    /// `allocated_resources.cpu.cpu_shares` (MHz).
    public var cpuShares: Int64 { allocatedResources?.cpu?.cpuShares ?? 0 }
    /// `allocated_resources.memory.memory_mb`.
    public var memoryMB: Int64 { allocatedResources?.memory?.memoryMB ?? 0 }
    /// `allocated_resources.memory.memory_max_mb`; 0 unless memory oversubscription is on.
    public var memoryMaxMB: Int64 { allocatedResources?.memory?.memoryMaxMB ?? 0 }
    /// The cgroup-level view of the allocation.
    public var linux: LinuxResources? { linuxResources }
}
