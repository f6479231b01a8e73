/// A cty number, kept exactly as it arrived.
///
/// go-cty numbers are arbitrary-precision; on the wire they are a msgpack integer, a float64, or
/// a decimal string when neither is exact (`0.1`, `1e300` spelled out). Integers are normalised
/// to `Int64` (or `UInt64` above `Int64.max`) whatever form carried them, so `1`, `1.0` as a
/// float64 and `"1"` compare equal; other values compare by representation.
public struct CtyNumber: Sendable, Hashable, CustomStringConvertible {
    enum Storage: Sendable, Hashable {
        case int(Int64)
        case uint(UInt64)
        case double(Double)
        case decimal(String)
    }

    let storage: Storage

    public init(_ value: Int64) { storage = .int(value) }

    public init(_ value: Int) { storage = .int(Int64(value)) }

    public init(_ value: UInt64) {
        if let small = Int64(exactly: value) { storage = .int(small) } else { storage = .uint(value) }
    }

    public init(_ value: Double) {
        if let int = Int64(exactly: value) { storage = .int(int) } else { storage = .double(value) }
    }

    /// Parses a decimal such as `-12`, `0.1` or `2.5e3`; nil when `text` is not one.
    public init?(decimal text: String) {
        guard Self.isDecimal(text) else { return nil }
        if let int = Int64(text) {
            storage = .int(int)
        } else if let uint = UInt64(text) {
            storage = .uint(uint)
        } else {
            storage = .decimal(text)
        }
    }

    /// The exact value as an `Int64`, or nil when it is fractional or out of range.
    public var int64Value: Int64? {
        switch storage {
        case .int(let v): return v
        case .uint: return nil
        case .double: return nil  // integral doubles were normalised to .int at init
        case .decimal(let text): return Self.integerText(text).flatMap { Int64($0) }
        }
    }

    /// The exact value as a `UInt64`, or nil when it is negative, fractional or out of range.
    public var uint64Value: UInt64? {
        switch storage {
        case .int(let v): return UInt64(exactly: v)
        case .uint(let v): return v
        case .double: return nil
        case .decimal(let text): return Self.integerText(text).flatMap { UInt64($0) }
        }
    }

    /// The nearest `Double` (exact for float64 inputs; decimal strings are rounded).
    public var doubleValue: Double {
        switch storage {
        case .int(let v): return Double(v)
        case .uint(let v): return Double(v)
        case .double(let v): return v
        case .decimal(let text): return Double(text) ?? .nan
        }
    }

    /// Decimal text; what a number becomes when a string is expected (cty's conversion).
    public var description: String {
        switch storage {
        case .int(let v): return String(v)
        case .uint(let v): return String(v)
        case .double(let v):
            if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
            return "\(v)"
        case .decimal(let text): return text
        }
    }

    /// `-?digits(.digits)?([eE][+-]?digits)?`, the shape of HCL, JSON and big.Float decimals.
    static func isDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        func digits() -> Bool {
            let start = bytes.count
            while let b = bytes.first, b >= 0x30, b <= 0x39 { bytes.removeFirst() }
            return bytes.count < start
        }
        if bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
        guard digits() else { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes.removeFirst()
            guard digits() else { return false }
        }
        if let b = bytes.first, b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            bytes.removeFirst()
            if let s = bytes.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { bytes.removeFirst() }
            guard digits() else { return false }
        }
        return bytes.isEmpty
    }

    /// `123.000` → `123`; nil when the decimal has a non-zero fraction or an exponent.
    static func integerText(_ text: String) -> String? {
        guard !text.contains(where: { $0 == "e" || $0 == "E" }) else { return nil }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, parts[1].contains(where: { $0 != "0" }) { return nil }
        return String(parts[0])
    }
}

extension CtyNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int64) { self.init(value) }
    public init(floatLiteral value: Double) { self.init(value) }
}
