import FoundationEssentials
import Glibc
import Logging
import SystemSupport

extension TaskStore {
    /// Waits for the task to end. Any number of callers may wait at once; an exited (not yet
    /// destroyed) task answers at once.
    public func wait(_ id: String) async throws(TaskError) -> TaskExit {
        guard let record = records[id] else { throw Self.notFound(id) }
        if let exit = record.exit { return exit }
        let token = nextToken
        nextToken += 1
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<TaskExit, TaskError>, Never>) in
                addWaiter(id, token, continuation)
            }
        } onCancel: {
            Task { await self.cancelWaiter(id, token) }
        }
        return try result.get()
    }

    private func addWaiter(_ id: String, _ token: Int, _ continuation: CheckedContinuation<Result<TaskExit, TaskError>, Never>) {
        guard let record = records[id] else { return continuation.resume(returning: .failure(Self.notFound(id))) }
        if let exit = record.exit { return continuation.resume(returning: .success(exit)) }
        if Task.isCancelled { return continuation.resume(returning: .failure(Self.waitCancelled)) }
        records[id]?.waiters[token] = continuation
    }

    private func cancelWaiter(_ id: String, _ token: Int) {
        records[id]?.waiters.removeValue(forKey: token)?.resume(returning: .failure(Self.waitCancelled))
    }

    private static var waitCancelled: TaskError { TaskError(.transient, "The wait for the task was cancelled.") }

    /// What a blank stop signal means: Nomad's executor sends SIGINT when a job sets no `kill_signal`.
    public static let defaultStopSignal = "SIGINT"

    /// Sends `signal` (blank means `defaultStopSignal`) to the task's process group, waits up to
    /// `timeout`, then SIGKILLs the group. Returns once the task is dead; an unknown or exited task
    /// is a success.
    public func stop(_ id: String, signal: String, timeout: Duration) async throws(TaskError) {
        let number = try Self.signalNumber(SignalNames.isBlank(signal) ? Self.defaultStopSignal : signal)
        guard let record = records[id], record.exit == nil else { return }
        signalGroup(record, number)
        if await waitForExit(id, within: timeout) { return }
        logger.debug("task ignored its stop signal; killing it", metadata: ["task_id": "\(id)"])
        try await kill(id)
    }

    /// Removes a task. A running task needs `force` (it is killed first); an unknown id is an error,
    /// which Nomad's restore logic relies on.
    public func destroy(_ id: String, force: Bool) async throws(TaskError) {
        guard let record = records[id] else { throw Self.notFound(id) }
        if record.exit == nil {
            guard force else {
                throw TaskError(.stillRunning, "The task \(id) is still running; stop it first or destroy it with force.")
            }
            try await kill(id)
        }
        guard let removed = records.removeValue(forKey: id) else { return }
        for waiter in removed.waiters.values { waiter.resume(returning: .failure(Self.notFound(id))) }
        if let cgroup = removed.state.cgroupPath { CgroupSupport.remove(cgroup) }
        TaskStatePaths(directory: removed.state.stateDirectory).remove()
    }

    /// Sends a signal (any Linux signal name, with or without `SIG`) to the task's main process.
    public func signal(_ id: String, name: String) async throws(TaskError) {
        let number = try Self.signalNumber(name)
        guard let record = records[id] else { throw Self.notFound(id) }
        guard record.exit == nil, record.watch.taskProcessIsOurs else {
            throw TaskError(.failed, "The task \(id) has already exited.")
        }
        if Glibc.kill(record.state.taskPID, number) != 0 {
            throw TaskError(.failed, "Sending \(name) to the task failed: \(errnoDescription(errno)).")
        }
    }

    static func signalNumber(_ name: String) throws(TaskError) -> Int32 {
        guard let number = SignalNames.number(for: name) else {
            throw TaskError(.invalidArgument, "The signal \"\(name)\" is not a known Linux signal name.")
        }
        return number
    }

    /// SIGKILLs the task's process group (and cgroup) and waits for the supervisor to report the exit.
    private func kill(_ id: String) async throws(TaskError) {
        guard let record = records[id], record.exit == nil else { return }
        signalGroup(record, SIGKILL)
        if await waitForExit(id, within: .seconds(10)) { return }
        throw TaskError(.failed, "The task \(id) did not exit within 10 seconds of SIGKILL.")
    }

    private func signalGroup(_ record: Record, _ signal: Int32) {
        // Only while the main process is the one we started (possibly a zombie not yet reaped,
        // which keeps the group id from being reused).
        let groupSignalled = record.watch.taskProcessIsOurs && Glibc.kill(-record.state.taskPGID, signal) == 0
        if let cgroup = record.state.cgroupPath {
            // The cgroup also holds processes that left the group (setsid daemons).
            CgroupSupport.signalAll(cgroup, signal, skippingGroup: groupSignalled ? record.state.taskPGID : nil)
        }
    }

    private func waitForExit(_ id: String, within timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        // Most tasks die within a few milliseconds of the signal: look early, then every 10 ms.
        var delay = Duration.milliseconds(1)
        while true {
            guard let record = records[id], record.exit == nil else { return true }
            // Read the exit file here too rather than wait for the monitor's next (backed-off) look.
            if let exit = TaskExitRecord.read(record.state.exitFilePath) {
                finish(id, exit.taskExit, exit.finishedDate)
                return true
            }
            if clock.now >= deadline { return false }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(10))
        }
    }
}
