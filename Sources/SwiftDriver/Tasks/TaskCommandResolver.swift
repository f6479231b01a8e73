import FoundationEssentials
import Glibc

/// Finds the program and working directory a task config names.
///
/// The lookup is `CommandLookup`'s, with the task dir's `local/` (where artifacts and templates
/// land) and then the task dir itself as the base directories, the way Nomad's own drivers do.
enum TaskCommandResolver {
    /// The absolute path of the program to run, or a config error that says where it looked.
    static func resolve(_ command: String, taskDir: String, pathVariable: String?) -> Result<String, TaskError> {
        CommandLookup.find(command, in: [taskDir + "/local", taskDir], pathVariable: pathVariable).mapError { failure in
            switch failure {
            case .empty: TaskError(.invalidConfig, "The task config has an empty \"command\".")
            case .containsNUL: TaskError(.invalidConfig, "The task config's \"command\" contains a NUL byte.")
            case .missing(let candidate):
                TaskError(.invalidConfig, "The command \"\(command)\" does not exist (looked at \(candidate)).")
            case .notExecutable: TaskError(.invalidConfig, "The command \"\(command)\" is not an executable file.")
            case .notFound:
                TaskError(.invalidConfig, "The command \"\(command)\" was not found in the task directory (local/ or its top) or in the absolute entries of PATH.")
            }
        }
    }

    /// The working directory's path: `work_dir` (relative ones against the task dir) or the task dir.
    static func workDirectoryPath(_ settings: TaskSettings, taskDir: String) -> String {
        guard let wd = settings.workDir, !wd.isEmpty else { return taskDir }
        return wd.hasPrefix("/") ? wd : taskDir + "/" + wd
    }

    /// `workDirectoryPath`, which must be an existing directory.
    static func workDirectory(_ settings: TaskSettings, taskDir: String) -> Result<String, TaskError> {
        let dir = workDirectoryPath(settings, taskDir: taskDir)
        guard FilePaths.isDirectory(dir) else {
            let wd = settings.workDir ?? dir
            return .failure(TaskError(.invalidConfig, "The work_dir \"\(wd)\" is not an existing directory."))
        }
        return .success(dir)
    }
}
