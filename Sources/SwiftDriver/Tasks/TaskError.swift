/// Why a task operation failed. `message` is one readable sentence; `kind` tells the gRPC layer
/// how to map it (e.g. `.invalidConfig` → non-recoverable StartTask, `.transient` → recoverable).
public struct TaskError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// No task with that id is known.
        case notFound
        /// The task's configuration cannot work (bad command, user, work dir); retrying won't help.
        case invalidConfig
        /// A temporary failure (fork EAGAIN, start timeout); a retry may succeed.
        case transient
        /// A task with that id already exists.
        case alreadyExists
        /// The task is still running and the operation needs it stopped (destroy without force).
        case stillRunning
        /// An argument is not acceptable (unknown signal name, unreadable driver state).
        case invalidArgument
        /// The node lacks a resource the task needs (its disk is full); another node may have it.
        case resourceExhausted
        /// Anything else; the message says what.
        case failed
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// The error for a task `user` the node does not know.
enum TaskUserError {
    static func unknown(_ name: String) -> TaskError {
        TaskError(.invalidConfig, "The task user \"\(name)\" does not exist on this node.")
    }
}
