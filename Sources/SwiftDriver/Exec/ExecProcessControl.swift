import CProcessSpawn
import Glibc
import Locking

/// Requests from the session's callers to its I/O thread.
enum ExecCommand: Sendable {
    case stdin([UInt8])
    case closeStdin
    case resize(height: UInt16, width: UInt16)
}

/// State shared between an `ExecSession`'s callers, its I/O thread and its waiter thread.
///
/// The child is reaped under the same lock `terminate` takes, after `waitid(WNOWAIT)` saw it
/// exit, so a signal is never sent to a pid that was reaped and possibly reused.
final class ExecProcessControl: Sendable {
    struct State {
        var exited = false
        var status: (code: Int32, signal: Int32)?
        var commands: [ExecCommand] = []
        /// Write end of the I/O thread's wake pipe; nil once the I/O thread has finished.
        var wakeFd: Int32?
    }

    let pid: pid_t
    private let state: Mutex<State>

    init(pid: pid_t, wakeFd: Int32) {
        self.pid = pid
        self.state = Mutex(State(wakeFd: wakeFd))
    }

    func enqueue(_ command: ExecCommand) {
        state.withLock { state in
            guard let fd = state.wakeFd else { return }
            state.commands.append(command)
            Self.wake(fd)
        }
    }

    func takeCommands() -> [ExecCommand] {
        state.withLock { state in
            defer { state.commands.removeAll() }
            return state.commands
        }
    }

    /// Signals the child's process group (it leads its own session), or nothing once reaped.
    /// Returns whether a signal was sent.
    @discardableResult
    func terminate(signal: Int32) -> Bool {
        state.withLock { state in
            guard !state.exited else { return false }
            if kill(-pid, signal) == 0 { return true }
            return kill(pid, signal) == 0
        }
    }

    var exitStatus: (code: Int32, signal: Int32)? {
        state.withLock { $0.status }
    }

    /// Blocks the calling (waiter) thread until the child ends, then reaps it.
    func waitAndReap() {
        let waited = sd_wait_exited_nowait(pid)
        state.withLock { state in
            var code: Int32 = 0
            var signal: Int32 = 0
            if waited == 0, sd_reap(pid, &code, &signal) == 0 {
                state.status = signal != 0 ? (128 + signal, signal) : (code, 0)
            } else {
                // Someone else reaped our child; its status is lost.
                state.status = (-1, 0)
            }
            state.exited = true
            if let fd = state.wakeFd { Self.wake(fd) }
        }
    }

    /// Called by the I/O thread as it ends: no more wake-ups, and the pipe's write end closes.
    func closeWakePipe() {
        state.withLock { state in
            if let fd = state.wakeFd { close(fd) }
            state.wakeFd = nil
            state.commands.removeAll()
        }
    }

    private static func wake(_ fd: Int32) {
        var byte: UInt8 = 1
        // Non-blocking: a full pipe already means a wake-up is pending.
        _ = write(fd, &byte, 1)
    }
}
