import Glibc

extension SpawnFailure {
    /// The exec error for a failed spawn of `command` in `workDir` as `user`.
    func execError(command: String, workDir: String, user: String?) -> ExecError {
        switch kind {
        case .exec where code == ENOENT: .commandNotFound(command)
        case .exec where code == EACCES || code == EPERM: .permissionDenied(command)
        case .exec where code == ENOEXEC: .notAProgram(command)
        case .workDirectory: .workDirUnavailable(path: workDir, reason: reason)
        case .userSwitch: .userSwitchFailed(user: user ?? "", reason: reason)
        case .resourcesExhausted: .resourcesExhausted(reason: reason)
        case .exec, .networkNamespace, .cgroup, .other: .spawnFailed(command: command, step: stage, reason: reason)
        }
    }
}

extension CommandLookup.Failure {
    /// The exec error for a command the lookup did not find.
    func execError(command: String) -> ExecError {
        switch self {
        case .empty: .emptyCommand
        case .containsNUL, .missing, .notFound(sawNonExecutable: false): .commandNotFound(command)
        case .notExecutable, .notFound(sawNonExecutable: true): .permissionDenied(command)
        }
    }
}
