import FoundationEssentials
import Glibc

/// The hidden `supervise` subcommand: runs one task on behalf of the plugin, in its own session so
/// it outlives the plugin. It holds nothing but the task: logs go straight from the task to
/// logmon's FIFOs, and the outcome is written to the started and exit files the plugin reads.
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
        guard let text = TaskFiles.readSmallFile(specPath),
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
            if let bytes = TaskFiles.encodeJSON(started) { _ = TaskFiles.writeFileAtomically(paths.started, bytes) }
            let record = waitForTask(launched)
            if let bytes = TaskFiles.encodeJSON(record) { _ = TaskFiles.writeFileAtomically(paths.exit, bytes) }
            return 0
        }
    }

    private struct Launched {
        var pid: pid_t
        var startTime: UInt64
        var cgroupPath: String?
        var warnings: [String]
    }

    private static func launch(_ spec: TaskSupervisorSpec) -> Result<Launched, TaskError> {
        let req = spec.request
        let executable: String
        let workDir: String
        switch TaskCommandResolver.resolve(req.settings.command, taskDir: req.taskDir, pathVariable: req.env["PATH"]) {
        case .success(let p): executable = p
        case .failure(let e): return .failure(e)
        }
        switch TaskCommandResolver.workDirectory(req.settings, taskDir: req.taskDir) {
        case .success(let d): workDir = d
        case .failure(let e): return .failure(e)
        }
        var user: UserAccount?
        if geteuid() == 0 && !req.user.isEmpty {
            guard let account = UserAccount.lookup(req.user) else { return .failure(TaskUserError.unknown(req.user)) }
            user = account
        }
        // Opening a FIFO for writing blocks until logmon has the read end; that wait happens here,
        // never in the plugin.
        let stdoutFD: Int32
        let stderrFD: Int32
        switch openLog(req.stdoutPath, "stdout") {
        case .success(let fd): stdoutFD = fd
        case .failure(let e): return .failure(e)
        }
        switch openLog(req.stderrPath, "stderr") {
        case .success(let fd): stderrFD = fd
        case .failure(let e):
            if stdoutFD >= 0 { close(stdoutFD) }
            return .failure(e)
        }
        defer {
            if stdoutFD >= 0 { close(stdoutFD) }
            if stderrFD >= 0 { close(stderrFD) }
        }

        var warnings: [String] = []
        var cgroup: String?
        let home = CgroupSupport.currentPath()
        if let path = spec.cgroupPath {
            if let w = CgroupSupport.create(path, memoryMax: req.memoryLimitBytes, cpuShares: req.cpuShares),
               CgroupSupport.join(path) {
                // The child inherits the cgroup at fork, so it is confined before its first instruction.
                cgroup = path
                warnings += w
            } else {
                warnings.append("The task's cgroup could not be set up, so its resource limits are not enforced.")
            }
        }
        let env = req.env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var options = TaskSpawnOptions(
            path: executable, arguments: [req.settings.command] + req.settings.args, environment: env,
            workDirectory: workDir)
        options.stdoutFD = stdoutFD
        options.stderrFD = stderrFD
        options.newProcessGroup = true
        options.user = user
        let result = TaskSpawner.spawn(options)
        if cgroup != nil, let home, !CgroupSupport.join(home) {
            // Staying inside would let cgroup.kill or the OOM killer take the supervisor with the task.
            warnings.append("The task supervisor could not leave the task's cgroup.")
        }
        switch result {
        case .failure(let f):
            if let cgroup { rmdir(cgroup) }
            let message = f.stage == "chdir"
                ? "The task could not enter its working directory \(workDir): \(TaskFiles.errnoText(f.code))."
                : "The task could not be started: \(f.stage) failed for \(executable): \(TaskFiles.errnoText(f.code))."
            return .failure(TaskError(f.kind, message))
        case .success(let pid):
            let startTime = ProcStat.read(pid: pid)?.startTime ?? 0
            return .success(Launched(pid: pid, startTime: startTime, cgroupPath: cgroup, warnings: warnings))
        }
    }

    /// Opens a log path for writing; an empty or missing path means /dev/null (fd -1 for sd_spawn).
    private static func openLog(_ path: String, _ name: String) -> Result<Int32, TaskError> {
        guard !path.isEmpty, access(path, F_OK) == 0 else { return .success(-1) }
        while true {
            let fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC)
            if fd >= 0 { return .success(fd) }
            if errno == EINTR { continue }
            return .failure(TaskError(.failed, "The task's \(name) path \(path) could not be opened: \(TaskFiles.errnoText(errno))."))
        }
    }

    private static func waitForTask(_ launched: Launched) -> TaskExitRecord {
        // Learn of the exit without reaping: while the leader is a zombie its pid, and so the process
        // group id, cannot be reused, which makes sweeping the leftover group members safe.
        var info = siginfo_t()
        while waitid(P_PID, id_t(launched.pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        kill(-launched.pid, SIGKILL)
        var oom = false
        if let cgroup = launched.cgroupPath {
            oom = CgroupSupport.oomKilled(cgroup)
            CgroupSupport.signalAll(cgroup, SIGKILL)
        }
        var status: Int32 = 0
        while waitpid(launched.pid, &status, 0) < 0 && errno == EINTR {}
        let termSignal = status & 0x7f
        let exitCode: Int32 = termSignal == 0 ? (status >> 8) & 0xff : 128 + termSignal
        return TaskExitRecord(exitCode: exitCode, signal: termSignal, oomKilled: oom, finishedAt: Date().timeIntervalSince1970)
    }

    private static func report(_ paths: TaskStatePaths, failure kind: TaskError.Kind, _ message: String) {
        let record = TaskStartedRecord(failure: .init(kind: kind.rawValue, message: message))
        if let bytes = TaskFiles.encodeJSON(record) { _ = TaskFiles.writeFileAtomically(paths.started, bytes) }
    }
}
