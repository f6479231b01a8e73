/// The task store as the disk monitor sees it: running tasks ranked by what they hold on disk,
/// and a way to stop one with a reason that reaches Nomad through WaitTask and TaskEvents.
struct TaskStoreEvictionTarget: EvictionTarget {
    let store: TaskStore
    let runtime: DriverRuntime

    func evictionCandidates() async -> [EvictionCandidate] {
        await store.runningTasks().map { task in
            EvictionCandidate(
                taskID: task.id,
                startedAt: task.startedAt,
                diskLimitMB: task.diskLimitMB,
                usageBytes: task.diskUsageDirectories.reduce(0) { $0 &+ DirectoryUsage.bytes(under: $1) },
                evictable: task.settings.evictable)
        }
    }

    func evict(taskID: String, reason: String, grace: Duration) async {
        await store.markEvicted(taskID, reason: reason)
        do {
            // The driver never learns a job's kill_signal, so an eviction sends what Nomad sends
            // a task without one.
            try await store.stop(taskID, signal: TaskStore.defaultStopSignal, timeout: grace)
        } catch {
            runtime.logger.error("could not evict task", metadata: ["task_id": "\(taskID)", "error": "\(error)"])
        }
    }
}
