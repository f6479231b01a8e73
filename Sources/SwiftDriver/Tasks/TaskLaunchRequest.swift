/// Everything needed to launch one task, decoded from Nomad's `TaskConfig` by the gRPC layer.
/// It is stored whole in `DriverState`, because the msgpack task config is gone after an agent restart.
public struct TaskLaunchRequest: Sendable, Codable, Equatable {
    /// Nomad's task id (`<alloc>/<task>/<8 chars>`), new for every start attempt.
    public var id: String
    public var name: String
    public var allocID: String
    /// The complete environment for the task.
    public var env: [String: String]
    /// The user to run as; empty keeps the plugin's user. Only honoured when the plugin runs as root.
    public var user: String
    /// Host path of the task directory (`<alloc_dir>/<name>`).
    public var taskDir: String
    /// logmon's FIFO paths; a missing path or empty string means /dev/null.
    public var stdoutPath: String
    public var stderrPath: String
    /// The task's `config {}` block.
    public var settings: TaskSettings
    /// Hard memory limit (cgroup `memory.max`), when cgroups v2 is usable.
    public var memoryLimitBytes: UInt64?
    /// Nomad's CPU shares (MHz); mapped to cgroup `cpu.weight`.
    public var cpuShares: Int64?
    /// The memory reservation when the job sets `memory_max` (oversubscription): `memory` in bytes.
    public var memoryReservationBytes: UInt64?
    /// `LinuxResources.cpuset_cgroup`: the cgroup Nomad 1.7+ made for the task (see
    /// `NomadCgroupPlan`); nil from older Nomad, which leaves cgroups to the driver.
    public var nomadCgroup: String?
    /// `LinuxResources.cpuset_cpus`: the cores reserved for the task; nil or empty when it shares.
    public var cpusetCPUs: String?
    /// The group's network namespace Nomad made (`network { mode = "bridge" }`): the task and
    /// every exec session into it run there. nil: the host's network.
    public var networkNamespace: String?
    /// The disk a `nomad-device-swift` reservation gave the task (from its device environment):
    /// its budget caps the task's disk limit, and its directory counts as the task's usage.
    public var diskReservation: DiskReservationGrant?

    public init(
        id: String, name: String, allocID: String, env: [String: String] = [:], user: String = "",
        taskDir: String, stdoutPath: String, stderrPath: String, settings: TaskSettings,
        memoryLimitBytes: UInt64? = nil, cpuShares: Int64? = nil, networkNamespace: String? = nil
    ) {
        self.id = id
        self.name = name
        self.allocID = allocID
        self.env = env
        self.user = user
        self.taskDir = taskDir
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
        self.settings = settings
        self.memoryLimitBytes = memoryLimitBytes
        self.cpuShares = cpuShares
        self.networkNamespace = networkNamespace
    }
}

extension TaskLaunchRequest {
    /// The disk limit the driver enforces: the task's own `disk_limit_mb`, capped by the budget
    /// of its disk reservation.
    public var diskLimitMB: UInt64? {
        switch (settings.diskLimitMB, diskReservation?.budgetMB) {
        case let (own?, budget?): return min(own, budget)
        case let (own, budget): return own ?? budget
        }
    }

    /// The directories whose contents count against `diskLimitMB`.
    public var diskUsageDirectories: [String] {
        [taskDir] + (diskReservation.map { [$0.directory] } ?? [])
    }
}
