import CProcessSpawn
import FoundationEssentials
import Glibc
import SystemSupport

/// The hidden `supervise` subcommand: runs one task on behalf of the plugin, in its own session so
/// it outlives the plugin. The task writes its output into pipes the supervisor copies to logmon's
/// FIFOs (see log_relay.h: a restarting logmon neither kills nor blocks the task), and the outcome
/// goes into the started and exit files the plugin reads, written over placeholders the plugin
/// reserved so that a disk that has filled up meanwhile cannot lose them.
/// It logs nothing (its stderr is /dev/null); failures go into the started record.
public enum TaskSupervisor {
    /// The first argument that selects supervisor mode.
    public static let subcommand = "supervise"

    /// Runs the supervisor with the arguments after `supervise` (the spec file path; a leading
    /// `supervise` is tolerated); returns the process exit status.
    public static func main(arguments: [String]) -> Int32 {
        // Signals aimed at the plugin's session or a terminal must not end the supervisor; the
        // plugin signals the task's process group directly.
        for sig in [SIGINT, SIGHUP, SIGPIPE, SIGTERM, SIGQUIT] { signal(sig, SIG_IGN) }
        let rest = arguments.first == subcommand ? Array(arguments.dropFirst()) : arguments
        guard let specPath = rest.first else { return 2 }
        let paths = TaskStatePaths(directory: FilePaths.parent(of: specPath))
        guard let text = FileInput.text(atPath: specPath),
              let spec = try? JSONDecoder().decode(TaskSupervisorSpec.self, from: Data(text.utf8)) else {
            report(paths, failure: .failed, "The task supervisor could not read its spec file \(specPath).")
            return 2
        }
        switch launch(spec) {
        case .failure(let error):
            report(paths, failure: error.kind, error.message)
            return 1
        case .success(let launched):
            var started = TaskStartedRecord(pid: launched.pid, pgid: launched.pid, startTime: launched.startTime)
            started.cgroupPath = launched.cgroupPath
            started.warnings = launched.warnings.isEmpty ? nil : launched.warnings
            guard let bytes = TaskFiles.encodeJSON(started), TaskFiles.overwriteReserved(paths.started, bytes) else {
                // The plugin never learns of a task whose start it cannot read, so nobody would stop it.
                _ = waitForTask(launched, killFirst: true)
                return 3
            }
            let record = waitForTask(launched, killFirst: false)
            if let bytes = TaskFiles.encodeJSON(record) { TaskFiles.overwriteReserved(paths.exit, bytes) }
            return 0
        }
    }

    private struct Launched {
        var pid: pid_t
        var startTime: UInt64
        var cgroupPath: String?
        var warnings: [String]
        /// The stdout and stderr copiers (nil for a stream that goes to /dev/null).
        var relays: [OpaquePointer?]
    }

    private static func launch(_ spec: TaskSupervisorSpec) -> Result<Launched, TaskError> {
        let req = spec.request
        let executable = spec.executable
        let workDir = spec.workDirectory
        var user: UserAccount?
        if geteuid() == 0 && !req.user.isEmpty {
            guard let account = UserAccount.lookup(req.user) else { return .failure(TaskUserError.unknown(req.user)) }
            user = account
        }
        // Opening a FIFO for writing blocks until logmon has the read end; that wait happens here,
        // never in the plugin.
        var relays: [OpaquePointer?] = []
        var taskFDs: [Int32] = []
        defer { for fd in taskFDs where fd >= 0 { close(fd) } }
        for (path, name) in [(req.stdoutPath, "stdout"), (req.stderrPath, "stderr")] {
            switch openRelay(path, name) {
            case .success(let (relay, fd)):
                relays.append(relay)
                taskFDs.append(fd)
            case .failure(let e):
                relays.forEach { sd_log_relay_free($0) }
                return .failure(e)
            }
        }

        var warnings: [String] = []
        var cgroup: String?
        var home = CgroupSupport.currentPath()
        var nomadCgroups: NomadCgroupPlan.Entered?
        if let plan = spec.nomadCgroups {
            // Nomad's cgroups; its client removes them when the task is gone.
            let entered = plan.enter()
            warnings += entered.warnings
            nomadCgroups = entered
            cgroup = plan.unified
            home = nil
        } else if let path = spec.cgroupPath {
            if let w = CgroupSupport.create(path, memoryMax: req.memoryLimitBytes, cpuShares: req.cpuShares),
               CgroupSupport.join(path) {
                // The child inherits the cgroup at fork, so it is confined before its first instruction.
                cgroup = path
                warnings += w
            } else {
                warnings.append("The task's cgroup could not be set up, so its resource limits are not enforced.")
            }
        }
        var options = SpawnOptions(
            path: executable, arguments: [req.settings.command] + req.settings.args,
            environment: SpawnOptions.environment(req.env),
            workDirectory: workDir)
        options.stdoutFD = taskFDs[0]
        options.stderrFD = taskFDs[1]
        options.newProcessGroup = true
        options.user = user
        options.networkNamespace = req.networkNamespace
        let result = ProcessSpawner.spawn(options)
        if let nomadCgroups { warnings += NomadCgroupPlan.leave(nomadCgroups) }
        if cgroup != nil, let home, !CgroupSupport.join(home) {
            // Staying inside would let cgroup.kill or the OOM killer take the supervisor with the task.
            warnings.append("The task supervisor could not leave the task's cgroup.")
        }
        switch result {
        case .failure(let f):
            relays.forEach { sd_log_relay_free($0) }
            if let cgroup, nomadCgroups == nil { rmdir(cgroup) }
            let message = switch f.kind {
            case .workDirectory: "The task could not enter its working directory \(workDir): \(errnoDescription(f.code))."
            case .networkNamespace:
                "The task could not join its network namespace \(req.networkNamespace ?? ""): \(f.stage) failed: \(errnoDescription(f.code))."
            default: "The task could not be started: \(f.stage) failed for \(executable): \(errnoDescription(f.code))."
            }
            return .failure(TaskError(f.taskErrorKind, message))
        case .success(let pid):
            let startTime = ProcStat.read(pid: pid)?.startTime ?? 0
            return .success(Launched(pid: pid, startTime: startTime, cgroupPath: cgroup, warnings: warnings, relays: relays))
        }
    }

    /// Opens a log path for writing and puts a relay in front of it: the task gets the relay's
    /// pipe. An empty or missing path means /dev/null (no relay, fd -1 for sd_spawn).
    private static func openRelay(_ path: String, _ name: String) -> Result<(OpaquePointer?, Int32), TaskError> {
        guard !path.isEmpty, access(path, F_OK) == 0 else { return .success((nil, -1)) }
        var sink: Int32
        repeat {
            sink = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC)
        } while sink < 0 && errno == EINTR
        guard sink >= 0 else {
            return .failure(TaskError(.failed, "The task's \(name) path \(path) could not be opened: \(errnoDescription(errno))."))
        }
        var taskFD: Int32 = -1
        guard let relay = sd_log_relay_new(path, sink, &taskFD) else {
            let err = errno
            close(sink)
            return .failure(TaskError(.transient, "The task's \(name) pipe could not be created: \(errnoDescription(err))."))
        }
        return .success((relay, taskFD))
    }

    /// Copies the task's output until it exits, then sweeps its process group and cgroup, hands
    /// the last output to logmon and reaps it. `killFirst` ends the task at once instead.
    private static func waitForTask(_ launched: Launched, killFirst: Bool) -> TaskExitRecord {
        if killFirst { kill(-launched.pid, SIGKILL) }
        // Learn of the exit without reaping: while the leader is a zombie its pid, and so the process
        // group id, cannot be reused, which makes sweeping the leftover group members safe.
        let relays = launched.relays
        let copied = relays.withUnsafeBufferPointer { sd_log_relay_run(launched.pid, $0.baseAddress, Int32($0.count)) }
        if copied != 0 {
            var info = siginfo_t()
            while waitid(P_PID, id_t(launched.pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        }
        kill(-launched.pid, SIGKILL)
        var oom = false
        if let cgroup = launched.cgroupPath {
            oom = CgroupSupport.oomKilled(cgroup)
            CgroupSupport.signalAll(cgroup, SIGKILL)
        }
        // The exit record is written after this, so a WaitTask caller finds all the output in the log.
        relays.withUnsafeBufferPointer { sd_log_relay_drain($0.baseAddress, Int32($0.count), 250, 2000) }
        relays.forEach { sd_log_relay_free($0) }
        var status: Int32 = 0
        while waitpid(launched.pid, &status, 0) < 0 && errno == EINTR {}
        let termSignal = status & 0x7f
        let exitCode: Int32 = termSignal == 0 ? (status >> 8) & 0xff : 128 + termSignal
        return TaskExitRecord(exitCode: exitCode, signal: termSignal, oomKilled: oom, finishedAt: Date().timeIntervalSince1970)
    }

    private static func report(_ paths: TaskStatePaths, failure kind: TaskError.Kind, _ message: String) {
        let record = TaskStartedRecord(failure: .init(kind: kind.rawValue, message: message))
        if let bytes = TaskFiles.encodeJSON(record) { TaskFiles.overwriteReserved(paths.started, bytes) }
    }
}
