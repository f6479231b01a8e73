import Glibc

/// Finds the program a task or an exec session runs, before anything is spawned, so a missing
/// command is reported as such rather than as an execve failure.
///
/// The policy, the same for tasks and exec sessions:
/// - an absolute command is used as written;
/// - a relative command is looked up in the caller's base directories, in order (a task passes its
///   `local/` then the task dir, an exec session its working directory), never in the plugin's own
///   working directory, which is whatever Nomad's happens to be;
/// - a bare name not found there is then looked up in the absolute entries of PATH (the default
///   PATH when it is unset or empty); relative and empty PATH entries are skipped, since they would
///   name a different directory for every process that reads them;
/// - a command containing a NUL byte is refused: execve would run a truncated name.
enum CommandLookup {
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Why no program was found; callers turn it into their own error sentences.
    enum Failure: Error, Equatable {
        case empty
        case containsNUL
        /// A command with a slash: the candidate that was checked is missing.
        case missing(candidate: String)
        /// A command with a slash: the candidate exists but is not an executable file.
        case notExecutable(candidate: String)
        /// A bare name found nowhere executable; `sawNonExecutable` when some match was not.
        case notFound(sawNonExecutable: Bool)
    }

    /// The absolute path to hand to execve.
    static func find(_ command: String, in baseDirectories: [String], pathVariable: String?) -> Result<String, Failure> {
        guard !command.isEmpty else { return .failure(.empty) }
        guard !command.utf8.contains(0) else { return .failure(.containsNUL) }
        if command.hasPrefix("/") { return check(command) }
        let inBases = baseDirectories.map { $0 + "/" + command }
        if command.contains("/") {
            if let found = inBases.first(where: { status($0) == .executable }) { return .success(found) }
            // Report the first existing candidate's problem (not executable beats missing).
            let existing = inBases.first { status($0) != .missing } ?? inBases.last ?? command
            return check(existing)
        }
        var sawNonExecutable = false
        let path = pathVariable.flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
        let pathCandidates = path.split(separator: ":").filter { $0.hasPrefix("/") }.map { $0 + "/" + command }
        for candidate in inBases + pathCandidates {
            switch status(candidate) {
            case .executable: return .success(candidate)
            case .notExecutable: sawNonExecutable = true
            case .missing: continue
            }
        }
        return .failure(.notFound(sawNonExecutable: sawNonExecutable))
    }

    private enum Status { case executable, notExecutable, missing }

    private static func check(_ candidate: String) -> Result<String, Failure> {
        switch status(candidate) {
        case .executable: .success(candidate)
        case .notExecutable: .failure(.notExecutable(candidate: candidate))
        case .missing: .failure(.missing(candidate: candidate))
        }
    }

    private static func status(_ path: String) -> Status {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .notExecutable }
        return access(path, X_OK) == 0 ? .executable : .notExecutable
    }
}
