import PluginProtoC

/// `google.protobuf.Empty`, and every other message with no fields (`plugin.Empty`,
/// `PluginInfoRequest`, `StopTaskResponse`, ...): they all encode to zero bytes.
public struct Empty: WireMessage, Equatable {
    public init() {}

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        try WireCodec.unpack(
            wireBytes, name: "google.protobuf.Empty",
            unpack: google__protobuf__empty__unpack, free: google__protobuf__empty__free_unpacked
        ) { (_: CEmpty) throws(WireDecodingError) in }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { $0.message(google__protobuf__empty__init) },
            size: google__protobuf__empty__get_packed_size, pack: google__protobuf__empty__pack
        )
    }
}

// The contract's field-less messages, named for the RPCs that use them.
public typealias PluginInfoRequest = Empty
public typealias ConfigSchemaRequest = Empty
public typealias SetConfigResponse = Empty
public typealias TaskConfigSchemaRequest = Empty
public typealias CapabilitiesRequest = Empty
public typealias FingerprintRequest = Empty
public typealias RecoverTaskResponse = Empty
public typealias StopTaskResponse = Empty
public typealias DestroyTaskResponse = Empty
public typealias SignalTaskResponse = Empty
public typealias TaskEventsRequest = Empty
