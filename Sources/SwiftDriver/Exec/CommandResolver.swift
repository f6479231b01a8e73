import Glibc

/// Turns `command[0]` into the path given to execve, searching the task's PATH the way a
/// shell does, so a missing command is reported before anything is spawned.
enum CommandResolver {
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// - Returns: the path for execve. A name with a slash is returned unchanged; a relative
    ///   one is resolved by execve after the child's chdir into `workDir`.
    static func resolve(_ name: String, path: String?, workDir: String) throws(ExecError) -> String {
        guard !name.isEmpty else { throw .emptyCommand }
        if name.contains("/") {
            let full = name.hasPrefix("/") ? name : workDir + "/" + name
            switch check(full) {
            case .executable: return name
            case .notExecutable: throw .permissionDenied(name)
            case .missing: throw .commandNotFound(name)
            }
        }
        var sawNonExecutable = false
        for dir in (path ?? defaultPath).split(separator: ":", omittingEmptySubsequences: false) {
            // An empty PATH entry means the current (working) directory.
            let base = dir.isEmpty ? workDir : (dir.hasPrefix("/") ? String(dir) : workDir + "/" + dir)
            let candidate = base + "/" + name
            switch check(candidate) {
            case .executable: return candidate
            case .notExecutable: sawNonExecutable = true
            case .missing: continue
            }
        }
        throw sawNonExecutable ? .permissionDenied(name) : .commandNotFound(name)
    }

    private enum Status { case executable, notExecutable, missing }

    private static func check(_ path: String) -> Status {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .notExecutable }
        return access(path, X_OK) == 0 ? .executable : .notExecutable
    }
}
