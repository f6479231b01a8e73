import PluginProto

/// Nomad's `TaskConfig` plus the decoded `config {}` block → what the task store launches.
enum TaskLaunchMapping {
    static func request(from task: TaskConfig, settings: TaskSettings) -> TaskLaunchRequest {
        // Device plugins' variables first, so the task's own env wins on a clash, as in Nomad.
        let env = task.deviceEnv.merging(task.env) { _, own in own }
        var memoryLimit: UInt64?
        var memoryReservation: UInt64?
        var cpuShares: Int64?
        var nomadCgroup: String?
        var cpusetCPUs: String?
        if let resources = task.resources {
            // As Nomad's executor: with `memory_max` (oversubscription; -1 is "no limit") that is
            // the hard limit and `memory` the reservation; otherwise `memory` is the hard limit.
            let mebibyte: UInt64 = 1024 * 1024
            if resources.memoryMaxMB != 0 {
                if resources.memoryMaxMB > 0 { memoryLimit = UInt64(resources.memoryMaxMB) * mebibyte }
                if resources.memoryMB > 0 { memoryReservation = UInt64(resources.memoryMB) * mebibyte }
            } else if let linux = resources.linux, linux.memoryLimitBytes > 0 {
                memoryLimit = UInt64(linux.memoryLimitBytes)
            } else if resources.memoryMB > 0 {
                memoryLimit = UInt64(resources.memoryMB) * mebibyte
            }
            if resources.cpuShares > 0 { cpuShares = resources.cpuShares }
            if let linux = resources.linux {
                nomadCgroup = linux.cpusetCgroup.isEmpty ? nil : linux.cpusetCgroup
                cpusetCPUs = linux.cpusetCPUs.isEmpty ? nil : linux.cpusetCPUs
            }
        }
        var request = TaskLaunchRequest(
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
        request.memoryReservationBytes = memoryReservation
        request.nomadCgroup = nomadCgroup
        request.cpusetCPUs = cpusetCPUs
        // Nomad sends a path only for a group network it made (bridge or CNI mode).
        if let spec = task.networkIsolationSpec, spec.mode == .group, !spec.path.isEmpty {
            request.networkNamespace = spec.path
        }
        return request
    }

    /// Nomad lays a task out at `<alloc_dir>/<task name>` (with local/, secrets/, tmp/ inside).
    static func taskDirectory(allocDir: String, taskName: String) -> String {
        allocDir.hasSuffix("/") ? allocDir + taskName : allocDir + "/" + taskName
    }
}
