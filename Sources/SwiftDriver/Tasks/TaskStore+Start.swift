import FoundationEssentials
import Glibc
import Logging
import SystemSupport

extension TaskStore {
    /// Launches a task through a new supervisor and returns once the task runs.
    /// Never blocks a thread: the supervisor opens the log FIFOs, and this only polls its files.
    public func start(_ req: TaskLaunchRequest) async throws(TaskError) -> StartedTask {
        guard records[req.id] == nil, !starting.contains(req.id) else {
            throw TaskError(.alreadyExists, "A task with id \(req.id) already exists.")
        }
        starting.insert(req.id)
        defer { starting.remove(req.id) }
        let (resolved, warnings) = try preflight(req)

        let paths = TaskStatePaths(taskDir: req.taskDir, taskID: req.id)
        TaskFiles.removeTree(paths.directory)
        let nomadCgroups = req.nomadCgroup.flatMap { path -> NomadCgroupPlan? in
            let plan = NomadCgroupPlan.plan(
                cpusetCgroup: path, allocID: req.allocID, taskName: req.name,
                limits: .init(memoryHardBytes: req.memoryLimitBytes, memoryReservedBytes: req.memoryReservationBytes,
                              cpuShares: req.cpuShares, cpusetCPUs: req.cpusetCPUs ?? ""),
                hierarchy: .current())
            // Nomad before 1.3 knows only cgroup v1 and names v1 paths on a v2-only host, for every
            // task: one log line says so, rather than a warning on every task's events.
            if plan == nil, !loggedForeignNomadCgroup {
                loggedForeignNomadCgroup = true
                logger.info("Nomad's task cgroups are under no cgroup mount of this host (Nomad before 1.3 on a cgroup v2 host); tasks get the driver's own cgroups", metadata: ["nomad_cgroup": "\(path)"])
            }
            return plan
        }
        let cgroup = nomadCgroups == nil && CgroupSupport.isAvailable ? CgroupSupport.path(forTaskID: req.id) : nil
        var spec = TaskSupervisorSpec(
            request: req, stateDirectory: paths.directory, cgroupPath: cgroup,
            executable: resolved.executable, workDirectory: resolved.workDirectory)
        spec.nomadCgroups = nomadCgroups
        try writeStateFiles(paths, spec)

        var options = SpawnOptions(
            path: supervisorExecutable, arguments: [supervisorExecutable, TaskSupervisor.subcommand, paths.spec],
            environment: ["PATH=" + CommandLookup.defaultPath], workDirectory: "/")
        options.newSession = true
        let supervisorPID: pid_t
        switch ProcessSpawner.spawn(options) {
        case .success(let pid): supervisorPID = pid
        case .failure(let f):
            paths.remove()
            throw TaskError(f.taskErrorKind == .transient ? .transient : .failed,
                            "The task supervisor could not be started: \(f.stage) failed: \(errnoDescription(f.code)).")
        }
        var watch = TaskSupervisorWatch(
            supervisorPID: supervisorPID, supervisorStartTime: ProcStat.read(pid: supervisorPID)?.startTime ?? 0,
            isChild: true, exitPath: paths.exit, taskPID: 0, taskStartTime: 0, cgroupPath: nomadCgroups?.unified ?? cgroup)

        let started = try await awaitStarted(paths, &watch)
        guard let pid = started.pid, let startTime = started.startTime else {
            throw TaskError(.failed, "The task supervisor wrote an incomplete start record.")
        }
        watch.taskPID = pid
        watch.taskStartTime = startTime
        watch.cgroupPath = started.cgroupPath
        let state = DriverState(
            taskID: req.id, supervisorPID: supervisorPID, supervisorStartTime: watch.supervisorStartTime,
            taskPID: pid, taskPGID: started.pgid ?? pid, taskStartTime: startTime, exitFilePath: paths.exit,
            stateDirectory: paths.directory, cgroupPath: started.cgroupPath,
            cgroupDirectories: nomadCgroups?.join ?? started.cgroupPath.map { [$0] }, startedAt: Date(), request: req)
        records[req.id] = Record(state: state, watch: watch)
        startMonitor(req.id, watch)
        for warning in warnings + (started.warnings ?? []) { emit(state, warning) }
        logger.debug("task started", metadata: ["task_id": "\(req.id)", "pid": "\(pid)", "supervisor_pid": "\(supervisorPID)"])
        return StartedTask(driverState: state.encode(), pid: pid, startedAt: state.startedAt, executable: resolved.executable)
    }

    /// Writes the supervisor's spec and reserves its record files: the last writes a task needs
    /// disk space for, so a full disk fails the start here, with a clear error.
    private func writeStateFiles(_ paths: TaskStatePaths, _ spec: TaskSupervisorSpec) throws(TaskError) {
        guard let specBytes = TaskFiles.encodeJSON(spec) else {
            throw TaskError(.failed, "The task's launch spec could not be encoded.")
        }
        var err = TaskFiles.makeDirectoriesReportingErrno(paths.directory)
        if err == 0 { err = TaskFiles.writeAtomically(paths.spec, specBytes) }
        if err == 0 { err = paths.reserveRecords() }
        guard err != 0 else { return }
        paths.remove()
        if err == ENOSPC || err == EDQUOT {
            throw TaskError(.resourceExhausted, "The disk holding \(paths.directory) is full (\(errnoDescription(err))), so the driver could not write the task's state files.")
        }
        throw TaskError(.failed, "The driver could not write its state files in \(paths.directory): \(errnoDescription(err)).")
    }

    /// Checks what can be checked before spawning, for early and clear config errors; resolves
    /// the program and working directory once, here, so what is logged is what the supervisor runs.
    private func preflight(_ req: TaskLaunchRequest) throws(TaskError)
        -> (resolved: (executable: String, workDirectory: String), warnings: [String])
    {
        guard FilePaths.isDirectory(req.taskDir) else {
            throw TaskError(.invalidConfig, "The task directory \(req.taskDir) does not exist.")
        }
        let resolved = (
            executable: try TaskCommandResolver.resolve(req.settings.command, taskDir: req.taskDir, pathVariable: req.env["PATH"]).get(),
            workDirectory: try TaskCommandResolver.workDirectory(req.settings, taskDir: req.taskDir).get())
        var warnings: [String] = []
        var account: UserAccount?
        if !req.user.isEmpty {
            if geteuid() != 0 {
                warnings.append("The task user \"\(req.user)\" is ignored because the driver does not run as root.")
            } else {
                guard UserAccount.exists(req.user) else { throw TaskUserError.unknown(req.user) }
                // The whole account (groups too) only when a reservation's directory is handed over.
                if req.diskReservation != nil { account = UserAccount.lookup(req.user) }
            }
        }
        if let grant = req.diskReservation {
            try DiskReservationHandover.prepare(grant, for: account, allocDirectory: FilePaths.parent(of: req.taskDir))
        }
        return (resolved, warnings)
    }

    /// Polls for the supervisor's start record until it appears, the supervisor dies, or the timeout.
    private func awaitStarted(_ paths: TaskStatePaths, _ watch: inout TaskSupervisorWatch) async throws(TaskError) -> TaskStartedRecord {
        let clock = ContinuousClock()
        let deadline = clock.now + startTimeout
        var delay = Duration.milliseconds(2)
        while true {
            let gone = watch.supervisorGone()
            if let text = FileInput.text(atPath: paths.started),
               let record = try? JSONDecoder().decode(TaskStartedRecord.self, from: Data(text.utf8)) {
                guard let failure = record.failure else { return record }
                await reapSupervisor(&watch)
                paths.remove()
                throw TaskError(TaskError.Kind(rawValue: failure.kind) ?? .failed, failure.message)
            }
            if gone {
                paths.remove()
                throw TaskError(.failed, "The task supervisor exited before it started the task.")
            }
            if clock.now >= deadline {
                kill(-watch.supervisorPID, SIGKILL)
                await reapSupervisor(&watch)
                paths.remove()
                throw TaskError(.transient, "The task did not start within \(startTimeout); its supervisor may be waiting for the log FIFOs to be read.")
            }
            // Short polls while a start is likely (the supervisor's exec and startup take tens of
            // milliseconds), longer ones while it waits for a slow FIFO reader.
            try? await Task.sleep(for: delay)
            if clock.now - deadline + startTimeout > .seconds(1) { delay = .milliseconds(50) }
        }
    }

    /// Waits for a supervisor that is about to exit; kills it if it lingers.
    private func reapSupervisor(_ watch: inout TaskSupervisorWatch) async {
        for attempt in 0..<400 {
            if watch.supervisorGone() { return }
            if attempt == 200 { kill(-watch.supervisorPID, SIGKILL) }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Watches one task until its exit is known and its supervisor (if our child) is reaped.
    /// Holds the store weakly: a dropped store stops watching (a new one re-attaches via recover),
    /// but a supervisor that is our child is still reaped so it never lingers as a zombie.
    func startMonitor(_ id: String, _ initial: TaskSupervisorWatch) {
        Task.detached { [weak self] in
            var watch = initial
            var delay = Duration.milliseconds(5)
            var delivered = false
            let since = ContinuousClock.now
            while true {
                if self == nil {
                    if !watch.isChild || watch.supervisorGone() { return }
                } else if case .exited(let exit, let at) = watch.probe() {
                    if !delivered {
                        delivered = true
                        await self?.finish(id, exit, at)
                    }
                    if !watch.isChild || watch.reaped { return }
                }
                try? await Task.sleep(for: delay)
                // Quick looks while short tasks are likely to end; a long runner costs few wake-ups
                // (StopTask reads the exit file itself, so only WaitTask sees this latency).
                let ceiling: Duration = ContinuousClock.now - since < .seconds(5) ? .milliseconds(50) : .milliseconds(200)
                delay = min(delay * 2, ceiling)
            }
        }
    }

    /// Records a task's exit and wakes every waiter.
    func finish(_ id: String, _ reported: TaskExit, _ at: Date) {
        guard var record = records[id], record.exit == nil else { return }
        var exit = reported
        if let reason = record.evictionReason {
            exit.errorText = reason
            if exit.exitCode == 0 { exit.exitCode = 1 }
        }
        record.exit = exit
        record.completedAt = at
        let waiters = record.waiters
        record.waiters = [:]
        records[id] = record
        for waiter in waiters.values { waiter.resume(returning: .success(exit)) }
        if reported.exitCode == -1, let text = reported.errorText { emit(record.state, text) }
        logger.debug("task exited", metadata: ["task_id": "\(id)", "exit_code": "\(exit.exitCode)", "signal": "\(exit.signal)"])
    }
}
