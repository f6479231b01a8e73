/// A task's `config {}` block in a job spec (`driver = "swift"`).
public struct TaskSettings: Sendable, Equatable, Codable {
    /// `command` (required): the program to run; resolved against the task dir, then PATH.
    public var command: String
    /// `args`: its arguments.
    public var args: [String]
    /// `work_dir`: working directory; defaults to the task directory.
    public var workDir: String?
    /// `disk_limit_mb`: the task's own disk budget; over it the task is evicted.
    public var diskLimitMB: UInt64?
    /// `evictable`: false exempts the task from disk-pressure eviction.
    public var evictable: Bool

    public init(command: String, args: [String] = [], workDir: String? = nil, diskLimitMB: UInt64? = nil, evictable: Bool = true) {
        self.command = command
        self.args = args
        self.workDir = workDir
        self.diskLimitMB = diskLimitMB
        self.evictable = evictable
    }
}
