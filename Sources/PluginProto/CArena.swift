#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PluginProtoC

/// Owns every C allocation made while building one message for `__pack`.
///
/// Protobuf-c packs from plain C structs; everything those structs point at is allocated here and
/// freed in one place when packing is done, so nothing leaks and nothing is freed twice.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    private init() {}

    /// Runs `body` with a fresh arena and frees all its allocations afterwards.
    static func with<R>(_ body: (CArena) -> R) -> R {
        let arena = CArena()
        defer { arena.releaseAll() }
        return body(arena)
    }

    private func releaseAll() {
        for pointer in allocations { free(pointer) }
        allocations.removeAll()
    }

    /// Zeroed storage for `count` values of `T` (at least one byte, so the pointer is never null).
    func allocate<T>(_: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let size = max(1, MemoryLayout<T>.stride * count)
        // Allocation failure is not recoverable here; protobuf-c itself aborts in the same case.
        guard let raw = calloc(1, size) else { fatalError("CArena: out of memory") }
        allocations.append(raw)
        return raw.bindMemory(to: T.self, capacity: max(1, count))
    }

    /// A protobuf-c message struct set to its defaults by the generated `__init` function.
    func message<C>(_ initialize: (UnsafeMutablePointer<C>?) -> Void) -> UnsafeMutablePointer<C> {
        let pointer = allocate(C.self, count: 1)
        initialize(pointer)
        return pointer
    }

    /// A NUL-terminated copy of `string` (protobuf-c reads strings with strlen).
    func string(_ string: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(string.utf8)
        let pointer = allocate(CChar.self, count: utf8.count + 1)
        for (index, byte) in utf8.enumerated() { pointer[index] = CChar(bitPattern: byte) }
        return pointer
    }

    func bytes(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        let pointer = allocate(UInt8.self, count: bytes.count)
        pointer.update(from: bytes, count: bytes.count)
        return ProtobufCBinaryData(len: bytes.count, data: pointer)
    }

    func array<T>(_ items: [T]) -> UnsafeMutablePointer<T> {
        let pointer = allocate(T.self, count: items.count)
        pointer.update(from: items, count: items.count)
        return pointer
    }

    func strings(_ items: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        array(items.map { Optional(string($0)) })
    }

    /// An already-encoded field, attached to a message as an "unknown" field so that protobuf-c
    /// emits it verbatim after the known ones (used for bytes we must echo exactly, and for
    /// fields our .proto reserves but older Nomad clients still read).
    func rawField(number: UInt32, wireType: ProtobufCWireType, data: [UInt8]) -> ProtobufCMessageUnknownField {
        let stored = bytes(data)
        return ProtobufCMessageUnknownField(tag: number, wire_type: wireType, len: stored.len, data: stored.data)
    }

    /// A length-delimited field holding `payload` (e.g. an embedded message's bytes).
    func rawMessageField(number: UInt32, payload: [UInt8]) -> ProtobufCMessageUnknownField {
        rawField(number: number, wireType: PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED, data: Varint.encode(UInt64(payload.count)) + payload)
    }

    /// Adds `fields` to those already attached to `base` (a message can embed several).
    func attach(_ fields: [ProtobufCMessageUnknownField], to base: inout ProtobufCMessage) {
        guard !fields.isEmpty else { return }
        let all = CRead.array(base.unknown_fields, Int(base.n_unknown_fields)) + fields
        base.n_unknown_fields = UInt32(all.count)
        base.unknown_fields = array(all)
    }

    /// The entries of a map field, in sorted key order so that a map always encodes to the same
    /// bytes; `fill` sets an entry's key and value.
    func entries<K: Comparable, V, E>(
        _ map: [K: V], _ initialize: (UnsafeMutablePointer<E>?) -> Void,
        _ fill: (UnsafeMutablePointer<E>, K, V) -> Void
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<E>?> {
        array(map.sorted { $0.key < $1.key }.map { key, value in
            let entry = message(initialize)
            fill(entry, key, value)
            return Optional(entry)
        })
    }
}

/// Protobuf base-128 varints, for the few bytes we assemble by hand.
enum Varint {
    static func encode(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }
}
