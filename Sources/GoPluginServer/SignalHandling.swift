import Glibc

/// Process-wide signal dispositions of a go-plugin server.
///
/// SIGINT is ignored because the agent's Ctrl-C reaches its whole process group and the host
/// stops plugins itself; SIGPIPE is ignored so a vanished peer is an error, not a death;
/// SIGTERM asks for the same graceful stop as `GRPCController/Shutdown`.
///
/// The SIGTERM handler is installed synchronously, before the handshake line is printed, so a
/// SIGTERM that arrives right after the handshake is never lost (an asynchronously armed signal
/// source would leave a window in which the signal is ignored). The handler only writes a byte
/// to a pipe; a dedicated thread turns that into a stop request.
enum SignalHandling {
    /// Write end of the wake-up pipe; written only by the signal handler (async-signal-safe).
    nonisolated(unsafe) private static var wakeDescriptor: Int32 = -1

    static func install(stop: StopSignal) {
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        wakeDescriptor = fds[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = write(SignalHandling.wakeDescriptor, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGTERM, &action, nil)
        // The signal mask survives exec and every thread inherits its creator's: a parent that
        // starts the plugin with SIGTERM blocked would otherwise leave it blocked in all threads.
        // Unblocked here, this thread and the wake-up thread below can take it.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)

        let box = Unmanaged.passRetained(WakeBox(readDescriptor: fds[0], stop: stop))
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<WakeBox>.fromOpaque(raw!).takeRetainedValue()
            var byte: UInt8 = 0
            while true {
                let count = read(box.readDescriptor, &byte, 1)
                if count == 1 { break }
                if count < 0 && errno == EINTR { continue }
                return nil
            }
            box.stop.trigger(reason: "the plugin received SIGTERM")
            return nil
        }, box.toOpaque())
        if created == 0 {
            pthread_detach(thread)
        } else {
            box.release()
        }
    }
}

/// What the SIGTERM thread needs.
private final class WakeBox: Sendable {
    let readDescriptor: Int32
    let stop: StopSignal

    init(readDescriptor: Int32, stop: StopSignal) {
        self.readDescriptor = readDescriptor
        self.stop = stop
    }
}
