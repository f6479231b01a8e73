import CProcessSpawn
import Glibc
import SystemSupport

/// An interactive command in a task's context (`ExecTaskStreaming`, `nomad alloc exec`).
///
/// The command leads a new session and process group. Without a tty it gets three pipes;
/// with one, a pseudo-terminal becomes its controlling terminal and stdin, stdout and stderr,
/// so all output arrives as `.stdout`. Two threads serve each session: one polls the
/// descriptors, one waits for this child only (never `waitpid(-1)`). `outputs` ends with
/// `.exited`; if its consumer cancels or drops it before then, the command is killed.
/// Output is buffered without bound while the consumer lags.
public final class ExecSession: Sendable {
    public let pid: Int32
    public let outputs: AsyncStream<ExecOutputEvent>
    private let control: ExecProcessControl

    private init(pid: Int32, outputs: AsyncStream<ExecOutputEvent>, control: ExecProcessControl) {
        self.pid = pid
        self.outputs = outputs
        self.control = control
    }

    /// Starts `command` (argv; `command[0]` is searched in the context's PATH).
    public static func start(
        command: [String], context: ExecContext, tty: Bool, terminalSize: (height: Int, width: Int)? = nil
    ) throws(ExecError) -> ExecSession {
        try launch(command: command, context: context, tty: tty, terminalSize: terminalSize, stdin: true)
    }

    /// Queues bytes for the command's stdin; ignored after `closeStdin` or once it ended.
    public func write(stdin bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        control.enqueue(.stdin(bytes))
    }

    /// Closes stdin after queued bytes are delivered. With a tty, sends the terminal's EOF
    /// character (Ctrl-D) instead, as the pty is also the output channel.
    public func closeStdin() {
        control.enqueue(.closeStdin)
    }

    /// Sets the terminal window size (rows × columns); ignored without a tty.
    public func resize(height: Int, width: Int) {
        control.enqueue(.resize(height: Self.clampDimension(height), width: Self.clampDimension(width)))
    }

    /// Sends `signal` (default SIGKILL) to the command's process group, unless the command
    /// was already reaped. Returns whether a signal was sent.
    @discardableResult
    public func terminate(signal: Int32 = SIGKILL) -> Bool {
        control.terminate(signal: signal)
    }

    static func launch(
        command: [String], context: ExecContext, tty: Bool, terminalSize: (height: Int, width: Int)?, stdin: Bool
    ) throws(ExecError) -> ExecSession {
        guard let name = command.first else { throw .emptyCommand }
        let workDir = context.effectiveWorkDir
        let path = try CommandLookup.find(name, in: [workDir], pathVariable: context.env["PATH"])
            .mapError { $0.execError(command: name) }.get()
        var user: UserAccount?
        if let wanted = context.user, !wanted.isEmpty, geteuid() == 0 {
            guard let account = UserAccount.lookup(wanted) else { throw .unknownUser(wanted) }
            user = account
        }

        var fds = try ExecDescriptors.make(tty: tty, stdin: stdin, terminalSize: terminalSize.map {
            (Self.clampDimension($0.height), Self.clampDimension($0.width))
        })
        var options = SpawnOptions(
            path: path, arguments: command, environment: SpawnOptions.environment(context.env), workDirectory: workDir)
        options.stdinFD = fds.childStdin
        options.stdoutFD = fds.childStdout
        options.stderrFD = fds.childStderr
        // A session of its own, so the command leads a process group terminate() can signal.
        options.newSession = true
        options.newProcessGroup = true
        options.controllingTerminal = tty
        options.user = user
        options.networkNamespace = context.networkNamespace
        options.cgroups = context.cgroups
        let pid: pid_t
        switch ProcessSpawner.spawn(options) {
        case .success(let spawned): pid = spawned
        case .failure(let failure):
            fds.closeAll()
            throw failure.execError(command: name, workDir: workDir, user: user?.name)
        }
        fds.closeChildEnds()

        let control = ExecProcessControl(pid: pid, wakeFd: fds.wakeWrite)
        let (stream, continuation) = AsyncStream.makeStream(of: ExecOutputEvent.self)
        continuation.onTermination = { reason in
            if case .cancelled = reason { _ = control.terminate(signal: SIGKILL) }
        }
        let loop = ExecIOLoop(
            control: control, continuation: continuation, wakeReadFd: fds.wakeRead,
            stdoutFd: fds.parentStdout, stderrFd: fds.parentStderr, stdinFd: fds.parentStdin, tty: tty
        )
        let waiterStatus = DetachedThread.start { control.waitAndReap() }
        if waiterStatus != 0 {
            // Without a waiter nobody would reap the child: kill and reap it here.
            kill(-pid, SIGKILL)
            var code: Int32 = 0, signal: Int32 = 0
            _ = sd_reap(pid, &code, &signal)
            fds.closeParentEnds()
            continuation.finish()
            throw .resourcesExhausted(reason: errnoDescription(waiterStatus))
        }
        let loopStatus = DetachedThread.start { loop.run() }
        if loopStatus != 0 {
            // The waiter reaps the child and the loop is not running: close its descriptors here.
            control.terminate(signal: SIGKILL)
            control.closeWakePipe()
            fds.closeParentEndsExceptWakeWrite()
            continuation.finish()
            throw .resourcesExhausted(reason: errnoDescription(loopStatus))
        }
        return ExecSession(pid: pid, outputs: stream, control: control)
    }

    static func clampDimension(_ value: Int) -> UInt16 {
        UInt16(clamping: max(0, value))
    }
}
