import PluginProtoC

/// `TaskHandle`: what Nomad stores for a started task and hands back in `RecoverTask`.
public struct TaskHandle: WireMessage, Equatable {
    public static let wireName = "hashicorp.nomad.plugins.drivers.proto.TaskHandle"
    static let configField: UInt32 = 2

    /// Handle format version; 0 is reserved for pre-0.9 handles, so use 1 or more.
    public var version: Int32
    /// The task's config; a decoded one is re-emitted byte for byte (see `TaskConfig.rawBytes`).
    public var config: TaskConfig
    public var state: TaskState
    /// Everything the driver needs to find the task again; Nomad returns it unchanged.
    public var driverState: [UInt8]

    public init(version: Int32, config: TaskConfig, state: TaskState, driverState: [UInt8]) {
        self.version = version
        self.config = config
        self.state = state
        self.driverState = driverState
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: TaskHandle.wireName,
            unpack: hashicorp__nomad__plugins__drivers__proto__task_handle__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__task_handle__free_unpacked
        ) { (c: CTaskHandle) throws(WireDecodingError) in TaskHandle(c, exactBytes: wireBytes[...]) }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { build(in: $0) },
            size: hashicorp__nomad__plugins__drivers__proto__task_handle__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__task_handle__pack
        )
    }

    /// `exactBytes`: this handle's own encoding, when known, to find the config's exact bytes in.
    init(_ c: CTaskHandle, exactBytes: ArraySlice<UInt8>?) {
        let configBytes = exactBytes.flatMap { RawFieldScanner.singlePayload(of: UInt64(Self.configField), in: $0) }
        self.init(
            version: c.version, config: c.config.map { TaskConfig($0, exactBytes: configBytes) } ?? TaskConfig(),
            state: TaskState(c.state),
            driverState: CRead.bytes(c.driver_state))
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CTaskHandle> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__task_handle__init)
        message.pointee.version = version
        message.pointee.config = config.embed(asField: Self.configField, of: &message.pointee.base, in: arena)
        message.pointee.state = state.c
        message.pointee.driver_state = arena.bytes(driverState)
        return message
    }
}

/// `NetworkOverride`: the address and port map a driver that owns networking reports back.
public struct NetworkOverride: Sendable, Equatable {
    public var portMap: [String: Int32]
    public var addr: String
    public var autoAdvertise: Bool

    public init(portMap: [String: Int32] = [:], addr: String = "", autoAdvertise: Bool = false) {
        self.portMap = portMap
        self.addr = addr
        self.autoAdvertise = autoAdvertise
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<CNetworkOverride> {
        let message = arena.message(hashicorp__nomad__plugins__drivers__proto__network_override__init)
        let entries = portMap.keys.sorted().map { key in
            let entry = arena.message(hashicorp__nomad__plugins__drivers__proto__network_override__port_map_entry__init)
            entry.pointee.key = arena.string(key)
            entry.pointee.value = portMap[key] ?? 0
            return Optional(entry)
        }
        message.pointee.n_port_map = entries.count
        message.pointee.port_map = arena.array(entries)
        message.pointee.addr = arena.string(addr)
        message.pointee.auto_advertise = autoAdvertise ? 1 : 0
        return message
    }

    init(_ c: CNetworkOverride) {
        var portMap: [String: Int32] = [:]
        for entry in CRead.messages(c.port_map, c.n_port_map) { portMap[CRead.string(entry.key)] = entry.value }
        self.init(portMap: portMap, addr: CRead.string(c.addr), autoAdvertise: c.auto_advertise != 0)
    }
}
