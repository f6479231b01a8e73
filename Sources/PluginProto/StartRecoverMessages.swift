import PluginProtoC

/// `StartTaskRequest`.
public struct StartTaskRequest: WireMessage, Equatable {
    static let taskField: UInt32 = 1

    public var task: TaskConfig

    public init(task: TaskConfig) {
        self.task = task
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.StartTaskRequest",
            unpack: hashicorp__nomad__plugins__drivers__proto__start_task_request__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__start_task_request__free_unpacked
        ) { (c: CStartTaskRequest) throws(WireDecodingError) in
            StartTaskRequest(task: c.task.map {
                TaskConfig($0, exactBytes: RawFieldScanner.singlePayload(of: UInt64(StartTaskRequest.taskField), in: wireBytes[...]))
            } ?? TaskConfig())
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__start_task_request__init)
                message.pointee.task = task.embed(asField: Self.taskField, of: &message.pointee.base, in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__start_task_request__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__start_task_request__pack
        )
    }
}

/// `StartTaskResponse`. Nomad ignores `result` and `driverErrorMsg`: failures must be gRPC errors.
public struct StartTaskResponse: WireMessage, Equatable {
    public enum Result: Int32, Sendable, Equatable {
        case success = 0
        case retry = 1
        case fatal = 2
    }

    public var result: Result
    public var driverErrorMsg: String
    public var handle: TaskHandle
    public var networkOverride: NetworkOverride?

    public init(result: Result = .success, driverErrorMsg: String = "", handle: TaskHandle,
                networkOverride: NetworkOverride? = nil) {
        self.result = result
        self.driverErrorMsg = driverErrorMsg
        self.handle = handle
        self.networkOverride = networkOverride
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.StartTaskResponse",
            unpack: hashicorp__nomad__plugins__drivers__proto__start_task_response__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__start_task_response__free_unpacked
        ) { (c: CStartTaskResponse) throws(WireDecodingError) in
            StartTaskResponse(
                result: Result(rawValue: CRead.enumValue(c.result)) ?? .success,
                driverErrorMsg: CRead.string(c.driver_error_msg),
                handle: c.handle.map {
                    TaskHandle($0.pointee, exactBytes: RawFieldScanner.singlePayload(of: 3, in: wireBytes[...]))
                } ?? TaskHandle(version: 0, config: TaskConfig(), state: .unknown, driverState: []),
                networkOverride: c.network_override.map { NetworkOverride($0.pointee) })
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__start_task_response__init)
                message.pointee.result = .init(rawValue: .init(truncatingIfNeeded: result.rawValue))
                message.pointee.driver_error_msg = arena.string(driverErrorMsg)
                message.pointee.handle = handle.build(in: arena)
                message.pointee.network_override = networkOverride?.build(in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__start_task_response__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__start_task_response__pack
        )
    }
}

/// `RecoverTaskRequest`. Nomad leaves `taskID` empty; use `handle.config.id`.
public struct RecoverTaskRequest: WireMessage, Equatable {
    public var taskID: String
    public var handle: TaskHandle

    public init(taskID: String = "", handle: TaskHandle) {
        self.taskID = taskID
        self.handle = handle
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.RecoverTaskRequest",
            unpack: hashicorp__nomad__plugins__drivers__proto__recover_task_request__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__recover_task_request__free_unpacked
        ) { (c: CRecoverTaskRequest) throws(WireDecodingError) in
            RecoverTaskRequest(
                taskID: CRead.string(c.task_id),
                handle: c.handle.map {
                    TaskHandle($0.pointee, exactBytes: RawFieldScanner.singlePayload(of: 2, in: wireBytes[...]))
                } ?? TaskHandle(version: 0, config: TaskConfig(), state: .unknown, driverState: []))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__recover_task_request__init)
                message.pointee.task_id = arena.string(taskID)
                message.pointee.handle = handle.build(in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__recover_task_request__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__recover_task_request__pack
        )
    }
}
