import PluginProtoC

/// The two ends of protobuf-c: `__pack` of a struct built in a `CArena`, and `__unpack` paired
/// with exactly one `__free_unpacked`.
enum WireCodec {
    typealias Allocator = UnsafeMutablePointer<ProtobufCAllocator>

    /// Builds a message in a fresh arena and packs it; the arena outlives the pack call only.
    static func pack<C>(
        _ build: (CArena) -> UnsafeMutablePointer<C>,
        size: (UnsafePointer<C>?) -> Int,
        pack: (UnsafePointer<C>?, UnsafeMutablePointer<UInt8>?) -> Int
    ) -> [UInt8] {
        CArena.with { arena in
            let message = build(arena)
            let count = size(message)
            guard count > 0 else { return [] }
            var out = [UInt8](repeating: 0, count: count)
            let written = out.withUnsafeMutableBufferPointer { pack(message, $0.baseAddress) }
            return Array(out.prefix(written))
        }
    }

    /// Unpacks `bytes`, hands the C struct to `read`, then frees it exactly once.
    static func unpack<C, R>(
        _ bytes: [UInt8],
        name: String,
        unpack: (Allocator?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<C>?,
        free: (UnsafeMutablePointer<C>?, Allocator?) -> Void,
        read: (UnsafeMutablePointer<C>) throws(WireDecodingError) -> R
    ) throws(WireDecodingError) -> R {
        // protobuf-c copies everything it keeps, so the input only has to live through the call.
        let message: UnsafeMutablePointer<C>? = bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 {
                return unpack(nil, buffer.count, base)
            }
            var placeholder: UInt8 = 0
            return withUnsafePointer(to: &placeholder) { unpack(nil, 0, $0) }
        }
        guard let message else { throw WireDecodingError(messageName: name) }
        defer { free(message, nil) }
        guard !containsFieldNumberZero(UnsafeRawPointer(message)) else { throw WireDecodingError(messageName: name) }
        return try read(message)
    }

    /// Field number 0 is invalid and Go's protobuf refuses it. protobuf-c 1.4 refuses it only as
    /// a one-byte tag: an over-long tag of 0 (`80 80 00`) is kept as an unknown field, and the
    /// re-packed bytes (TaskConfig's echo in a TaskHandle) then carry a tag neither side accepts.
    /// Found by fuzz/run (wire-messages); walks the unpacked tree, nested messages included.
    static func containsFieldNumberZero(_ message: UnsafeRawPointer) -> Bool {
        let base = message.assumingMemoryBound(to: ProtobufCMessage.self).pointee
        if let unknown = base.unknown_fields,
           UnsafeBufferPointer(start: unknown, count: Int(base.n_unknown_fields)).contains(where: { $0.tag == 0 }) {
            return true
        }
        guard let descriptor = base.descriptor, let fields = descriptor.pointee.fields else { return false }
        for field in UnsafeBufferPointer(start: fields, count: Int(descriptor.pointee.n_fields))
        where field.type == PROTOBUF_C_TYPE_MESSAGE {
            let member = message + Int(field.offset)
            if field.label == PROTOBUF_C_LABEL_REPEATED {
                let count = (message + Int(field.quantifier_offset)).load(as: Int.self)
                guard count > 0, let items = member.load(as: UnsafeRawPointer?.self) else { continue }
                for index in 0..<count {
                    let item = items.load(fromByteOffset: index * MemoryLayout<UnsafeRawPointer>.stride, as: UnsafeRawPointer?.self)
                    if let item, containsFieldNumberZero(item) { return true }
                }
            } else {
                // A oneof member is only there when the case field names it; otherwise the
                // union holds another member.
                if field.flags & PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue != 0,
                   (message + Int(field.quantifier_offset)).load(as: UInt32.self) != field.id {
                    continue
                }
                if let sub = member.load(as: UnsafeRawPointer?.self), containsFieldNumberZero(sub) { return true }
            }
        }
        return false
    }

    /// Re-encodes a decoded sub-message; protobuf-c keeps unknown fields, so nothing is lost.
    static func repack<C>(
        _ message: UnsafeMutablePointer<C>,
        size: (UnsafePointer<C>?) -> Int,
        pack: (UnsafePointer<C>?, UnsafeMutablePointer<UInt8>?) -> Int
    ) -> [UInt8] {
        let count = size(message)
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        let written = out.withUnsafeMutableBufferPointer { pack(message, $0.baseAddress) }
        return Array(out.prefix(written))
    }
}

/// Reading values out of unpacked protobuf-c structs (the generated decoders call these).
enum CRead {
    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard let base = data.data, data.len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: base, count: data.len))
    }

    static func array<T>(_ pointer: UnsafeMutablePointer<T>?, _ count: Int) -> [T] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    static func strings(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int) -> [String] {
        array(pointer, count).map { string($0) }
    }

    /// A sub-message, or nil when the field is absent.
    static func message<C, T>(
        _ pointer: UnsafeMutablePointer<C>?, _ read: (UnsafeMutablePointer<C>) throws(WireDecodingError) -> T
    ) throws(WireDecodingError) -> T? {
        guard let pointer else { return nil }
        return try read(pointer)
    }

    /// A sub-message the enclosing message `name` cannot do without: absent is malformed.
    static func required<C, T>(
        _ pointer: UnsafeMutablePointer<C>?, in name: String,
        _ read: (UnsafeMutablePointer<C>) throws(WireDecodingError) -> T
    ) throws(WireDecodingError) -> T {
        guard let pointer else { throw WireDecodingError(messageName: name) }
        return try read(pointer)
    }

    /// The elements of a repeated message field (protobuf-c never stores a null element).
    static func messages<C, T>(
        _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<C>?>?, _ count: Int,
        _ read: (UnsafeMutablePointer<C>) throws(WireDecodingError) -> T
    ) throws(WireDecodingError) -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        for item in array(pointer, count) {
            guard let item else { continue }
            out.append(try read(item))
        }
        return out
    }

    /// A map field: its entries in wire order, so a later duplicate key wins, as protobuf says.
    static func map<E, K: Hashable, V>(
        _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<E>?>?, _ count: Int,
        _ read: (UnsafeMutablePointer<E>) throws(WireDecodingError) -> (K, V)
    ) throws(WireDecodingError) -> [K: V] {
        var out: [K: V] = [:]
        for entry in array(pointer, count) {
            guard let entry else { continue }
            let (key, value) = try read(entry)
            out[key] = value
        }
        return out
    }

    /// A C enum's numeric value as the proto3 int32 it encodes.
    static func enumValue<E: RawRepresentable>(_ value: E) -> Int32 where E.RawValue: BinaryInteger {
        Int32(truncatingIfNeeded: value.rawValue)
    }
}
