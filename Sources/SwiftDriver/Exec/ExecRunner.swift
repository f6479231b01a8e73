import Glibc
import Synchronization

/// Runs a command to completion in a task's context (`ExecTask`, e.g. script checks).
public enum ExecRunner {
    /// Each of stdout and stderr keeps at most this many bytes (4 MiB); the rest is read and
    /// discarded so the command never blocks on a full pipe.
    public static let outputLimit = 4 * 1024 * 1024

    /// Runs `command` with stdin on /dev/null. On timeout (a non-positive timeout means none)
    /// or when the calling task is cancelled, the command's whole process group is killed;
    /// cancellation then throws `ExecError.cancelled`.
    public static func run(command: [String], context: ExecContext, timeout: Duration) async throws(ExecError) -> ExecOutput {
        let session = try ExecSession.launch(command: command, context: context, tty: false, terminalSize: nil, stdin: false)
        let timedOut = Atomic<Bool>(false)
        let timer: Task<Void, Never>? = timeout > .zero ? Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            // Only a kill that happened counts: the command may have just finished by itself.
            if session.terminate(signal: SIGKILL) { timedOut.store(true, ordering: .sequentiallyConsistent) }
        } : nil
        defer { timer?.cancel() }

        var output = ExecOutput()
        var finished = false
        await withTaskCancellationHandler {
            for await event in session.outputs {
                switch event {
                case .stdout(let bytes):
                    append(bytes, to: &output.stdout, truncated: &output.stdoutTruncated)
                case .stderr(let bytes):
                    append(bytes, to: &output.stderr, truncated: &output.stderrTruncated)
                case .exited(let code, let signal):
                    output.exitCode = code
                    output.signal = signal
                    finished = true
                case .stdoutClosed, .stderrClosed:
                    break
                }
            }
        } onCancel: {
            session.terminate(signal: SIGKILL)
        }
        // A cancelled consumer stops iterating before `.exited` arrives.
        guard finished else { throw .cancelled }
        output.timedOut = timedOut.load(ordering: .sequentiallyConsistent)
        return output
    }

    private static func append(_ bytes: [UInt8], to buffer: inout [UInt8], truncated: inout Bool) {
        let room = outputLimit - buffer.count
        if bytes.count <= room {
            buffer.append(contentsOf: bytes)
        } else {
            buffer.append(contentsOf: bytes.prefix(max(0, room)))
            truncated = true
        }
    }
}
