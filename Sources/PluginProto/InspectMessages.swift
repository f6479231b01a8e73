import PluginProtoC

/// `InspectTaskRequest`.
public struct InspectTaskRequest: WireMessage, Equatable {
    public var taskID: String

    public init(taskID: String) {
        self.taskID = taskID
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.InspectTaskRequest",
            unpack: hashicorp__nomad__plugins__drivers__proto__inspect_task_request__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__inspect_task_request__free_unpacked
        ) { (c: CInspectTaskRequest) throws(WireDecodingError) in InspectTaskRequest(taskID: CRead.string(c.task_id)) }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__inspect_task_request__init)
                message.pointee.task_id = arena.string(taskID)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__inspect_task_request__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__inspect_task_request__pack
        )
    }
}

/// `TaskStatus`; both timestamps and the result are always encoded (Nomad requires them).
public struct TaskStatus: Sendable, Equatable {
    public var id: String
    public var name: String
    public var state: TaskState
    public var startedAt: WireTimestamp
    public var completedAt: WireTimestamp
    public var result: ExitResult

    public init(id: String, name: String, state: TaskState, startedAt: WireTimestamp = WireTimestamp(),
                completedAt: WireTimestamp = WireTimestamp(), result: ExitResult = ExitResult()) {
        self.id = id
        self.name = name
        self.state = state
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.result = result
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CTaskStatus> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__task_status__init)
        message.pointee.id = arena.string(id)
        message.pointee.name = arena.string(name)
        message.pointee.state = state.c
        message.pointee.started_at = startedAt.build(in: arena)
        message.pointee.completed_at = completedAt.build(in: arena)
        message.pointee.result = result.build(in: arena)
        return message
    }

    init(_ c: CTaskStatus) {
        self.init(
            id: CRead.string(c.id), name: CRead.string(c.name), state: TaskState(c.state),
            startedAt: WireTimestamp(c.started_at), completedAt: WireTimestamp(c.completed_at),
            result: c.result.map { ExitResult($0.pointee) } ?? ExitResult())
    }
}

/// `InspectTaskResponse`.
public struct InspectTaskResponse: WireMessage, Equatable {
    public var task: TaskStatus
    /// `TaskDriverStatus.attributes`: free-form driver details.
    public var driverAttributes: [String: String]
    public var networkOverride: NetworkOverride?

    public init(task: TaskStatus, driverAttributes: [String: String] = [:], networkOverride: NetworkOverride? = nil) {
        self.task = task
        self.driverAttributes = driverAttributes
        self.networkOverride = networkOverride
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse",
            unpack: hashicorp__nomad__plugins__drivers__proto__inspect_task_response__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__inspect_task_response__free_unpacked
        ) { (c: CInspectTaskResponse) throws(WireDecodingError) in
            var attributes: [String: String] = [:]
            if let driver = c.driver?.pointee {
                for entry in CRead.messages(driver.attributes, driver.n_attributes) {
                    attributes[CRead.string(entry.key)] = CRead.string(entry.value)
                }
            }
            return InspectTaskResponse(
                task: c.task.map { TaskStatus($0.pointee) } ?? TaskStatus(id: "", name: "", state: .unknown),
                driverAttributes: attributes, networkOverride: c.network_override.map { NetworkOverride($0.pointee) })
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__inspect_task_response__init)
                message.pointee.task = task.build(in: arena)
                let driver = arena.message(hashicorp__nomad__plugins__drivers__proto__task_driver_status__init)
                let entries = driverAttributes.keys.sorted().map { key in
                    let entry = arena.message(
                        hashicorp__nomad__plugins__drivers__proto__task_driver_status__attributes_entry__init)
                    entry.pointee.key = arena.string(key)
                    entry.pointee.value = arena.string(driverAttributes[key] ?? "")
                    return Optional(entry)
                }
                driver.pointee.n_attributes = entries.count
                driver.pointee.attributes = arena.array(entries)
                message.pointee.driver = driver
                message.pointee.network_override = networkOverride?.build(in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__inspect_task_response__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__inspect_task_response__pack
        )
    }
}
