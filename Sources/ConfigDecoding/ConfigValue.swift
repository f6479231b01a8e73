import SystemSupport

/// A Swift type a config attribute can be bound to. The bound field's type decides the HCL type
/// Nomad is told, how a cty value becomes a Swift value (once, at decode), and how the field's
/// default is written as a spec literal.
public protocol ConfigValue: Sendable, Equatable {
    static var configType: ConfigType { get }
    /// The value from a cty value that is not null; throws naming `field` when it does not fit.
    static func decode(_ value: CtyValue, field: String, subject: String) throws(ConfigError) -> Self
    /// This value as the spec's default literal; nil means "no default" (unset optionals, empty lists).
    var defaultLiteral: CtyValue? { get }
}

extension ConfigValue {
    static func mismatch(_ value: CtyValue, field: String, subject: String) -> ConfigError {
        ConfigError(field: field, "must be \(configType.phrase), got \(value.summary)", subject: subject)
    }
}

extension String: ConfigValue {
    public static var configType: ConfigType { .string }

    /// cty's safe conversions: numbers and bools become their text.
    public static func decode(_ value: CtyValue, field: String, subject: String) throws(ConfigError) -> String {
        switch value {
        case .string(let s): return s
        case .number(let n): return n.description
        case .bool(let b): return b ? "true" : "false"
        default: throw mismatch(value, field: field, subject: subject)
        }
    }

    public var defaultLiteral: CtyValue? { .string(self) }
}

extension Bool: ConfigValue {
    public static var configType: ConfigType { .bool }

    public static func decode(_ value: CtyValue, field: String, subject: String) throws(ConfigError) -> Bool {
        switch value {
        case .bool(let b): return b
        case .string("true"): return true
        case .string("false"): return false
        default: throw mismatch(value, field: field, subject: subject)
        }
    }

    public var defaultLiteral: CtyValue? { .bool(self) }
}

extension CtyNumber {
    /// A number, or a decimal string (cty converts `"42"` to 42; Nomad sends 0.1 as a string).
    static func configNumber(_ value: CtyValue) -> CtyNumber? {
        switch value {
        case .number(let n): return n
        case .string(let s): return CtyNumber(decimal: String(s.trimmingASCIIWhitespace()))
        default: return nil
        }
    }
}

extension Double: ConfigValue {
    public static var configType: ConfigType { .number }

    public static func decode(_ value: CtyValue, field: String, subject: String) throws(ConfigError) -> Double {
        guard let number = CtyNumber.configNumber(value) else { throw mismatch(value, field: field, subject: subject) }
        return number.doubleValue
    }

    public var defaultLiteral: CtyValue? { .number(CtyNumber(self)) }
}

extension UInt64: ConfigValue {
    public static var configType: ConfigType { .number }

    /// A whole, non-negative number, e.g. a size in MiB.
    public static func decode(_ value: CtyValue, field: String, subject: String) throws(ConfigError) -> UInt64 {
        guard let number = CtyNumber.configNumber(value) else { throw mismatch(value, field: field, subject: subject) }
        guard let whole = number.uint64Value else {
            throw ConfigError(field: field, "must be a whole number from 0 to \(UInt64.max), got \(CtyValue.number(number).summary)", subject: subject)
        }
        return whole
    }

    public var defaultLiteral: CtyValue? { .number(CtyNumber(self)) }
}

extension Duration: ConfigValue {
    public static var configType: ConfigType { .duration }

    /// Parsed here, once: the Go duration grammar Nomad's own durations use.
    public static func decode(_ value: CtyValue, field: String, subject: String) throws(ConfigError) -> Duration {
        let text: String
        do {
            text = try String.decode(value, field: field, subject: subject)
        } catch {
            throw mismatch(value, field: field, subject: subject)
        }
        do {
            return try GoDuration.parse(text)
        } catch {
            throw ConfigError(field: field, "must be \(configType.phrase), got \(value.summary): \(error)", subject: subject)
        }
    }

    /// As Nomad's HCL would spell it (`"1m0s"`).
    public var defaultLiteral: CtyValue? { .string(GoDuration.format(self)) }
}

extension Array: ConfigValue where Element: ConfigValue {
    public static var configType: ConfigType { .list(Element.configType) }

    public static func decode(_ value: CtyValue, field: String, subject: String) throws(ConfigError) -> [Element] {
        guard case .list(let items) = value else { throw mismatch(value, field: field, subject: subject) }
        var decoded: [Element] = []
        for (index, item) in items.enumerated() {
            let itemField = FieldPath.index(field, index)
            guard item != .null else {
                throw ConfigError(field: itemField, "must be \(Element.configType.phrase), got null", subject: subject)
            }
            decoded.append(try Element.decode(item, field: itemField, subject: subject))
        }
        return decoded
    }

    /// An empty list is "not set" (the field's own default applies at runtime), so no literal.
    public var defaultLiteral: CtyValue? {
        isEmpty ? nil : .list(compactMap(\.defaultLiteral))
    }
}

extension Optional: ConfigValue where Wrapped: ConfigValue {
    public static var configType: ConfigType { Wrapped.configType }

    public static func decode(_ value: CtyValue, field: String, subject: String) throws(ConfigError) -> Wrapped? {
        try Wrapped.decode(value, field: field, subject: subject)
    }

    public var defaultLiteral: CtyValue? { self?.defaultLiteral }
}
