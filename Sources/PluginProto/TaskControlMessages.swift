import PluginProtoC

/// `WaitTaskRequest`.
public struct WaitTaskRequest: WireMessage, Equatable {
    public var taskID: String

    public init(taskID: String) {
        self.taskID = taskID
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.WaitTaskRequest",
            unpack: hashicorp__nomad__plugins__drivers__proto__wait_task_request__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__wait_task_request__free_unpacked
        ) { (c: CWaitTaskRequest) throws(WireDecodingError) in WaitTaskRequest(taskID: CRead.string(c.task_id)) }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__wait_task_request__init)
                message.pointee.task_id = arena.string(taskID)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__wait_task_request__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__wait_task_request__pack
        )
    }
}

/// `WaitTaskResponse`; `result` is always encoded, even for exit 0 (Nomad 1.1 dereferences it).
public struct WaitTaskResponse: WireMessage, Equatable {
    public var result: ExitResult
    /// An error while waiting; non-empty counts as a failed exit.
    public var err: String

    public init(result: ExitResult, err: String = "") {
        self.result = result
        self.err = err
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.WaitTaskResponse",
            unpack: hashicorp__nomad__plugins__drivers__proto__wait_task_response__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__wait_task_response__free_unpacked
        ) { (c: CWaitTaskResponse) throws(WireDecodingError) in
            WaitTaskResponse(result: c.result.map { ExitResult($0.pointee) } ?? ExitResult(), err: CRead.string(c.err))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__wait_task_response__init)
                message.pointee.result = result.build(in: arena)
                message.pointee.err = arena.string(err)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__wait_task_response__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__wait_task_response__pack
        )
    }
}

/// `StopTaskRequest`: send `signal` (empty means the driver's default), wait `timeout`, then kill.
public struct StopTaskRequest: WireMessage, Equatable {
    public var taskID: String
    public var timeout: Duration
    public var signal: String

    public init(taskID: String, timeout: Duration, signal: String) {
        self.taskID = taskID
        self.timeout = timeout
        self.signal = signal
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.StopTaskRequest",
            unpack: hashicorp__nomad__plugins__drivers__proto__stop_task_request__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__stop_task_request__free_unpacked
        ) { (c: CStopTaskRequest) throws(WireDecodingError) in
            StopTaskRequest(taskID: CRead.string(c.task_id), timeout: WireDuration.read(c.timeout), signal: CRead.string(c.signal))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__stop_task_request__init)
                message.pointee.task_id = arena.string(taskID)
                message.pointee.timeout = WireDuration.build(timeout, in: arena)
                message.pointee.signal = arena.string(signal)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__stop_task_request__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__stop_task_request__pack
        )
    }
}

/// `DestroyTaskRequest`.
public struct DestroyTaskRequest: WireMessage, Equatable {
    public var taskID: String
    public var force: Bool

    public init(taskID: String, force: Bool) {
        self.taskID = taskID
        self.force = force
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.DestroyTaskRequest",
            unpack: hashicorp__nomad__plugins__drivers__proto__destroy_task_request__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__destroy_task_request__free_unpacked
        ) { (c: CDestroyTaskRequest) throws(WireDecodingError) in
            DestroyTaskRequest(taskID: CRead.string(c.task_id), force: c.force != 0)
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__destroy_task_request__init)
                message.pointee.task_id = arena.string(taskID)
                message.pointee.force = force ? 1 : 0
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__destroy_task_request__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__destroy_task_request__pack
        )
    }
}

/// `SignalTaskRequest`; `signal` is a name such as `SIGHUP`.
public struct SignalTaskRequest: WireMessage, Equatable {
    public var taskID: String
    public var signal: String

    public init(taskID: String, signal: String) {
        self.taskID = taskID
        self.signal = signal
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.SignalTaskRequest",
            unpack: hashicorp__nomad__plugins__drivers__proto__signal_task_request__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__signal_task_request__free_unpacked
        ) { (c: CSignalTaskRequest) throws(WireDecodingError) in
            SignalTaskRequest(taskID: CRead.string(c.task_id), signal: CRead.string(c.signal))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__signal_task_request__init)
                message.pointee.task_id = arena.string(taskID)
                message.pointee.signal = arena.string(signal)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__signal_task_request__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__signal_task_request__pack
        )
    }
}
