import CProcessSpawn
import Glibc
import SystemSupport

/// The descriptors of one exec: the child's ends (closed in the parent right after spawn)
/// and the parent's ends (handed to the I/O loop). Everything is created close-on-exec so a
/// concurrent spawn elsewhere in the plugin never inherits them; -1 means "none".
struct ExecDescriptors {
    var childStdin: Int32 = -1
    var childStdout: Int32 = -1
    var childStderr: Int32 = -1
    var parentStdin: Int32 = -1
    var parentStdout: Int32 = -1
    var parentStderr: Int32 = -1
    var wakeRead: Int32 = -1
    var wakeWrite: Int32 = -1

    static func make(tty: Bool, stdin: Bool, terminalSize: (UInt16, UInt16)?) throws(ExecError) -> ExecDescriptors {
        var fds = ExecDescriptors()
        do throws(ExecError) {
            (fds.wakeRead, fds.wakeWrite) = try pipe()
            try nonBlocking(fds.wakeRead)
            try nonBlocking(fds.wakeWrite)
            if tty {
                var master: Int32 = -1, slave: Int32 = -1
                let size = terminalSize ?? (0, 0)
                let status = sd_open_pty(&master, &slave, size.0, size.1)
                guard status == 0 else { throw failure("opening a pseudo-terminal", status) }
                fds.parentStdout = master
                fds.childStdin = slave
                fds.childStdout = slave
                fds.childStderr = slave
                try nonBlocking(master)
            } else {
                if stdin {
                    (fds.childStdin, fds.parentStdin) = try pipe()
                    try nonBlocking(fds.parentStdin)
                }
                (fds.parentStdout, fds.childStdout) = try pipe()
                (fds.parentStderr, fds.childStderr) = try pipe()
                try nonBlocking(fds.parentStdout)
                try nonBlocking(fds.parentStderr)
            }
        } catch {
            fds.closeAll()
            throw error
        }
        return fds
    }

    /// After a successful spawn the child holds its own copies.
    mutating func closeChildEnds() {
        // With a tty all three are the same slave descriptor: close it once.
        for fd in Set([childStdin, childStdout, childStderr]) where fd >= 0 { close(fd) }
        childStdin = -1
        childStdout = -1
        childStderr = -1
    }

    mutating func closeParentEndsExceptWakeWrite() {
        for fd in [parentStdin, parentStdout, parentStderr, wakeRead] where fd >= 0 { close(fd) }
        parentStdin = -1
        parentStdout = -1
        parentStderr = -1
        wakeRead = -1
    }

    mutating func closeParentEnds() {
        closeParentEndsExceptWakeWrite()
        if wakeWrite >= 0 { close(wakeWrite) }
        wakeWrite = -1
    }

    mutating func closeAll() {
        closeChildEnds()
        closeParentEnds()
    }

    private static func pipe() throws(ExecError) -> (Int32, Int32) {
        var pair: [Int32] = [-1, -1]
        let status = sd_pipe_cloexec(&pair)
        guard status == 0 else { throw failure("creating a pipe", status) }
        return (pair[0], pair[1])
    }

    private static func nonBlocking(_ fd: Int32) throws(ExecError) {
        let status = sd_set_nonblocking(fd, 1)
        guard status == 0 else { throw failure("configuring a descriptor", status) }
    }

    private static func failure(_ step: String, _ code: Int32) -> ExecError {
        if isResourceErrno(code) { return .resourcesExhausted(reason: "\(step): \(errnoDescription(code))") }
        return .ioSetupFailed(reason: "\(step): \(errnoDescription(code))")
    }
}
