import PluginProtoC

/// `plugin.StdioData`: one chunk of the plugin's own stdout or stderr for go-plugin's stdio stream.
public struct StdioData: WireMessage, Equatable {
    public enum Channel: Int32, Sendable, Equatable {
        case invalid = 0
        case stdout = 1
        case stderr = 2
    }

    public var channel: Channel
    public var data: [UInt8]

    public init(channel: Channel, data: [UInt8]) {
        self.channel = channel
        self.data = data
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "plugin.StdioData",
            unpack: plugin__stdio_data__unpack, free: plugin__stdio_data__free_unpacked
        ) { (c: CStdioData) throws(WireDecodingError) in
            StdioData(channel: Channel(rawValue: CRead.enumValue(c.channel)) ?? .invalid, data: CRead.bytes(c.data))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(plugin__stdio_data__init)
                message.pointee.channel = .init(rawValue: .init(truncatingIfNeeded: channel.rawValue))
                message.pointee.data = arena.bytes(data)
                return message
            },
            size: plugin__stdio_data__get_packed_size, pack: plugin__stdio_data__pack
        )
    }
}

/// `plugin.ConnInfo`, what the host sends on the go-plugin broker stream.
public struct ConnInfo: WireMessage, Equatable {
    /// `ConnInfo.Knock` (go-plugin 1.6+).
    public struct Knock: Sendable, Equatable {
        public var knock: Bool
        public var ack: Bool
        public var error: String

        public init(knock: Bool = false, ack: Bool = false, error: String = "") {
            self.knock = knock
            self.ack = ack
            self.error = error
        }
    }

    public var serviceID: UInt32
    public var network: String
    public var address: String
    public var knock: Knock?

    public init(serviceID: UInt32 = 0, network: String = "", address: String = "", knock: Knock? = nil) {
        self.serviceID = serviceID
        self.network = network
        self.address = address
        self.knock = knock
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "plugin.ConnInfo",
            unpack: plugin__conn_info__unpack, free: plugin__conn_info__free_unpacked
        ) { (c: CConnInfo) throws(WireDecodingError) in
            ConnInfo(
                serviceID: c.service_id, network: CRead.string(c.network), address: CRead.string(c.address),
                knock: c.knock.map {
                    Knock(knock: $0.pointee.knock != 0, ack: $0.pointee.ack != 0, error: CRead.string($0.pointee.error))
                }
            )
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(plugin__conn_info__init)
                message.pointee.service_id = serviceID
                message.pointee.network = arena.string(network)
                message.pointee.address = arena.string(address)
                if let knock {
                    let k = arena.message(plugin__conn_info__knock__init)
                    k.pointee.knock = knock.knock ? 1 : 0
                    k.pointee.ack = knock.ack ? 1 : 0
                    k.pointee.error = arena.string(knock.error)
                    message.pointee.knock = k
                }
                return message
            },
            size: plugin__conn_info__get_packed_size, pack: plugin__conn_info__pack
        )
    }
}
