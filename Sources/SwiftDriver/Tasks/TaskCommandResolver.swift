import FoundationEssentials
import Glibc

/// Finds the program and working directory a task config names.
enum TaskCommandResolver {
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// An absolute command is used as is; one with a slash is relative to the task dir; a bare name
    /// is looked up in the task dir, then in the task's PATH (the system default when unset).
    static func resolve(_ command: String, taskDir: String, pathVariable: String?) -> Result<String, TaskError> {
        guard !command.isEmpty else {
            return .failure(TaskError(.invalidConfig, "The task config has an empty \"command\"."))
        }
        if command.hasPrefix("/") { return checkExecutable(command, as: command) }
        let inTaskDir = taskDir + "/" + command
        if command.contains("/") { return checkExecutable(inTaskDir, as: command) }
        if isExecutableFile(inTaskDir) { return .success(inTaskDir) }
        let path = pathVariable.flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = (dir.hasPrefix("/") ? String(dir) : taskDir + "/" + dir) + "/" + command
            if isExecutableFile(candidate) { return .success(candidate) }
        }
        return .failure(TaskError(.invalidConfig, "The command \"\(command)\" was not found in the task directory or in PATH."))
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
