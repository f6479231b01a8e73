import FoundationEssentials
import Glibc
import SystemSupport

/// The files a task's supervisor and the plugin share, in `<taskDir>/.nomad-driver-swift/<id>/`.
/// One directory per task id, because a restarted task gets a new id but keeps its task dir.
struct TaskStatePaths: Sendable, Equatable {
    var directory: String

    init(taskDir: String, taskID: String) {
        directory = taskDir + "/.nomad-driver-swift/" + Self.slug(taskID)
    }

    init(directory: String) { self.directory = directory }

    var spec: String { directory + "/spec.json" }
    var started: String { directory + "/started.json" }
    var exit: String { directory + "/exit.json" }

    /// Bytes reserved for the started record (warnings make it the larger one) and the exit record.
    static let startedReservation = 4096
    static let exitReservation = 512

    /// Writes placeholders for the started and exit records while there is space, so the
    /// supervisor can still report the task's start and exit when the disk has filled up since.
    /// Returns 0 or an errno value.
    func reserveRecords() -> Int32 {
        let err = TaskFiles.reserve(started, size: Self.startedReservation)
        return err != 0 ? err : TaskFiles.reserve(exit, size: Self.exitReservation)
    }

    /// Removes this task's files, and the shared parent once no other task of the task dir uses it.
    func remove() {
        TaskFiles.removeTree(directory)
        rmdir(FilePaths.parent(of: directory))
    }

    /// A file-name-safe form of a task id (`alloc/task/abcd1234` → `alloc_task_abcd1234`).
    static func slug(_ id: String) -> String {
        let safe = id.unicodeScalars.map { c -> Character in
            switch c {
            case "a"..."z", "A"..."Z", "0"..."9", "-", ".": Character(c)
            default: "_"
            }
        }
        let s = String(safe)
        return s.isEmpty || s == "." || s == ".." ? "_" + s : s
    }
}

/// What the plugin hands the supervisor (as a JSON file whose path is its argument).
struct TaskSupervisorSpec: Codable, Sendable {
    var request: TaskLaunchRequest
    var stateDirectory: String
    /// The cgroup v2 directory to create for the task, or nil to run without one.
    var cgroupPath: String?
    /// The cgroups Nomad made for the task (Nomad 1.7+); when set, `cgroupPath` is not used.
    var nomadCgroups: NomadCgroupPlan?
    /// The program the plugin resolved and logged: the supervisor runs exactly this file.
    var executable: String
    /// The working directory the plugin resolved from `work_dir`.
    var workDirectory: String
}

/// Written by the supervisor once the task runs (or could not be started).
struct TaskStartedRecord: Codable, Sendable {
    struct Failure: Codable, Sendable {
        var kind: String
        var message: String
    }
    var pid: Int32?
    var pgid: Int32?
    var startTime: UInt64?
    /// The cgroup the task runs in, when one could be set up.
    var cgroupPath: String?
    /// Warnings for the TaskEvents stream (e.g. limits not applied).
    var warnings: [String]?
    var failure: Failure?
}

/// Written by the supervisor when the task has ended, over the placeholder reserved at start
/// (see `TaskFiles.overwriteReserved`); older supervisors wrote it atomically, which reads the same.
struct TaskExitRecord: Codable, Sendable {
    var exitCode: Int32
    var signal: Int32
    var oomKilled: Bool
    /// Seconds since 1970.
    var finishedAt: Double

    var taskExit: TaskExit { TaskExit(exitCode: exitCode, signal: signal, oomKilled: oomKilled) }
    var finishedDate: Date { Date(timeIntervalSince1970: finishedAt) }

    /// The record, or nil while there is none: no file, the placeholder, or a record cut short by
    /// a write in progress (none of which decodes), so callers look again later.
    static func read(_ path: String) -> TaskExitRecord? {
        guard let text = FileInput.text(atPath: path) else { return nil }
        return try? JSONDecoder().decode(TaskExitRecord.self, from: Data(text.utf8))
    }
}
