import PluginProtoC

/// `DriverTaskEvent`: one message of the task-events stream. Nomad routes it by
/// `allocID` + `taskName`, not by task ID.
public struct DriverTaskEvent: WireMessage, Equatable {
    public var taskID: String
    public var allocID: String
    public var taskName: String
    public var timestamp: WireTimestamp
    public var message: String
    public var annotations: [String: String]

    public init(taskID: String, allocID: String, taskName: String, timestamp: WireTimestamp, message: String,
                annotations: [String: String] = [:]) {
        self.taskID = taskID
        self.allocID = allocID
        self.taskName = taskName
        self.timestamp = timestamp
        self.message = message
        self.annotations = annotations
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.DriverTaskEvent",
            unpack: hashicorp__nomad__plugins__drivers__proto__driver_task_event__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__driver_task_event__free_unpacked
        ) { (c: CDriverTaskEvent) throws(WireDecodingError) in
            var annotations: [String: String] = [:]
            for entry in CRead.messages(c.annotations, c.n_annotations) {
                annotations[CRead.string(entry.key)] = CRead.string(entry.value)
            }
            return DriverTaskEvent(
                taskID: CRead.string(c.task_id), allocID: CRead.string(c.alloc_id), taskName: CRead.string(c.task_name),
                timestamp: WireTimestamp(c.timestamp), message: CRead.string(c.message), annotations: annotations)
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let event = arena.message(hashicorp__nomad__plugins__drivers__proto__driver_task_event__init)
                event.pointee.task_id = arena.string(taskID)
                event.pointee.alloc_id = arena.string(allocID)
                event.pointee.task_name = arena.string(taskName)
                event.pointee.timestamp = timestamp.build(in: arena)
                event.pointee.message = arena.string(message)
                let entries = annotations.keys.sorted().map { key in
                    let entry = arena.message(hashicorp__nomad__plugins__drivers__proto__driver_task_event__annotations_entry__init)
                    entry.pointee.key = arena.string(key)
                    entry.pointee.value = arena.string(annotations[key] ?? "")
                    return Optional(entry)
                }
                event.pointee.n_annotations = entries.count
                event.pointee.annotations = arena.array(entries)
                return event
            },
            size: hashicorp__nomad__plugins__drivers__proto__driver_task_event__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__driver_task_event__pack
        )
    }
}
