import FoundationEssentials
import Glibc

/// How a task ended, as WaitTask reports it.
public struct TaskExit: Sendable, Equatable, Codable {
    /// The exit code; 128 + signal when a signal killed the task (as Nomad's executor reports),
    /// -1 when the status is unknown (the supervisor vanished).
    public var exitCode: Int32
    /// The signal that killed the task, 0 if it exited on its own.
    public var signal: Int32
    /// The cgroup recorded an OOM kill.
    public var oomKilled: Bool
    /// Set when the driver knows more than the status (eviction, lost supervisor).
    public var errorText: String?

    public init(exitCode: Int32, signal: Int32 = 0, oomKilled: Bool = false, errorText: String? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.oomKilled = oomKilled
        self.errorText = errorText
    }
}

/// What `TaskStore.start` hands back for the TaskHandle.
public struct StartedTask: Sendable, Equatable {
    /// `DriverState` encoded; goes into `TaskHandle.driver_state`.
    public var driverState: [UInt8]
    /// The task's main process.
    public var pid: Int32
    public var startedAt: Date
    /// The absolute path of the program the task runs, as resolved from its `command`.
    public var executable: String

    public init(driverState: [UInt8], pid: Int32, startedAt: Date, executable: String) {
        self.executable = executable
        self.driverState = driverState
        self.pid = pid
        self.startedAt = startedAt
    }
}

/// A task's lifecycle state as InspectTask reports it.
public enum TaskRunState: String, Sendable, Equatable {
    case running
    case exited
}

/// A point-in-time view of one task (InspectTask, the disk evictor's ranking).
public struct TaskSnapshot: Sendable, Equatable {
    public var id: String
    public var name: String
    public var allocID: String
    public var state: TaskRunState
    public var startedAt: Date
    public var completedAt: Date?
    public var exit: TaskExit?
    public var pid: Int32
    public var pgid: Int32
    public var taskDir: String
    public var settings: TaskSettings
    /// The task's cgroup v2 directory when limits are enforced (for stats), else nil.
    public var cgroupPath: String?
    /// The disk limit enforced (`disk_limit_mb`, capped by a disk reservation's budget).
    public var diskLimitMB: UInt64?
    /// Where the task's disk usage is measured: its task dir, and its reservation's directory.
    public var diskUsageDirectories: [String] = []

    public init(
        id: String, name: String, allocID: String, state: TaskRunState, startedAt: Date, completedAt: Date? = nil,
        exit: TaskExit? = nil, pid: Int32, pgid: Int32, taskDir: String, settings: TaskSettings, cgroupPath: String? = nil,
        diskLimitMB: UInt64? = nil, diskUsageDirectories: [String]? = nil
    ) {
        self.id = id
        self.name = name
        self.allocID = allocID
        self.state = state
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.exit = exit
        self.pid = pid
        self.pgid = pgid
        self.taskDir = taskDir
        self.settings = settings
        self.cgroupPath = cgroupPath
        self.diskLimitMB = diskLimitMB ?? settings.diskLimitMB
        self.diskUsageDirectories = diskUsageDirectories ?? [taskDir]
    }
}

/// A driver event for the TaskEvents stream.
public struct TaskEventRecord: Sendable, Equatable {
    public var taskID: String
    public var allocID: String
    public var taskName: String
    public var message: String
    public var annotations: [String: String]
    public var timestamp: Date

    public init(taskID: String, allocID: String, taskName: String, message: String, annotations: [String: String] = [:], timestamp: Date = Date()) {
        self.taskID = taskID
        self.allocID = allocID
        self.taskName = taskName
        self.message = message
        self.annotations = annotations
        self.timestamp = timestamp
    }
}
