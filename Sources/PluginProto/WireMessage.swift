/// A message of the plugin wire contract, as a Swift value that encodes to and decodes from
/// protobuf bytes (through the protoc-c generated code in `PluginProtoC`).
public protocol WireMessage: Sendable {
    /// Decodes the protobuf encoding of this message; malformed input throws, it never traps.
    init(wireBytes: [UInt8]) throws(WireDecodingError)
    /// The protobuf encoding of this message.
    func wireBytes() -> [UInt8]
}

/// Protobuf bytes that do not parse as the expected message.
public struct WireDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Full protobuf name of the message that failed to decode.
    public let messageName: String

    public init(messageName: String) {
        self.messageName = messageName
    }

    public var description: String { "malformed \(messageName) message" }
}
