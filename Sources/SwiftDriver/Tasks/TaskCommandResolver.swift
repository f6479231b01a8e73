import FoundationEssentials
import Glibc

/// Finds the program and working directory a task config names.
///
/// A relative command never depends on the plugin's own working directory (whatever Nomad's
/// happens to be): it is looked up in the task dir the way Nomad's own drivers do, `local/` first
/// (where artifacts and templates land), then the task dir itself; a bare name then falls back to
/// the absolute entries of the task's PATH. Relative PATH entries are skipped, since they would
/// name a different directory for every process that reads them.
enum TaskCommandResolver {
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The absolute path of the program to run, or a config error that says where it looked.
    static func resolve(_ command: String, taskDir: String, pathVariable: String?) -> Result<String, TaskError> {
        guard !command.isEmpty else {
            return .failure(TaskError(.invalidConfig, "The task config has an empty \"command\"."))
        }
        guard !command.utf8.contains(0) else {
            return .failure(TaskError(.invalidConfig, "The task config's \"command\" contains a NUL byte."))
        }
        if command.hasPrefix("/") { return checkExecutable(command, as: command) }
        let inTaskDir = [taskDir + "/local/" + command, taskDir + "/" + command]
        if command.contains("/") {
            // Report the first candidate's problem (missing vs not executable) when neither works.
            if let found = inTaskDir.first(where: isExecutableFile) { return .success(found) }
            let existing = inTaskDir.first { var st = stat(); return stat($0, &st) == 0 } ?? inTaskDir[1]
            return checkExecutable(existing, as: command)
        }
        if let found = inTaskDir.first(where: isExecutableFile) { return .success(found) }
        let path = pathVariable.flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
        for dir in path.split(separator: ":") where dir.hasPrefix("/") {
            let candidate = String(dir) + "/" + command
            if isExecutableFile(candidate) { return .success(candidate) }
        }
        return .failure(TaskError(.invalidConfig, "The command \"\(command)\" was not found in the task directory (local/ or its top) or in the absolute entries of PATH."))
    }

    /// The working directory: `work_dir` (relative ones against the task dir) or the task dir.
    static func workDirectory(_ settings: TaskSettings, taskDir: String) -> Result<String, TaskError> {
        guard let wd = settings.workDir, !wd.isEmpty else { return .success(taskDir) }
        let dir = wd.hasPrefix("/") ? wd : taskDir + "/" + wd
        guard FilePaths.isDirectory(dir) else {
            return .failure(TaskError(.invalidConfig, "The work_dir \"\(wd)\" is not an existing directory."))
        }
        return .success(dir)
    }

    private static func checkExecutable(_ path: String, as written: String) -> Result<String, TaskError> {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return .failure(TaskError(.invalidConfig, "The command \"\(written)\" does not exist (looked at \(path))."))
        }
        guard isExecutableFile(path) else {
            return .failure(TaskError(.invalidConfig, "The command \"\(written)\" is not an executable file."))
        }
        return .success(path)
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}
