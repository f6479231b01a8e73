import PluginProtoC

/// `ExecTaskStreamingRequest`. The first message carries `setup`; later ones carry stdin or a
/// terminal resize; a message with nothing set is the CLI's heartbeat.
public struct ExecTaskStreamingRequest: WireMessage, Equatable {
    /// `ExecTaskStreamingRequest.Setup`.
    public struct Setup: Sendable, Equatable {
        public var taskID: String
        public var command: [String]
        public var tty: Bool

        public init(taskID: String, command: [String], tty: Bool) {
            self.taskID = taskID
            self.command = command
            self.tty = tty
        }
    }

    /// `ExecTaskStreamingRequest.TerminalSize`.
    public struct TerminalSize: Sendable, Equatable {
        public var height: Int32
        public var width: Int32

        public init(height: Int32, width: Int32) {
            self.height = height
            self.width = width
        }
    }

    public var setup: Setup?
    public var ttySize: TerminalSize?
    public var stdin: ExecIOOperation?

    public init(setup: Setup? = nil, ttySize: TerminalSize? = nil, stdin: ExecIOOperation? = nil) {
        self.setup = setup
        self.ttySize = ttySize
        self.stdin = stdin
    }

    /// True for the empty keep-alive message.
    public var isHeartbeat: Bool { setup == nil && ttySize == nil && stdin == nil }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest",
            unpack: hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_request__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_request__free_unpacked
        ) { (c: CExecStreamingRequest) throws(WireDecodingError) in
            ExecTaskStreamingRequest(
                setup: c.setup.map {
                    Setup(
                        taskID: CRead.string($0.pointee.task_id),
                        command: CRead.strings($0.pointee.command, $0.pointee.n_command), tty: $0.pointee.tty != 0)
                },
                ttySize: c.tty_size.map { TerminalSize(height: $0.pointee.height, width: $0.pointee.width) },
                stdin: c.stdin.map { ExecIOOperation($0.pointee) })
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_request__init)
                if let setup {
                    let s = arena.message(hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_request__setup__init)
                    s.pointee.task_id = arena.string(setup.taskID)
                    s.pointee.n_command = setup.command.count
                    s.pointee.command = arena.strings(setup.command)
                    s.pointee.tty = setup.tty ? 1 : 0
                    message.pointee.setup = s
                }
                if let ttySize {
                    let t = arena.message(
                        hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_request__terminal_size__init)
                    t.pointee.height = ttySize.height
                    t.pointee.width = ttySize.width
                    message.pointee.tty_size = t
                }
                message.pointee.stdin = stdin?.build(in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_request__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_request__pack
        )
    }
}

/// `ExecTaskStreamingResponse`: output chunks, pipe closes, and finally `exited` with `result`.
public struct ExecTaskStreamingResponse: WireMessage, Equatable {
    public var stdout: ExecIOOperation?
    public var stderr: ExecIOOperation?
    public var exited: Bool
    public var result: ExitResult?

    public init(stdout: ExecIOOperation? = nil, stderr: ExecIOOperation? = nil, exited: Bool = false,
                result: ExitResult? = nil) {
        self.stdout = stdout
        self.stderr = stderr
        self.exited = exited
        self.result = result
    }

    /// The final message of a session.
    public static func exited(_ result: ExitResult) -> ExecTaskStreamingResponse {
        ExecTaskStreamingResponse(exited: true, result: result)
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingResponse",
            unpack: hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_response__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_response__free_unpacked
        ) { (c: CExecStreamingResponse) throws(WireDecodingError) in
            ExecTaskStreamingResponse(
                stdout: c.stdout.map { ExecIOOperation($0.pointee) }, stderr: c.stderr.map { ExecIOOperation($0.pointee) },
                exited: c.exited != 0, result: c.result.map { ExitResult($0.pointee) })
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_response__init)
                message.pointee.stdout = stdout?.build(in: arena)
                message.pointee.stderr = stderr?.build(in: arena)
                message.pointee.exited = exited ? 1 : 0
                // An exited message always carries its result, even when the caller left it out.
                message.pointee.result = (result ?? (exited ? ExitResult() : nil))?.build(in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_response__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_response__pack
        )
    }
}
