import PluginProtoC

/// `ExecTaskRequest`: run a command inside the task's context (script checks).
public struct ExecTaskRequest: WireMessage, Equatable {
    public var taskID: String
    public var command: [String]
    public var timeout: Duration

    public init(taskID: String, command: [String], timeout: Duration) {
        self.taskID = taskID
        self.command = command
        self.timeout = timeout
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.ExecTaskRequest",
            unpack: hashicorp__nomad__plugins__drivers__proto__exec_task_request__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__exec_task_request__free_unpacked
        ) { (c: CExecTaskRequest) throws(WireDecodingError) in
            ExecTaskRequest(
                taskID: CRead.string(c.task_id), command: CRead.strings(c.command, c.n_command),
                timeout: WireDuration.read(c.timeout))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__exec_task_request__init)
                message.pointee.task_id = arena.string(taskID)
                message.pointee.n_command = command.count
                message.pointee.command = arena.strings(command)
                message.pointee.timeout = WireDuration.build(timeout, in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__exec_task_request__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__exec_task_request__pack
        )
    }
}

/// `ExecTaskResponse`; `result` is always encoded (Nomad dereferences it).
public struct ExecTaskResponse: WireMessage, Equatable {
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var result: ExitResult

    public init(stdout: [UInt8], stderr: [UInt8], result: ExitResult) {
        self.stdout = stdout
        self.stderr = stderr
        self.result = result
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.ExecTaskResponse",
            unpack: hashicorp__nomad__plugins__drivers__proto__exec_task_response__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__exec_task_response__free_unpacked
        ) { (c: CExecTaskResponse) throws(WireDecodingError) in
            ExecTaskResponse(
                stdout: CRead.bytes(c.stdout), stderr: CRead.bytes(c.stderr),
                result: c.result.map { ExitResult($0.pointee) } ?? ExitResult())
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__exec_task_response__init)
                message.pointee.stdout = arena.bytes(stdout)
                message.pointee.stderr = arena.bytes(stderr)
                message.pointee.result = result.build(in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__exec_task_response__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__exec_task_response__pack
        )
    }
}

/// `ExecTaskStreamingIOOperation`: a chunk of a stream, or its end (`close`).
public struct ExecIOOperation: Sendable, Equatable {
    public var data: [UInt8]
    public var close: Bool

    public init(data: [UInt8] = [], close: Bool = false) {
        self.data = data
        self.close = close
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CExecIOOperation> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__exec_task_streaming_iooperation__init)
        message.pointee.data = arena.bytes(data)
        message.pointee.close = close ? 1 : 0
        return message
    }

    init(_ c: CExecIOOperation) {
        self.init(data: CRead.bytes(c.data), close: c.close != 0)
    }
}
