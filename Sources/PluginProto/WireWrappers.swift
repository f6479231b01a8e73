import PluginProtoC

/// The `google.protobuf` wrapper messages (`DoubleValue`, `StringValue`...) as Swift optionals:
/// an absent wrapper is nil, a present one its value (zero included, which is their point).
enum WireWrappers {
    static func read(_ c: UnsafeMutablePointer<Google__Protobuf__DoubleValue>?) -> Double? { c.map { $0.pointee.value } }
    static func read(_ c: UnsafeMutablePointer<Google__Protobuf__FloatValue>?) -> Float? { c.map { $0.pointee.value } }
    static func read(_ c: UnsafeMutablePointer<Google__Protobuf__Int64Value>?) -> Int64? { c.map { $0.pointee.value } }
    static func read(_ c: UnsafeMutablePointer<Google__Protobuf__UInt64Value>?) -> UInt64? { c.map { $0.pointee.value } }
    static func read(_ c: UnsafeMutablePointer<Google__Protobuf__Int32Value>?) -> Int32? { c.map { $0.pointee.value } }
    static func read(_ c: UnsafeMutablePointer<Google__Protobuf__UInt32Value>?) -> UInt32? { c.map { $0.pointee.value } }
    static func read(_ c: UnsafeMutablePointer<Google__Protobuf__BoolValue>?) -> Bool? { c.map { $0.pointee.value != 0 } }
    static func read(_ c: UnsafeMutablePointer<Google__Protobuf__StringValue>?) -> String? { c.map { CRead.string($0.pointee.value) } }
    static func read(_ c: UnsafeMutablePointer<Google__Protobuf__BytesValue>?) -> [UInt8]? { c.map { CRead.bytes($0.pointee.value) } }

    static func build(_ value: Double?, in arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__DoubleValue>? {
        guard let value else { return nil }
        let message = arena.message(google__protobuf__double_value__init)
        message.pointee.value = value
        return message
    }

    static func build(_ value: Float?, in arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__FloatValue>? {
        guard let value else { return nil }
        let message = arena.message(google__protobuf__float_value__init)
        message.pointee.value = value
        return message
    }

    static func build(_ value: Int64?, in arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__Int64Value>? {
        guard let value else { return nil }
        let message = arena.message(google__protobuf__int64_value__init)
        message.pointee.value = value
        return message
    }

    static func build(_ value: UInt64?, in arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__UInt64Value>? {
        guard let value else { return nil }
        let message = arena.message(google__protobuf__uint64_value__init)
        message.pointee.value = value
        return message
    }

    static func build(_ value: Int32?, in arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__Int32Value>? {
        guard let value else { return nil }
        let message = arena.message(google__protobuf__int32_value__init)
        message.pointee.value = value
        return message
    }

    static func build(_ value: UInt32?, in arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__UInt32Value>? {
        guard let value else { return nil }
        let message = arena.message(google__protobuf__uint32_value__init)
        message.pointee.value = value
        return message
    }

    static func build(_ value: Bool?, in arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__BoolValue>? {
        guard let value else { return nil }
        let message = arena.message(google__protobuf__bool_value__init)
        message.pointee.value = value ? 1 : 0
        return message
    }

    static func build(_ value: String?, in arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__StringValue>? {
        guard let value else { return nil }
        let message = arena.message(google__protobuf__string_value__init)
        message.pointee.value = arena.string(value)
        return message
    }

    static func build(_ value: [UInt8]?, in arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__BytesValue>? {
        guard let value else { return nil }
        let message = arena.message(google__protobuf__bytes_value__init)
        message.pointee.value = arena.bytes(value)
        return message
    }
}
