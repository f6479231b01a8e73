import PluginProtoC

/// `DriverCapabilities`: what the driver supports; Nomad derives the task environment from it.
public struct DriverCapabilities: Sendable, Equatable {
    public enum FSIsolation: Int32, Sendable, Equatable {
        case none = 0
        case chroot = 1
        case image = 2
        case unveil = 3
    }

    /// `MountConfigs`; `UNKNOWN_MOUNTS` and `ANY_MOUNTS` share the number 0.
    public enum MountConfigs: Int32, Sendable, Equatable {
        case anyMounts = 0
        case noMounts = 1
    }

    /// `NetworkIsolationSpec.NetworkIsolationMode`.
    public enum NetworkIsolationMode: Int32, Sendable, Equatable {
        case host = 0
        case group = 1
        case task = 2
        case none = 3
    }

    public var sendSignals: Bool
    public var exec: Bool
    public var fsIsolation: FSIsolation
    public var networkIsolationModes: [NetworkIsolationMode]
    public var mustCreateNetwork: Bool
    public var mountConfigs: MountConfigs
    /// Field 7, read by Nomad 1.1-1.9 only; current .proto files reserve it, so it is sent raw.
    public var remoteTasks: Bool
    public var disableLogCollection: Bool
    public var dynamicWorkloadUsers: Bool

    public init(
        sendSignals: Bool = false, exec: Bool = false, fsIsolation: FSIsolation = .none,
        networkIsolationModes: [NetworkIsolationMode] = [], mustCreateNetwork: Bool = false,
        mountConfigs: MountConfigs = .anyMounts, remoteTasks: Bool = false,
        disableLogCollection: Bool = false, dynamicWorkloadUsers: Bool = false
    ) {
        self.sendSignals = sendSignals
        self.exec = exec
        self.fsIsolation = fsIsolation
        self.networkIsolationModes = networkIsolationModes
        self.mustCreateNetwork = mustCreateNetwork
        self.mountConfigs = mountConfigs
        self.remoteTasks = remoteTasks
        self.disableLogCollection = disableLogCollection
        self.dynamicWorkloadUsers = dynamicWorkloadUsers
    }

    static let remoteTasksField: UInt32 = 7

    func build(in arena: CArena) -> UnsafeMutablePointer<CDriverCapabilities> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__driver_capabilities__init)
        message.pointee.send_signals = sendSignals ? 1 : 0
        message.pointee.exec = exec ? 1 : 0
        message.pointee.fs_isolation = .init(rawValue: .init(truncatingIfNeeded: fsIsolation.rawValue))
        message.pointee.n_network_isolation_modes = networkIsolationModes.count
        message.pointee.network_isolation_modes = arena.array(
            networkIsolationModes.map { .init(rawValue: .init(truncatingIfNeeded: $0.rawValue)) })
        message.pointee.must_create_network = mustCreateNetwork ? 1 : 0
        message.pointee.mount_configs = .init(rawValue: .init(truncatingIfNeeded: mountConfigs.rawValue))
        message.pointee.disable_log_collection = disableLogCollection ? 1 : 0
        message.pointee.dynamic_workload_users = dynamicWorkloadUsers ? 1 : 0
        if remoteTasks {
            arena.attach(
                [arena.rawField(number: Self.remoteTasksField, wireType: PROTOBUF_C_WIRE_TYPE_VARINT, data: [1])],
                to: &message.pointee.base)
        }
        return message
    }

    init(_ c: CDriverCapabilities) {
        let remote = CRead.unknownFields(c.base).contains {
            $0.number == Self.remoteTasksField && $0.wireType == PROTOBUF_C_WIRE_TYPE_VARINT
                && (Varint.decode($0.data) ?? 0) != 0
        }
        self.init(
            sendSignals: c.send_signals != 0, exec: c.exec != 0,
            fsIsolation: FSIsolation(rawValue: CRead.enumValue(c.fs_isolation)) ?? .none,
            networkIsolationModes: CRead.array(c.network_isolation_modes, c.n_network_isolation_modes).compactMap {
                NetworkIsolationMode(rawValue: CRead.enumValue($0))
            },
            mustCreateNetwork: c.must_create_network != 0,
            mountConfigs: MountConfigs(rawValue: CRead.enumValue(c.mount_configs)) ?? .anyMounts,
            remoteTasks: remote, disableLogCollection: c.disable_log_collection != 0,
            dynamicWorkloadUsers: c.dynamic_workload_users != 0)
    }
}

/// `CapabilitiesResponse`; the capabilities message is always sent (Nomad misreads its absence).
public struct CapabilitiesResponse: WireMessage, Equatable {
    public var capabilities: DriverCapabilities

    public init(capabilities: DriverCapabilities) {
        self.capabilities = capabilities
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.CapabilitiesResponse",
            unpack: hashicorp__nomad__plugins__drivers__proto__capabilities_response__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__capabilities_response__free_unpacked
        ) { (c: CCapabilitiesResponse) throws(WireDecodingError) in
            CapabilitiesResponse(capabilities: c.capabilities.map { DriverCapabilities($0.pointee) } ?? DriverCapabilities())
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__capabilities_response__init)
                message.pointee.capabilities = capabilities.build(in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__capabilities_response__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__capabilities_response__pack
        )
    }
}

/// `TaskConfigSchemaResponse`: the schema of a task's `config {}` block.
public struct TaskConfigSchemaResponse: WireMessage, Equatable {
    public var spec: HCLSpec

    public init(spec: HCLSpec) {
        self.spec = spec
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        let name = "hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaResponse"
        self = try WireCodec.unpack(
            wireBytes, name: name,
            unpack: hashicorp__nomad__plugins__drivers__proto__task_config_schema_response__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__task_config_schema_response__free_unpacked
        ) { (c: CTaskConfigSchemaResponse) throws(WireDecodingError) in
            guard let spec = c.spec else { throw WireDecodingError(messageName: name) }
            return TaskConfigSchemaResponse(spec: try HCLSpec(spec.pointee))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__task_config_schema_response__init)
                message.pointee.spec = spec.build(in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__task_config_schema_response__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__task_config_schema_response__pack
        )
    }
}
