import GRPCCoreServer
import GoPluginServer
import PluginProto

/// `ExecTaskStreaming` (`nomad alloc exec`): the first request names the task and command;
/// later ones carry stdin, terminal resizes or heartbeats. Output streams back as it comes,
/// and the call ends with an `exited` message carrying the exit result.
struct ExecStreamingHandler: Sendable {
    let runtime: DriverRuntime

    func run(requests: RequestStream, writer: ResponseWriter) async throws {
        var iterator = requests.makeAsyncIterator()
        guard let first = try await iterator.next() else { return }
        let opening: ExecTaskStreamingRequest = try WireRequest.decode(first)
        guard let setup = opening.setup, !setup.command.isEmpty else {
            throw GRPCStatus(.invalidArgument, "the first exec message must name the task and a command")
        }
        let context = try await ExecContextLookup.context(for: setup.taskID, store: runtime.store)
        let size = opening.ttySize.map { (height: Int($0.height), width: Int($0.width)) }
        let session: ExecSession
        do throws(ExecError) {
            session = try ExecSession.start(command: setup.command, context: context, tty: setup.tty, terminalSize: size)
        } catch {
            throw StatusMapping.status(for: error)
        }
        runtime.logger.debug("exec session started", metadata: ["task_id": "\(setup.taskID)", "tty": "\(setup.tty)"])

        // Input runs beside output; when the output side finishes, the input side is cancelled.
        let input = Task { [iterator] in
            var iterator = iterator
            while let bytes = try? await iterator.next() {
                guard let request = try? ExecTaskStreamingRequest(wireBytes: bytes) else { continue }
                if let size = request.ttySize { session.resize(height: Int(size.height), width: Int(size.width)) }
                if let stdin = request.stdin {
                    session.write(stdin: stdin.data)
                    if stdin.close { session.closeStdin() }
                }
            }
        }
        defer { input.cancel() }
        do {
            for await event in session.outputs {
                switch event {
                case .stdout(let data):
                    try await writer.send(ExecTaskStreamingResponse(stdout: ExecIOOperation(data: data)).wireBytes())
                case .stderr(let data):
                    try await writer.send(ExecTaskStreamingResponse(stderr: ExecIOOperation(data: data)).wireBytes())
                case .stdoutClosed:
                    try await writer.send(ExecTaskStreamingResponse(stdout: ExecIOOperation(close: true)).wireBytes())
                case .stderrClosed:
                    try await writer.send(ExecTaskStreamingResponse(stderr: ExecIOOperation(close: true)).wireBytes())
                case .exited(let code, let signal):
                    try await writer.send(ExecTaskStreamingResponse.exited(ExitResult(exitCode: code, signal: signal)).wireBytes())
                    return
                }
            }
        } catch {
            session.terminate()
            throw error
        }
        session.terminate()
    }
}
