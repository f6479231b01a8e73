import Glibc

/// Why an exec could not start, as one sentence fit for `nomad alloc exec` output.
public enum ExecError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyCommand
    case commandNotFound(String)
    case permissionDenied(String)
    /// The file exists and may be executed but is not a program (no `#!` line, wrong format).
    case notAProgram(String)
    case unknownUser(String)
    case workDirUnavailable(path: String, reason: String)
    case userSwitchFailed(user: String, reason: String)
    /// Transient: the host is out of processes, descriptors or memory right now.
    case resourcesExhausted(reason: String)
    case ioSetupFailed(reason: String)
    case spawnFailed(command: String, step: String, reason: String)
    /// The caller was cancelled before the command finished; the command was killed.
    case cancelled

    public var description: String {
        switch self {
        case .emptyCommand:
            return "The exec command is empty."
        case .commandNotFound(let command):
            return "Command \"\(command)\" was not found in the task's PATH or working directory."
        case .permissionDenied(let command):
            return "Permission denied running \"\(command)\" (is it executable and reachable by the task user?)."
        case .notAProgram(let command):
            return "\"\(command)\" is not a program this host can run (exec format error)."
        case .unknownUser(let user):
            return "User \"\(user)\" does not exist on this host."
        case .workDirUnavailable(let path, let reason):
            return "The working directory \"\(path)\" cannot be used: \(reason)."
        case .userSwitchFailed(let user, let reason):
            return "Switching to user \"\(user)\" failed: \(reason)."
        case .resourcesExhausted(let reason):
            return "The command could not be started for lack of resources: \(reason)."
        case .ioSetupFailed(let reason):
            return "Setting up the command's input and output failed: \(reason)."
        case .spawnFailed(let command, let step, let reason):
            return "Starting \"\(command)\" failed at \(step): \(reason)."
        case .cancelled:
            return "The exec was cancelled before the command finished, so the command was killed."
        }
    }
}
