import CProcessSpawn
import Glibc
import SystemSupport

/// What to start through `sd_spawn`: the one description tasks, the task supervisor and exec
/// sessions share.
struct SpawnOptions {
    var path: String
    var arguments: [String]
    var environment: [String]
    var workDirectory: String?
    var stdinFD: Int32 = -1
    var stdoutFD: Int32 = -1
    var stderrFD: Int32 = -1
    var newSession = false
    var newProcessGroup = false
    var controllingTerminal = false
    var user: UserAccount?
    var resetSignals = true
    /// A network namespace to run in (`/var/run/netns/<name>`, `/proc/<pid>/ns/net`): Nomad's
    /// group network for `network { mode = "bridge" }`. nil keeps the parent's.
    var networkNamespace: String?
    /// cgroup directories the child joins before exec (a task's, for an exec session into it);
    /// one that no longer exists is skipped.
    var cgroups: [String] = []

    /// `KEY=value` strings in a stable order, so a task's environment is the same at every start.
    static func environment(_ variables: [String: String]) -> [String] {
        variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}

/// A failed spawn: the errno and the step that failed ("fork", "execve", "chdir", ...).
struct SpawnFailure: Error, Equatable {
    var code: Int32
    var stage: String

    /// How the failure should be treated; the one classification behind `TaskError` and `ExecError`.
    enum Kind: Equatable {
        /// The host is short of processes, descriptors or memory right now; a retry may work.
        case resourcesExhausted
        /// The program could not be executed (missing, not permitted, not a program).
        case exec
        /// The working directory could not be entered.
        case workDirectory
        /// Switching to the task user failed.
        case userSwitch
        /// The network namespace could not be opened or joined.
        case networkNamespace
        /// A cgroup could not be joined.
        case cgroup
        case other
    }

    var kind: Kind {
        switch stage {
        case "execve": .exec
        case "chdir": .workDirectory
        case "setgroups", "setgid", "setuid": .userSwitch
        case "open(netns)", "setns": .networkNamespace
        case "open(cgroup.procs)", "cgroup": .cgroup
        default: isResourceErrno(code) ? .resourcesExhausted : .other
        }
    }

    var reason: String { errnoDescription(code) }
}

/// Starts processes through `sd_spawn`, with the C strings it needs built and freed here.
enum ProcessSpawner {
    static func spawn(_ o: SpawnOptions) -> Result<pid_t, SpawnFailure> {
        var netnsFD: Int32 = -1
        if let namespace = o.networkNamespace {
            netnsFD = open(namespace, O_RDONLY | O_CLOEXEC)
            guard netnsFD >= 0 else { return .failure(SpawnFailure(code: errno, stage: "open(netns)")) }
        }
        defer { if netnsFD >= 0 { close(netnsFD) } }
        var cgroupFDs: [Int32] = []
        defer { cgroupFDs.forEach { close($0) } }
        for directory in o.cgroups {
            let fd = open(directory + "/cgroup.procs", O_WRONLY | O_CLOEXEC)
            if fd >= 0 {
                cgroupFDs.append(fd)
            } else if errno != ENOENT {
                return .failure(SpawnFailure(code: errno, stage: "open(cgroup.procs)"))
            }
        }
        let argv = CStringArray(o.arguments)
        let envp = CStringArray(o.environment)
        defer { argv.free(); envp.free() }
        let groups = o.user?.groups ?? []
        return cgroupFDs.withUnsafeBufferPointer { cgroupBuffer in o.path.withCString { path in
            withOptionalCString(o.workDirectory) { workDir in
                groups.withUnsafeBufferPointer { groupBuffer in
                    var attrs = sd_spawn_attrs()
                    attrs.path = path
                    attrs.argv = UnsafePointer(argv.pointer)
                    attrs.envp = UnsafePointer(envp.pointer)
                    attrs.work_dir = workDir
                    attrs.stdin_fd = o.stdinFD
                    attrs.stdout_fd = o.stdoutFD
                    attrs.stderr_fd = o.stderrFD
                    attrs.new_session = o.newSession ? 1 : 0
                    attrs.new_process_group = o.newProcessGroup ? 1 : 0
                    attrs.controlling_tty = o.controllingTerminal ? 1 : 0
                    attrs.reset_signals = o.resetSignals ? 1 : 0
                    attrs.netns_fd = netnsFD
                    attrs.cgroup_fds = cgroupBuffer.baseAddress
                    attrs.ncgroup_fds = Int32(cgroupBuffer.count)
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
                        return .failure(SpawnFailure(code: rc, stage: stage.map { String(cString: $0) } ?? "spawn"))
                    }
                    return .success(pid)
                }
            }
        } }
    }

    private static func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard let s else { return body(nil) }
        return s.withCString { body($0) }
    }
}

/// A NULL-terminated `char *const *` built from Swift strings; freed explicitly, once.
private struct CStringArray {
    let pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointer = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { pointer[index] = strdup(string) }
        pointer[strings.count] = nil
    }

    func free() {
        for index in 0..<count { Glibc.free(pointer[index]) }
        pointer.deallocate()
    }
}
