import CProcessSpawn
import FoundationEssentials
import Glibc

/// Swift-side arguments for `sd_spawn`.
struct TaskSpawnOptions {
    var path: String
    var arguments: [String]
    var environment: [String]
    var workDirectory: String?
    var stdinFD: Int32 = -1
    var stdoutFD: Int32 = -1
    var stderrFD: Int32 = -1
    var newSession = false
    var newProcessGroup = false
    var user: UserAccount?
    var resetSignals = true
}

/// A failed spawn: the errno and the step that failed ("fork", "execve", "chdir", ...).
struct TaskSpawnFailure: Error {
    var code: Int32
    var stage: String

    /// Sorts the failure the way Nomad's restart logic needs it.
    var kind: TaskError.Kind {
        switch (stage, code) {
        case ("fork", EAGAIN), ("fork", ENOMEM), ("pipe", EMFILE), ("pipe", ENFILE): .transient
        case ("execve", _), ("chdir", _), ("setuid", EPERM), ("setgid", EPERM): .invalidConfig
        default: .failed
        }
    }
}

enum TaskSpawner {
    static func spawn(_ o: TaskSpawnOptions) -> Result<pid_t, TaskSpawnFailure> {
        let argv = TaskCStringArray(o.arguments)
        let envp = TaskCStringArray(o.environment)
        defer { argv.free(); envp.free() }
        let groups = o.user?.groups ?? []
        return o.path.withCString { path in
            withOptionalCString(o.workDirectory) { workDir in
                groups.withUnsafeBufferPointer { groupBuffer in
                    var attrs = sd_spawn_attrs()
                    attrs.path = path
                    attrs.argv = UnsafePointer(argv.pointers)
                    attrs.envp = UnsafePointer(envp.pointers)
                    attrs.work_dir = workDir
                    attrs.stdin_fd = o.stdinFD
                    attrs.stdout_fd = o.stdoutFD
                    attrs.stderr_fd = o.stderrFD
                    attrs.new_session = o.newSession ? 1 : 0
                    attrs.new_process_group = o.newProcessGroup ? 1 : 0
                    attrs.reset_signals = o.resetSignals ? 1 : 0
                    if let user = o.user {
                        attrs.switch_user = 1
                        attrs.uid = user.uid
                        attrs.gid = user.gid
                        attrs.groups = groupBuffer.baseAddress
                        attrs.ngroups = Int32(groupBuffer.count)
                    }
                    var pid: pid_t = 0
                    var stage: UnsafePointer<CChar>? = nil
                    let rc = sd_spawn(&attrs, &pid, &stage)
                    guard rc == 0 else {
                        return .failure(TaskSpawnFailure(code: rc, stage: stage.map { String(cString: $0) } ?? "spawn"))
                    }
                    return .success(pid)
                }
            }
        }
    }

    private static func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard let s else { return body(nil) }
        return s.withCString { body($0) }
    }
}

/// A NULL-terminated array of C strings, freed explicitly.
private struct TaskCStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    init(_ strings: [String]) {
        pointers = .allocate(capacity: strings.count + 1)
        for (i, s) in strings.enumerated() { pointers[i] = strdup(s) }
        pointers[strings.count] = nil
    }

    func free() {
        var i = 0
        while let p = pointers[i] { Glibc.free(p); i += 1 }
        pointers.deallocate()
    }
}
