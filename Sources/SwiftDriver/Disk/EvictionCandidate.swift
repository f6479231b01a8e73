import FoundationEssentials
import Glibc

/// A running task as the eviction logic sees it; the task store supplies these.
public struct EvictionCandidate: Sendable, Equatable {
    public var taskID: String
    /// When the task started; among equals the youngest goes first (it has lost the least work).
    public var startedAt: Date
    /// The task's own `disk_limit_mb`, if it set one.
    public var diskLimitMB: UInt64?
    /// Measured usage of the task's own directories (see `DirectoryUsage`).
    public var usageBytes: UInt64
    /// False (`evictable = false`) exempts the task from any eviction.
    public var evictable: Bool

    public init(taskID: String, startedAt: Date, diskLimitMB: UInt64?, usageBytes: UInt64, evictable: Bool) {
        self.taskID = taskID
        self.startedAt = startedAt
        self.diskLimitMB = diskLimitMB
        self.usageBytes = usageBytes
        self.evictable = evictable
    }

    /// Bytes used beyond `disk_limit_mb`, or nil when within it or without a limit.
    public var overageBytes: UInt64? {
        guard let limitMB = diskLimitMB else { return nil }
        let (limitBytes, overflow) = limitMB.multipliedReportingOverflow(by: DiskUnits.mebibyte)
        guard !overflow, usageBytes > limitBytes else { return nil }
        return usageBytes - limitBytes
    }
}

/// The task store, seen from the eviction logic.
public protocol EvictionTarget: Sendable {
    /// Every running task with its measured disk usage.
    func evictionCandidates() async -> [EvictionCandidate]
    /// Stops the task: a TaskEvent with `reason`, its kill signal, SIGKILL after `grace`, and a
    /// non-zero WaitTask exit whose error text is `reason`. Returns once the kill is under way
    /// or done.
    func evict(taskID: String, reason: String, grace: Duration) async
}
