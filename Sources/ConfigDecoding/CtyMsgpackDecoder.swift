/// Decodes go-cty's msgpack encoding (what Nomad puts in `msgpack_config` and
/// `msgpack_driver_config`) into a schema-less `CtyValue`.
///
/// The input is untrusted: every length is checked against the bytes that remain before
/// anything is allocated, nesting is capped, and every failure is a thrown `ConfigError`.
///
/// cty writes strings as msgpack str, never bin; bin appears only as the type description in a
/// dynamic value's `[typeJSON, value]` wrapper. So a 2-element array whose first element is bin
/// is unwrapped here, without a schema, and a bin anywhere else is rejected.
public struct CtyMsgpackDecoder: Sendable {
    /// Containers (arrays and maps) may nest this deep; our schemas need three levels.
    public var maxDepth: Int

    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }

    public func decode(_ bytes: [UInt8]) throws(ConfigError) -> CtyValue {
        var reader = Reader(bytes: bytes, maxDepth: maxDepth)
        let value = try reader.value(path: "", depth: 0)
        if reader.offset != bytes.count {
            throw ConfigError("the msgpack input has \(bytes.count - reader.offset) unexpected bytes after the value that ends at byte \(reader.offset)")
        }
        return value
    }

    /// Decodes a config block's bytes, its errors told about `subject` (`plugin config`).
    public static func decode(_ bytes: [UInt8], about subject: String) throws(ConfigError) -> CtyValue {
        do {
            return try CtyMsgpackDecoder().decode(bytes)
        } catch {
            throw error.about(subject)
        }
    }
}

private struct Reader {
    let bytes: [UInt8]
    let maxDepth: Int
    var offset = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    var remaining: Int { bytes.count - offset }

    mutating func value(path: String, depth: Int) throws(ConfigError) -> CtyValue {
        let head = try byte(what: "a value", path: path)
        switch head {
        case 0x00...0x7f: return .number(CtyNumber(Int64(head)))
        case 0x80...0x8f: return try map(count: Int(head & 0x0f), path: path, depth: depth)
        case 0x90...0x9f: return try array(count: Int(head & 0x0f), path: path, depth: depth)
        case 0xa0...0xbf: return .string(try string(length: Int(head & 0x1f), path: path))
        case 0xc0: return .null
        case 0xc2: return .bool(false)
        case 0xc3: return .bool(true)
        case 0xc4, 0xc5, 0xc6:
            throw ConfigError(field: path, "is msgpack binary data, which cty uses only for a dynamic value's type description".located(path))
        case 0xc7, 0xc8, 0xc9:
            let length = try uint(bytes: 1 << (head - 0xc7), path: path)
            return try ext(dataLength: length, path: path)
        case 0xca:
            let bits = UInt32(truncatingIfNeeded: try uint(bytes: 4, path: path))
            return try float(Double(Float(bitPattern: bits)), path: path)
        case 0xcb:
            return try float(Double(bitPattern: try uint(bytes: 8, path: path)), path: path)
        case 0xcc, 0xcd, 0xce, 0xcf:
            return .number(CtyNumber(try uint(bytes: 1 << (head - 0xcc), path: path)))
        case 0xd0, 0xd1, 0xd2, 0xd3:
            let width = 1 << Int(head - 0xd0)
            let raw = try uint(bytes: width, path: path)
            // Sign-extend from the encoded width.
            let shift = UInt64(64 - 8 * width)
            return .number(CtyNumber(Int64(bitPattern: raw << shift) >> shift))
        case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
            return try ext(dataLength: UInt64(1) << (head - 0xd4), path: path)
        case 0xd9, 0xda, 0xdb:
            let length = try uint(bytes: 1 << (head - 0xd9), path: path)
            return .string(try string(length: try fit(length, path: path), path: path))
        case 0xdc, 0xdd:
            let count = try uint(bytes: head == 0xdc ? 2 : 4, path: path)
            return try array(count: Int(clamping: count), path: path, depth: depth)
        case 0xde, 0xdf:
            let count = try uint(bytes: head == 0xde ? 2 : 4, path: path)
            return try map(count: Int(clamping: count), path: path, depth: depth)
        case 0xe0...0xff: return .number(CtyNumber(Int64(Int8(bitPattern: head))))
        default:  // 0xc1 is the one byte msgpack never uses
            throw ConfigError(field: path, "has the invalid msgpack byte 0x\(String(head, radix: 16)) at offset \(offset - 1)".located(path))
        }
    }

    mutating func array(count: Int, path: String, depth: Int) throws(ConfigError) -> CtyValue {
        try enter(depth: depth, path: path)
        // Every element takes at least one byte, so a forged count cannot make us allocate much.
        guard count <= remaining else { throw tooLong("an array of \(count) items", path: path) }
        if count == 2, let next = bytes[safe: offset], (0xc4...0xc6).contains(next) {
            return try dynamic(path: path, depth: depth)
        }
        var items: [CtyValue] = []
        items.reserveCapacity(count)
        for i in 0..<count {
            items.append(try value(path: FieldPath.index(path, i), depth: depth + 1))
        }
        return .list(items)
    }

    mutating func map(count: Int, path: String, depth: Int) throws(ConfigError) -> CtyValue {
        try enter(depth: depth, path: path)
        guard count <= remaining / 2 else { throw tooLong("a map of \(count) entries", path: path) }
        var entries: [String: CtyValue] = [:]
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let keyOffset = offset
            guard case .string(let key) = try value(path: path, depth: depth + 1) else {
                throw ConfigError(field: path, "has a map key at byte \(keyOffset) that is not a string; cty keys are always strings".located(path))
            }
            let child = FieldPath.child(path, key)
            let item = try value(path: child, depth: depth + 1)
            guard entries.updateValue(item, forKey: key) == nil else {
                throw ConfigError(field: child, "appears twice in the same map".located(child))
            }
        }
        return .map(entries)
    }

    /// `[bin typeJSON, value]`: cty's encoding of a value whose declared type is dynamic.
    mutating func dynamic(path: String, depth: Int) throws(ConfigError) -> CtyValue {
        let head = try byte(what: "a type description", path: path)
        let length = try uint(bytes: 1 << (head - 0xc4), path: path)
        let typeBytes = try take(try fit(length, path: path), what: "a type description", path: path)
        guard let typeJSON = String(validating: typeBytes, as: UTF8.self),
            let first = typeJSON.first, first == "\"" || first == "["
        else {
            throw ConfigError(field: path, "has a dynamic value whose type description is not cty type JSON".located(path))
        }
        return try value(path: path, depth: depth + 1)
    }

    mutating func ext(dataLength: UInt64, path: String) throws(ConfigError) -> CtyValue {
        let type = Int8(bitPattern: try byte(what: "an extension type", path: path))
        _ = try take(try fit(dataLength, path: path), what: "extension data", path: path)
        if type == 0 {
            throw ConfigError(field: path, "is an unknown value (msgpack extension type 0), which a configuration cannot hold".located(path))
        }
        throw ConfigError(field: path, "is a msgpack extension of type \(type), which cty does not define for known values".located(path))
    }

    func float(_ value: Double, path: String) throws(ConfigError) -> CtyValue {
        // cty numbers cannot be NaN; infinities are legal and left to validation.
        guard !value.isNaN else {
            throw ConfigError(field: path, "is a NaN float, which is not a cty number".located(path))
        }
        return .number(CtyNumber(value))
    }

    mutating func string(length: Int, path: String) throws(ConfigError) -> String {
        let raw = try take(length, what: "a string of \(length) bytes", path: path)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw ConfigError(field: path, "is a string that is not valid UTF-8".located(path))
        }
        return text
    }

    mutating func uint(bytes width: Int, path: String) throws(ConfigError) -> UInt64 {
        var result: UInt64 = 0
        for byte in try take(width, what: "a \(width)-byte length or number", path: path) {
            result = result << 8 | UInt64(byte)
        }
        return result
    }

    mutating func byte(what: String, path: String) throws(ConfigError) -> UInt8 {
        // A slice keeps its base's indices, so read through `first`, never `[0]`.
        guard let byte = try take(1, what: what, path: path).first else {
            throw ConfigError("the msgpack input ends early at byte \(offset)")
        }
        return byte
    }

    mutating func take(_ count: Int, what: String, path: String) throws(ConfigError) -> ArraySlice<UInt8> {
        guard count <= remaining else {
            let inside = path.isEmpty ? "" : " (inside \(path))"
            throw ConfigError("the msgpack input is truncated: it ends at byte \(bytes.count) while reading \(what) at byte \(offset)\(inside)")
        }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// A declared length must fit in what is left of the input.
    func fit(_ length: UInt64, path: String) throws(ConfigError) -> Int {
        guard length <= UInt64(remaining) else { throw tooLong("\(length) bytes", path: path) }
        return Int(length)
    }

    func tooLong(_ what: String, path: String) -> ConfigError {
        let inside = path.isEmpty ? "" : " (inside \(path))"
        return ConfigError("the msgpack input declares \(what) at byte \(offset) but only \(remaining) bytes remain\(inside)")
    }

    func enter(depth: Int, path: String) throws(ConfigError) {
        guard depth < maxDepth else {
            throw ConfigError(field: path, "nests arrays and maps deeper than \(maxDepth) levels".located(path))
        }
    }
}

extension String {
    /// A predicate about the value at `path`; at the document root the sentence needs a subject.
    fileprivate func located(_ path: String) -> String {
        path.isEmpty ? "the document \(self)" : self
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
