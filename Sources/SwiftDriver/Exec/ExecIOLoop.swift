import CProcessSpawn
import Glibc

/// The poll loop of one exec session, run on its own thread. It owns every descriptor it is
/// given and closes each exactly once before it returns; it is the only producer of the
/// session's events, so `.exited` is always last.
struct ExecIOLoop: Sendable {
    /// After the child exits, how long to wait for output pipes still held open by a
    /// background grandchild before closing them anyway.
    static let drainGraceMilliseconds: Int64 = 1000
    static let readChunk = 64 * 1024

    let control: ExecProcessControl
    let continuation: AsyncStream<ExecOutputEvent>.Continuation
    let wakeReadFd: Int32
    /// Pipe read ends, or the pty master as `stdoutFd` with `stderrFd` -1.
    let stdoutFd: Int32
    let stderrFd: Int32
    /// Pipe write end; -1 for no stdin. With a tty, stdin is the master (`stdoutFd`).
    let stdinFd: Int32
    let tty: Bool

    func run() {
        sd_block_sigpipe_in_thread()
        var state = LoopState(stdout: stdoutFd, stderr: stderrFd >= 0 ? stderrFd : nil,
                              stdin: tty ? nil : (stdinFd >= 0 ? stdinFd : nil))
        if stderrFd < 0 { continuation.yield(.stderrClosed) }
        var buffer = [UInt8](repeating: 0, count: Self.readChunk)
        var exitSeenAt: UInt64?

        while true {
            applyCommands(&state)
            flushStdin(&state)

            if exitSeenAt == nil, control.exitStatus != nil { exitSeenAt = ProcFiles.monotonicNanos() }
            let outputsOpen = state.stdout != nil || state.stderr != nil
            if !outputsOpen && exitSeenAt != nil { break }
            var timeout: Int32 = -1
            if let exitSeenAt {
                let waited = Int64((ProcFiles.monotonicNanos() &- exitSeenAt) / 1_000_000)
                let left = Self.drainGraceMilliseconds - waited
                if left <= 0 {
                    closeOutputs(&state)
                    break
                }
                timeout = Int32(left)
            }

            var fds = [pollfd(fd: wakeReadFd, events: Int16(POLLIN), revents: 0)]
            if let fd = state.stdout { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            if let fd = state.stderr { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            let writeFd = tty ? state.stdout : state.stdin
            if state.pendingInput, let fd = writeFd {
                if tty, let index = fds.firstIndex(where: { $0.fd == fd }) {
                    fds[index].events |= Int16(POLLOUT)
                } else {
                    fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0))
                }
            }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 { continue }

            for entry in fds where entry.revents != 0 {
                if entry.fd == wakeReadFd {
                    drainWakePipe()
                    continue
                }
                let readable = entry.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0
                if readable, entry.fd == state.stdout {
                    if !read(entry.fd, into: &buffer, as: { .stdout($0) }) { closeStdout(&state) }
                } else if readable, entry.fd == state.stderr {
                    if !read(entry.fd, into: &buffer, as: { .stderr($0) }) { closeStderr(&state) }
                } else if entry.fd == state.stdin, entry.revents & Int16(POLLERR | POLLHUP) != 0 {
                    // The child closed its stdin: nothing more can be delivered.
                    state.dropInput()
                    closeStdin(&state)
                }
            }
        }

        closeStdin(&state)
        closeOutputs(&state)
        if let master = state.parkedMaster { close(master) }
        control.closeWakePipe()
        close(wakeReadFd)
        let status = control.exitStatus ?? (-1, 0)
        continuation.yield(.exited(code: status.code, signal: status.signal))
        continuation.finish()
    }

    /// Reads once; returns false at end of file (for a pty master, EIO once every slave
    /// descriptor is closed).
    private func read(_ fd: Int32, into buffer: inout [UInt8], as event: ([UInt8]) -> ExecOutputEvent) -> Bool {
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                continuation.yield(event(Array(buffer[0..<count])))
                return true
            }
            if count == 0 { return false }
            switch errno {
            case EINTR: continue
            case EAGAIN: return true
            default: return false
            }
        }
    }

    private func applyCommands(_ state: inout LoopState) {
        for command in control.takeCommands() {
            switch command {
            case .stdin(let bytes):
                if !state.stdinClosing { state.input.append(contentsOf: bytes) }
            case .closeStdin:
                if !state.stdinClosing {
                    state.stdinClosing = true
                    // A terminal has no separate input stream to close: send the EOF character.
                    if tty { state.input.append(0x04) }
                }
            case .resize(let height, let width):
                if tty, let fd = state.stdout { _ = sd_set_winsize(fd, height, width) }
            }
        }
    }

    private func flushStdin(_ state: inout LoopState) {
        let fd = tty ? state.stdout : state.stdin
        guard let fd else {
            state.dropInput()
            return
        }
        while state.pendingInput {
            let written = state.input.withUnsafeBytes { raw in
                write(fd, raw.baseAddress.map { $0 + state.inputOffset }, raw.count - state.inputOffset)
            }
            if written > 0 {
                state.inputOffset += written
                if state.inputOffset == state.input.count { state.dropInput() }
                continue
            }
            if written < 0 && errno == EINTR { continue }
            if written < 0 && errno == EAGAIN { return }
            // EPIPE or EIO: the reader is gone.
            sd_discard_pending_sigpipe()
            state.dropInput()
            if !tty { closeStdin(&state) }
            return
        }
        if state.stdinClosing && !tty { closeStdin(&state) }
    }

    private func closeStdout(_ state: inout LoopState) {
        guard let fd = state.stdout else { return }
        state.stdout = nil
        continuation.yield(.stdoutClosed)
        if tty {
            state.dropInput()
            // The master reports EOF as soon as the child closes its terminal descriptors,
            // which may be just before it exits; closing the master then would hang up the
            // terminal and kill the child with SIGHUP. Keep it until the child has exited.
            state.parkedMaster = fd
        } else {
            close(fd)
        }
    }

    private func closeStderr(_ state: inout LoopState) {
        guard let fd = state.stderr else { return }
        close(fd)
        state.stderr = nil
        continuation.yield(.stderrClosed)
    }

    private func closeStdin(_ state: inout LoopState) {
        guard let fd = state.stdin else { return }
        close(fd)
        state.stdin = nil
    }

    private func closeOutputs(_ state: inout LoopState) {
        closeStdout(&state)
        closeStderr(&state)
    }

    private func drainWakePipe() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ Glibc.read(wakeReadFd, $0.baseAddress, $0.count) }) > 0 {}
    }
}

/// The I/O thread's private bookkeeping: open descriptors (nil once closed) and stdin data
/// not yet accepted by the child.
struct LoopState {
    var stdout: Int32?
    var stderr: Int32?
    var stdin: Int32?
    var input: [UInt8] = []
    var inputOffset = 0
    var stdinClosing = false
    /// The pty master after its EOF, held open (and no longer polled) until the child exits.
    var parkedMaster: Int32?

    var pendingInput: Bool { inputOffset < input.count }

    mutating func dropInput() {
        input.removeAll(keepingCapacity: true)
        inputOffset = 0
    }
}
