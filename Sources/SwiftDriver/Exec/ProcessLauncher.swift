import CProcessSpawn
import Glibc

/// One fork/exec through `sd_spawn`, with C strings managed and failures turned into
/// `ExecError`s.
struct ProcessLauncher {
    var path: String
    var arguments: [String]
    var environment: [String: String]
    var workDir: String
    var user: UserAccount?
    var stdinFd: Int32
    var stdoutFd: Int32
    var stderrFd: Int32
    var controllingTerminal: Bool

    /// Starts the child in a new session (so it leads its own process group) and returns its pid.
    func launch() throws(ExecError) -> pid_t {
        let argv = CStringArray(arguments)
        let envp = CStringArray(environment.map { "\($0.key)=\($0.value)" }.sorted())
        defer {
            argv.free()
            envp.free()
        }
        let groups = user?.groups ?? []
        var pid: pid_t = 0
        var stage: UnsafePointer<CChar>?
        let status: Int32 = path.withCString { cPath in
            workDir.withCString { cWorkDir in
                groups.withUnsafeBufferPointer { groupBuffer in
                    var attrs = sd_spawn_attrs()
                    attrs.path = cPath
                    attrs.argv = UnsafePointer(argv.pointer)
                    attrs.envp = UnsafePointer(envp.pointer)
                    attrs.work_dir = cWorkDir
                    attrs.stdin_fd = stdinFd
                    attrs.stdout_fd = stdoutFd
                    attrs.stderr_fd = stderrFd
                    attrs.new_session = 1
                    attrs.new_process_group = 1
                    attrs.controlling_tty = controllingTerminal ? 1 : 0
                    attrs.reset_signals = 1
                    if let user {
                        attrs.switch_user = 1
                        attrs.uid = user.uid
                        attrs.gid = user.gid
                        attrs.groups = groupBuffer.baseAddress
                        attrs.ngroups = Int32(groupBuffer.count)
                    }
                    return sd_spawn(&attrs, &pid, &stage)
                }
            }
        }
        guard status == 0 else {
            throw classify(errno: status, stage: stage.map { String(cString: $0) } ?? "spawn")
        }
        return pid
    }

    private func classify(errno code: Int32, stage: String) -> ExecError {
        let command = arguments.first ?? path
        let reason = errnoDescription(code)
        switch stage {
        case "execve" where code == ENOENT:
            return .commandNotFound(command)
        case "execve" where code == EACCES || code == EPERM:
            return .permissionDenied(command)
        case "execve" where code == ENOEXEC:
            return .notAProgram(command)
        case "chdir":
            return .workDirUnavailable(path: workDir, reason: reason)
        case "setgroups", "setgid", "setuid":
            return .userSwitchFailed(user: user?.name ?? "", reason: reason)
        default:
            if isResourceErrno(code) { return .resourcesExhausted(reason: reason) }
            return .spawnFailed(command: command, step: stage, reason: reason)
        }
    }
}

/// A NULL-terminated `char *const *` built from Swift strings; freed explicitly.
struct CStringArray {
    let pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointer = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() {
            pointer[index] = strdup(string)
        }
        pointer[strings.count] = nil
    }

    func free() {
        for index in 0..<count { Glibc.free(pointer[index]) }
        pointer.deallocate()
    }
}
