import PluginProtoC

/// How a task or exec'd command ended (`ExitResult`).
public struct ExitResult: Sendable, Equatable {
    public var exitCode: Int32
    /// The signal that killed the process, or 0.
    public var signal: Int32
    public var oomKilled: Bool

    public init(exitCode: Int32 = 0, signal: Int32 = 0, oomKilled: Bool = false) {
        self.exitCode = exitCode
        self.signal = signal
        self.oomKilled = oomKilled
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CExitResult> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__exit_result__init)
        message.pointee.exit_code = exitCode
        message.pointee.signal = signal
        message.pointee.oom_killed = oomKilled ? 1 : 0
        return message
    }

    init(_ c: CExitResult) {
        self.init(exitCode: c.exit_code, signal: c.signal, oomKilled: c.oom_killed != 0)
    }
}

/// Task state as the driver reports it (`TaskState`).
public enum TaskState: Int32, Sendable, Equatable {
    case unknown = 0
    case running = 1
    case exited = 2

    init(_ c: CTaskState) {
        self = TaskState(rawValue: CRead.enumValue(c)) ?? .unknown
    }

    var c: CTaskState { CTaskState(rawValue: .init(truncatingIfNeeded: rawValue)) }
}
