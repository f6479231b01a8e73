import PluginProto

/// Nomad's `TaskConfig` plus the decoded `config {}` block → what the task store launches.
enum TaskLaunchMapping {
    static func request(from task: TaskConfig, settings: TaskSettings) -> TaskLaunchRequest {
        // Device plugins' variables first, so the task's own env wins on a clash, as in Nomad.
        let env = task.deviceEnv.merging(task.env) { _, own in own }
        var memoryLimit: UInt64?
        var cpuShares: Int64?
        if let resources = task.resources {
            let megabytes = max(resources.memoryMB, resources.memoryMaxMB)
            if let linux = resources.linux, linux.memoryLimitBytes > 0 {
                memoryLimit = UInt64(linux.memoryLimitBytes)
            } else if megabytes > 0 {
                memoryLimit = UInt64(megabytes) * 1024 * 1024
            }
            if resources.cpuShares > 0 { cpuShares = resources.cpuShares }
        }
        return TaskLaunchRequest(
            id: task.id,
            name: task.name,
            allocID: task.allocID,
            env: env,
            user: task.user,
            taskDir: taskDirectory(allocDir: task.allocDir, taskName: task.name),
            stdoutPath: task.stdoutPath,
            stderrPath: task.stderrPath,
            settings: settings,
            memoryLimitBytes: memoryLimit,
            cpuShares: cpuShares)
    }

    /// Nomad lays a task out at `<alloc_dir>/<task name>` (with local/, secrets/, tmp/ inside).
    static func taskDirectory(allocDir: String, taskName: String) -> String {
        allocDir.hasSuffix("/") ? allocDir + taskName : allocDir + "/" + taskName
    }
}
