import FoundationEssentials
import Glibc

/// The `TaskHandle.driver_state` document: enough to find a task again after the plugin restarts.
/// JSON with a `version` field, so later versions can still read (or clearly reject) old handles.
public struct DriverState: Sendable, Codable, Equatable {
    public static let currentVersion = 1

    public var version: Int
    public var taskID: String
    public var supervisorPID: Int32
    /// `/proc/<pid>/stat` field 22 of the supervisor: guards against pid reuse.
    public var supervisorStartTime: UInt64
    public var taskPID: Int32
    public var taskPGID: Int32
    /// `/proc/<pid>/stat` field 22 of the task's main process.
    public var taskStartTime: UInt64
    /// Where the supervisor writes the exit status.
    public var exitFilePath: String
    /// The directory holding the supervisor's spec, started and exit files.
    public var stateDirectory: String
    /// The task's cgroup v2 directory, when limits are enforced.
    public var cgroupPath: String?
    /// Every cgroup the task was placed in (Nomad's, or the driver's own); exec sessions join
    /// them too. nil in handles written before it was recorded.
    public var cgroupDirectories: [String]?
    public var startedAt: Date
    /// The decoded task config and launch parameters.
    public var request: TaskLaunchRequest

    public init(
        taskID: String, supervisorPID: Int32, supervisorStartTime: UInt64, taskPID: Int32, taskPGID: Int32,
        taskStartTime: UInt64, exitFilePath: String, stateDirectory: String, cgroupPath: String?,
        cgroupDirectories: [String]? = nil, startedAt: Date, request: TaskLaunchRequest
    ) {
        version = Self.currentVersion
        self.taskID = taskID
        self.supervisorPID = supervisorPID
        self.supervisorStartTime = supervisorStartTime
        self.taskPID = taskPID
        self.taskPGID = taskPGID
        self.taskStartTime = taskStartTime
        self.exitFilePath = exitFilePath
        self.stateDirectory = stateDirectory
        self.cgroupPath = cgroupPath
        self.cgroupDirectories = cgroupDirectories
        self.startedAt = startedAt
        self.request = request
    }

    public func encode() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        // Encoding plain strings, numbers and dates cannot fail.
        return (try? encoder.encode(self)).map { Array($0) } ?? []
    }

    public static func decode(_ bytes: [UInt8]) throws(TaskError) -> DriverState {
        struct VersionProbe: Decodable { var version: Int? }
        let data = Data(bytes)
        guard !bytes.isEmpty else { throw TaskError(.invalidArgument, "The driver state is empty.") }
        guard let probe = try? JSONDecoder().decode(VersionProbe.self, from: data) else {
            throw TaskError(.invalidArgument, "The driver state is not a JSON object written by this driver.")
        }
        guard let version = probe.version else {
            throw TaskError(.invalidArgument, "The driver state has no version field.")
        }
        guard version == currentVersion else {
            throw TaskError(.invalidArgument, "The driver state has version \(version), but this driver reads version \(currentVersion).")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            return try decoder.decode(DriverState.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw TaskError(.invalidArgument, "The driver state is missing the field \"\(fieldPath(context.codingPath, key))\".")
        } catch let DecodingError.typeMismatch(_, context) {
            throw TaskError(.invalidArgument, "The driver state field \"\(fieldPath(context.codingPath, nil))\" has the wrong type.")
        } catch let DecodingError.valueNotFound(_, context) {
            throw TaskError(.invalidArgument, "The driver state field \"\(fieldPath(context.codingPath, nil))\" is null.")
        } catch {
            throw TaskError(.invalidArgument, "The driver state could not be decoded.")
        }
    }

    private static func fieldPath(_ path: [any CodingKey], _ last: (any CodingKey)?) -> String {
        (path + (last.map { [$0] } ?? [])).map(\.stringValue).joined(separator: ".")
    }
}
