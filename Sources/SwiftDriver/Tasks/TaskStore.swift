import GoPluginServer
import FoundationEssentials
import Glibc
import Logging

/// Owns every task this plugin runs: starts them through the supervisor, tracks their exits,
/// stops, signals and destroys them, and re-attaches to them after a plugin restart.
/// Plain Swift values only; the gRPC layer maps them to Nomad's messages.
public actor TaskStore {
    struct Record {
        var state: DriverState
        var watch: TaskSupervisorWatch
        var exit: TaskExit?
        var completedAt: Date?
        var evictionReason: String?
        var waiters: [Int: CheckedContinuation<Result<TaskExit, TaskError>, Never>] = [:]
    }

    let supervisorExecutable: String
    let logger: Logger
    let startTimeout: Duration
    var records: [String: Record] = [:]
    /// Ids whose start is in progress, so a second start of the same id fails at once.
    var starting: Set<String> = []
    /// Whether the log already says that Nomad's task cgroups are under no mount of this host.
    var loggedForeignNomadCgroup = false
    let eventSubscribers = EventBroadcaster<TaskEventRecord>(bufferingNewest: 256)
    /// Tells waiters apart (see `wait`).
    var nextToken = 0

    /// - Parameters:
    ///   - supervisorExecutable: absolute path of this binary (see `currentExecutablePath()`).
    ///   - startTimeout: how long `start` waits for the supervisor to report the task running.
    public init(supervisorExecutable: String, logger: Logger, startTimeout: Duration = .seconds(30)) {
        self.supervisorExecutable = supervisorExecutable
        self.logger = logger
        self.startTimeout = startTimeout
    }

    /// The running binary's absolute path, to pass as `supervisorExecutable`.
    public static func currentExecutablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: Queries

    /// The current state of one task.
    public func inspect(_ id: String) throws(TaskError) -> TaskSnapshot {
        guard let record = records[id] else { throw Self.notFound(id) }
        return snapshot(record)
    }

    /// The launch parameters of a task (env, user, dirs), e.g. for ExecTask; nil for an unknown id.
    public func launchRequest(for id: String) -> TaskLaunchRequest? {
        records[id]?.state.request
    }

    /// The cgroups the task was placed in, for exec sessions to join.
    public func cgroupDirectories(for id: String) -> [String] {
        guard let state = records[id]?.state else { return [] }
        return state.cgroupDirectories ?? state.cgroupPath.map { [$0] } ?? []
    }

    /// Every task still running (for the disk evictor: task dir, settings and start time included).
    public func runningTasks() -> [TaskSnapshot] {
        records.values.filter { $0.exit == nil }.map(snapshot).sorted { $0.startedAt < $1.startedAt }
    }

    /// The next exit of this task carries `reason` as its error text and a non-zero exit code.
    /// Records why the task is being stopped, so its exit carries the reason, and tells Nomad
    /// through a task event (shown in `nomad alloc status`).
    public func markEvicted(_ id: String, reason: String) {
        guard let record = records[id], record.evictionReason == nil else { return }
        records[id]?.evictionReason = reason
        emit(record.state, reason, ["reason": "disk_pressure"])
    }

    // MARK: Events

    /// A stream of driver events (recovery, warnings). Each call gets its own stream.
    public func events() -> AsyncStream<TaskEventRecord> {
        eventSubscribers.subscribe()
    }

    func emit(_ state: DriverState, _ message: String, _ annotations: [String: String] = [:]) {
        let event = TaskEventRecord(
            taskID: state.taskID, allocID: state.request.allocID, taskName: state.request.name, message: message,
            annotations: annotations)
        eventSubscribers.broadcast(event)
    }

    func snapshot(_ r: Record) -> TaskSnapshot {
        TaskSnapshot(
            id: r.state.taskID, name: r.state.request.name, allocID: r.state.request.allocID,
            state: r.exit == nil ? .running : .exited, startedAt: r.state.startedAt, completedAt: r.completedAt,
            exit: r.exit, pid: r.state.taskPID, pgid: r.state.taskPGID, taskDir: r.state.request.taskDir,
            settings: r.state.request.settings, cgroupPath: r.state.cgroupPath,
            diskLimitMB: r.state.request.diskLimitMB, diskUsageDirectories: r.state.request.diskUsageDirectories)
    }

    static func notFound(_ id: String) -> TaskError {
        TaskError(.notFound, "The task \(id) is not known to the driver.")
    }
}
