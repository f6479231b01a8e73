import PluginProtoC

/// `TaskConfig`: everything Nomad tells the driver about a task it should start.
///
/// A decoded config keeps the exact bytes it came from (`rawBytes`), and encoding re-emits those
/// bytes, so the config echoed in a `TaskHandle` is exactly what Nomad sent, including fields this
/// type does not model (mounts, devices, networks, DNS...). The properties are immutable so the two
/// views cannot drift apart; build a new value to change anything.
public struct TaskConfig: WireMessage, Equatable {
    public static let wireName = "hashicorp.nomad.plugins.drivers.proto.TaskConfig"

    /// `<alloc_id>/<task name>/<8 hex>`, new for every start attempt.
    public let id: String
    public let name: String
    /// The task's `config {}` block as cty msgpack.
    public let msgpackDriverConfig: [UInt8]
    /// The complete environment for the task.
    public let env: [String: String]
    public let deviceEnv: [String: String]
    public let resources: TaskResources?
    public let user: String
    public let allocDir: String
    public let stdoutPath: String
    public let stderrPath: String
    public let taskGroupName: String
    public let jobName: String
    public let allocID: String
    public let jobID: String
    public let namespace: String
    public let nodeName: String
    public let nodeID: String
    public let parentJobID: String
    /// The protobuf bytes this config was decoded from; nil for a config built in Swift.
    public let rawBytes: [UInt8]?

    public init(
        id: String = "", name: String = "", msgpackDriverConfig: [UInt8] = [], env: [String: String] = [:],
        deviceEnv: [String: String] = [:], resources: TaskResources? = nil, user: String = "",
        allocDir: String = "", stdoutPath: String = "", stderrPath: String = "", taskGroupName: String = "",
        jobName: String = "", allocID: String = "", jobID: String = "", namespace: String = "",
        nodeName: String = "", nodeID: String = "", parentJobID: String = ""
    ) {
        self.init(
            id: id, name: name, msgpackDriverConfig: msgpackDriverConfig, env: env, deviceEnv: deviceEnv,
            resources: resources, user: user, allocDir: allocDir, stdoutPath: stdoutPath, stderrPath: stderrPath,
            taskGroupName: taskGroupName, jobName: jobName, allocID: allocID, jobID: jobID, namespace: namespace,
            nodeName: nodeName, nodeID: nodeID, parentJobID: parentJobID, rawBytes: nil)
    }

    private init(
        id: String, name: String, msgpackDriverConfig: [UInt8], env: [String: String], deviceEnv: [String: String],
        resources: TaskResources?, user: String, allocDir: String, stdoutPath: String, stderrPath: String,
        taskGroupName: String, jobName: String, allocID: String, jobID: String, namespace: String,
        nodeName: String, nodeID: String, parentJobID: String, rawBytes: [UInt8]?
    ) {
        self.id = id
        self.name = name
        self.msgpackDriverConfig = msgpackDriverConfig
        self.env = env
        self.deviceEnv = deviceEnv
        self.resources = resources
        self.user = user
        self.allocDir = allocDir
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
        self.taskGroupName = taskGroupName
        self.jobName = jobName
        self.allocID = allocID
        self.jobID = jobID
        self.namespace = namespace
        self.nodeName = nodeName
        self.nodeID = nodeID
        self.parentJobID = parentJobID
        self.rawBytes = rawBytes
    }

    /// Compares the modelled fields; `rawBytes` is the wire form of the same value, not part of it.
    public static func == (lhs: TaskConfig, rhs: TaskConfig) -> Bool {
        lhs.id == rhs.id && lhs.name == rhs.name && lhs.msgpackDriverConfig == rhs.msgpackDriverConfig
            && lhs.env == rhs.env && lhs.deviceEnv == rhs.deviceEnv && lhs.resources == rhs.resources
            && lhs.user == rhs.user && lhs.allocDir == rhs.allocDir && lhs.stdoutPath == rhs.stdoutPath
            && lhs.stderrPath == rhs.stderrPath && lhs.taskGroupName == rhs.taskGroupName
            && lhs.jobName == rhs.jobName && lhs.allocID == rhs.allocID && lhs.jobID == rhs.jobID
            && lhs.namespace == rhs.namespace && lhs.nodeName == rhs.nodeName && lhs.nodeID == rhs.nodeID
            && lhs.parentJobID == rhs.parentJobID
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: TaskConfig.wireName,
            unpack: hashicorp__nomad__plugins__drivers__proto__task_config__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__task_config__free_unpacked
        ) { (c: CTaskConfig) throws(WireDecodingError) in TaskConfig(c, rawBytes: wireBytes) }
    }

    public func wireBytes() -> [UInt8] {
        if let rawBytes { return rawBytes }
        return WireCodec.pack(
            { build(in: $0) },
            size: hashicorp__nomad__plugins__drivers__proto__task_config__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__task_config__pack
        )
    }

    /// Decodes a config nested in another message. `exactBytes` are its bytes as found in the
    /// parent's encoding; without them (e.g. the field was split into several copies) the raw
    /// bytes are the sub-message re-packed, which protobuf-c does with unknown fields kept.
    init(_ pointer: UnsafeMutablePointer<CTaskConfig>, exactBytes: ArraySlice<UInt8>?) {
        let raw = exactBytes.map { Array($0) } ?? WireCodec.repack(
            pointer,
            size: hashicorp__nomad__plugins__drivers__proto__task_config__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__task_config__pack)
        self.init(pointer.pointee, rawBytes: raw)
    }

    private init(_ c: CTaskConfig, rawBytes: [UInt8]) {
        func pairs<E>(_ entries: UnsafeMutablePointer<UnsafeMutablePointer<E>?>?, _ count: Int,
                      _ key: (E) -> UnsafeMutablePointer<CChar>?, _ value: (E) -> UnsafeMutablePointer<CChar>?)
            -> [String: String]
        {
            var map: [String: String] = [:]
            for entry in CRead.messages(entries, count) { map[CRead.string(key(entry))] = CRead.string(value(entry)) }
            return map
        }
        self.init(
            id: CRead.string(c.id), name: CRead.string(c.name), msgpackDriverConfig: CRead.bytes(c.msgpack_driver_config),
            env: pairs(c.env, c.n_env, { $0.key }, { $0.value }),
            deviceEnv: pairs(c.device_env, c.n_device_env, { $0.key }, { $0.value }),
            resources: c.resources.map { TaskResources($0.pointee) }, user: CRead.string(c.user),
            allocDir: CRead.string(c.alloc_dir), stdoutPath: CRead.string(c.stdout_path),
            stderrPath: CRead.string(c.stderr_path), taskGroupName: CRead.string(c.task_group_name),
            jobName: CRead.string(c.job_name), allocID: CRead.string(c.alloc_id), jobID: CRead.string(c.job_id),
            namespace: CRead.string(c.namespace_), nodeName: CRead.string(c.node_name),
            nodeID: CRead.string(c.node_id), parentJobID: CRead.string(c.parent_job_id), rawBytes: rawBytes)
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CTaskConfig> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__task_config__init)
        message.pointee.id = arena.string(id)
        message.pointee.name = arena.string(name)
        message.pointee.msgpack_driver_config = arena.bytes(msgpackDriverConfig)
        let envEntries = env.keys.sorted().map { key in
            let entry = arena.message(hashicorp__nomad__plugins__drivers__proto__task_config__env_entry__init)
            entry.pointee.key = arena.string(key)
            entry.pointee.value = arena.string(env[key] ?? "")
            return Optional(entry)
        }
        message.pointee.n_env = envEntries.count
        message.pointee.env = arena.array(envEntries)
        let deviceEntries = deviceEnv.keys.sorted().map { key in
            let entry = arena.message(hashicorp__nomad__plugins__drivers__proto__task_config__device_env_entry__init)
            entry.pointee.key = arena.string(key)
            entry.pointee.value = arena.string(deviceEnv[key] ?? "")
            return Optional(entry)
        }
        message.pointee.n_device_env = deviceEntries.count
        message.pointee.device_env = arena.array(deviceEntries)
        message.pointee.resources = resources?.build(in: arena)
        message.pointee.user = arena.string(user)
        message.pointee.alloc_dir = arena.string(allocDir)
        message.pointee.stdout_path = arena.string(stdoutPath)
        message.pointee.stderr_path = arena.string(stderrPath)
        message.pointee.task_group_name = arena.string(taskGroupName)
        message.pointee.job_name = arena.string(jobName)
        message.pointee.alloc_id = arena.string(allocID)
        message.pointee.job_id = arena.string(jobID)
        message.pointee.namespace_ = arena.string(namespace)
        message.pointee.node_name = arena.string(nodeName)
        message.pointee.node_id = arena.string(nodeID)
        message.pointee.parent_job_id = arena.string(parentJobID)
        return message
    }

    /// Puts this config into field `number` of a message being built: as the original bytes when
    /// there are any (attached raw, so they go out unchanged), otherwise as a built struct.
    func embed(asField number: UInt32, of base: inout ProtobufCMessage, in arena: CArena)
        -> UnsafeMutablePointer<CTaskConfig>?
    {
        guard let rawBytes else { return build(in: arena) }
        arena.attach([arena.rawMessageField(number: number, payload: rawBytes)], to: &base)
        return nil
    }
}
