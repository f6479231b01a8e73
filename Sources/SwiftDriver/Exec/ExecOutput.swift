/// The result of a non-interactive exec (`ExecTask`).
public struct ExecOutput: Sendable, Equatable {
    /// At most `ExecRunner.outputLimit` bytes; see `stdoutTruncated`.
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    /// The exit status, or 128 + signal when the command was killed by a signal.
    public var exitCode: Int32
    /// The terminating signal, 0 when the command exited by itself.
    public var signal: Int32
    /// The timeout expired and the command's process group was killed.
    public var timedOut: Bool
    public var stdoutTruncated: Bool
    public var stderrTruncated: Bool

    public init(stdout: [UInt8] = [], stderr: [UInt8] = [], exitCode: Int32 = 0, signal: Int32 = 0,
                timedOut: Bool = false, stdoutTruncated: Bool = false, stderrTruncated: Bool = false) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.stdoutTruncated = stdoutTruncated
        self.stderrTruncated = stderrTruncated
    }
}

/// What an interactive exec session reports, in order: output chunks, each stream's close,
/// then exactly one `.exited` as the last event.
public enum ExecOutputEvent: Sendable, Equatable {
    case stdout([UInt8])
    case stderr([UInt8])
    case stdoutClosed
    case stderrClosed
    /// `code` is the exit status, or 128 + signal when killed by `signal` (0 otherwise).
    case exited(code: Int32, signal: Int32)
}
