import GoPluginServer
import FoundationEssentials
import Glibc
import GRPCCoreServer
import PluginProto

/// The unary task RPCs: start, recover, wait, stop, destroy, inspect, signal, exec.
struct TaskRPCs: Sendable {
    let runtime: DriverRuntime

    private var store: TaskStore { runtime.store }

    var routes: [String: MethodHandler] {
        [
            RPCPath.driver + "StartTask": RPC.unary { (request: StartTaskRequest) in try await start(request) },
            RPCPath.driver + "RecoverTask": RPC.unary { (request: RecoverTaskRequest) in
                try await recover(request)
                return Empty()
            },
            RPCPath.driver + "WaitTask": RPC.unary { (request: WaitTaskRequest) in
                let exit = try await mapped { () throws(TaskError) in try await store.wait(request.taskID) }
                return WaitTaskResponse(result: ExitResult(exit), err: exit.errorText ?? "")
            },
            RPCPath.driver + "StopTask": RPC.unary { (request: StopTaskRequest) in
                try await mapped { () throws(TaskError) in
                    // No signal (no `kill_signal` in the job) gets the store's default, Nomad's SIGINT.
                    try await store.stop(request.taskID, signal: request.signal, timeout: request.timeout)
                }
                return Empty()
            },
            RPCPath.driver + "DestroyTask": RPC.unary { (request: DestroyTaskRequest) in
                try await mapped { () throws(TaskError) in try await store.destroy(request.taskID, force: request.force) }
                return Empty()
            },
            RPCPath.driver + "InspectTask": RPC.unary { (request: InspectTaskRequest) in
                let task = try await mapped { () throws(TaskError) in try await store.inspect(request.taskID) }
                return InspectTaskResponse(task: TaskStatus(task))
            },
            RPCPath.driver + "SignalTask": RPC.unary { (request: SignalTaskRequest) in
                try await mapped { () throws(TaskError) in try await store.signal(request.taskID, name: request.signal) }
                return Empty()
            },
            RPCPath.driver + "ExecTask": RPC.unary { (request: ExecTaskRequest) in try await exec(request) },
        ]
    }

    /// Admission first (a node under disk pressure takes no new work), then the task config,
    /// then the launch. The handle echoes the whole TaskConfig: Nomad later addresses the task
    /// by `handle.config.id`.
    private func start(_ request: StartTaskRequest) async throws -> StartTaskResponse {
        let task = request.task
        if let refusal = await runtime.monitor.admissionError() {
            throw GRPCStatus(.resourceExhausted, "task refused: \(refusal)")
        }
        let settings: TaskSettings
        do throws(ConfigError) {
            settings = try TaskSettings.decode(msgpack: task.msgpackDriverConfig)
        } catch {
            throw StatusMapping.status(for: error)
        }
        await runtime.monitor.noteAllocDir(task.allocDir)
        var launch = TaskLaunchMapping.request(from: task, settings: settings)
        switch DiskReservationGrant.parse(task.deviceEnv) {
        case .success(let grant): launch.diskReservation = grant
        case .failure(let error): throw GRPCStatus(.invalidArgument, "task refused: \(error.description)")
        }
        let started = try await mapped { () throws(TaskError) in try await store.start(launch) }
        runtime.logger.info("task started", metadata: [
            "task_id": "\(task.id)", "task": "\(task.name)", "pid": "\(started.pid)", "command": "\(settings.command)", "path": "\(started.executable)",
        ])
        return StartTaskResponse(
            result: .success,
            handle: TaskHandle(version: 1, config: task, state: .running, driverState: started.driverState))
    }

    /// `RecoverTaskRequest.task_id` is never set by Nomad; everything comes from the handle.
    private func recover(_ request: RecoverTaskRequest) async throws {
        guard !request.handle.driverState.isEmpty else {
            throw GRPCStatus(.invalidArgument, "the task handle carries no driver state, so the task cannot be recovered")
        }
        try await mapped { () throws(TaskError) in try await store.recover(driverState: request.handle.driverState) }
        runtime.logger.info("task recovered", metadata: ["task_id": "\(request.handle.config.id)"])
    }

    private func exec(_ request: ExecTaskRequest) async throws -> ExecTaskResponse {
        let context = try await ExecContextLookup.context(for: request.taskID, store: store)
        let timeout = request.timeout > .zero ? request.timeout : .seconds(3600)
        do throws(ExecError) {
            let output = try await ExecRunner.run(command: request.command, context: context, timeout: timeout)
            return ExecTaskResponse(stdout: output.stdout, stderr: output.stderr,
                                    result: ExitResult(exitCode: output.exitCode, signal: output.signal))
        } catch {
            throw StatusMapping.status(for: error)
        }
    }

    private func mapped<T>(_ body: () async throws(TaskError) -> T) async throws(GRPCStatus) -> T {
        do {
            return try await body()
        } catch {
            throw StatusMapping.status(for: error)
        }
    }
}

/// The environment, directory and user a task's exec commands run with.
enum ExecContextLookup {
    static func context(for taskID: String, store: TaskStore) async throws(GRPCStatus) -> ExecContext {
        guard let launch = await store.launchRequest(for: taskID) else {
            throw GRPCStatus(.notFound, "no task with id \(taskID) is known to this driver")
        }
        // The task's own working directory, resolved as at its start (a relative work_dir is under
        // the task dir); if it has gone since, the exec says so when it cannot enter it.
        return ExecContext(env: launch.env, workDir: TaskCommandResolver.workDirectoryPath(launch.settings, taskDir: launch.taskDir),
                           user: launch.user.isEmpty ? nil : launch.user, taskDir: launch.taskDir,
                           networkNamespace: launch.networkNamespace, cgroups: await store.cgroupDirectories(for: taskID))
    }
}

extension ExitResult {
    init(_ exit: TaskExit) {
        self.init(exitCode: exit.exitCode, signal: exit.signal, oomKilled: exit.oomKilled)
    }
}

extension TaskStatus {
    init(_ task: TaskSnapshot) {
        self.init(
            id: task.id, name: task.name,
            state: task.state == .running ? .running : .exited,
            startedAt: WireTimestamp(task.startedAt),
            completedAt: task.completedAt.map(WireTimestamp.init) ?? WireTimestamp(),
            result: task.exit.map(ExitResult.init) ?? ExitResult())
    }
}
