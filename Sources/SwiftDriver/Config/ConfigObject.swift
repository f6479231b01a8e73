/// A config object after `ConfigSchema.decode`: types checked, defaults filled. The typed
/// getters return nil only for a null optional attribute, and throw (naming the field) when a
/// value does not fit the Swift type asked for, e.g. a negative number for a `UInt64`.
public struct ConfigObject: Sendable, Equatable {
    /// Dotted path of this object; empty at the root.
    public let path: String
    public let subject: String
    /// Every declared attribute, null when absent without default.
    public let values: [String: CtyValue]
    /// Every declared block, defaults filled even when the block was absent.
    public let blocks: [String: ConfigObject]

    public func block(_ name: String) -> ConfigObject {
        blocks[name] ?? ConfigObject(path: FieldPath.child(path, name), subject: subject, values: [:], blocks: [:])
    }

    public func string(_ name: String) throws(ConfigError) -> String? {
        switch values[name] ?? .null {
        case .null: return nil
        case .string(let s): return s
        case let other: throw mismatch(name, "a string", other)
        }
    }

    public func bool(_ name: String) throws(ConfigError) -> Bool? {
        switch values[name] ?? .null {
        case .null: return nil
        case .bool(let b): return b
        case let other: throw mismatch(name, "a bool (true or false)", other)
        }
    }

    public func number(_ name: String) throws(ConfigError) -> CtyNumber? {
        switch values[name] ?? .null {
        case .null: return nil
        case .number(let n): return n
        case let other: throw mismatch(name, "a number", other)
        }
    }

    public func double(_ name: String) throws(ConfigError) -> Double? {
        try number(name)?.doubleValue
    }

    /// A whole, non-negative number, e.g. a size in MiB.
    public func uint64(_ name: String) throws(ConfigError) -> UInt64? {
        guard let n = try number(name) else { return nil }
        guard let value = n.uint64Value else {
            throw mismatch(name, "a whole number from 0 to \(UInt64.max)", .number(n))
        }
        return value
    }

    public func duration(_ name: String) throws(ConfigError) -> Duration? {
        guard let text = try string(name) else { return nil }
        do {
            return try GoDuration.parse(text)
        } catch {
            throw ConfigError(field: FieldPath.child(path, name), "must be \(ConfigType.duration.phrase), got string \"\(text)\": \(error)", subject: subject)
        }
    }

    public func stringList(_ name: String) throws(ConfigError) -> [String]? {
        switch values[name] ?? .null {
        case .null: return nil
        case .list(let items):
            var strings: [String] = []
            for (i, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    throw ConfigError(field: FieldPath.index(FieldPath.child(path, name), i), "must be a string, got \(item.summary)", subject: subject)
                }
                strings.append(s)
            }
            return strings
        case let other: throw mismatch(name, "a list of strings", other)
        }
    }

    private func mismatch(_ name: String, _ expected: String, _ value: CtyValue) -> ConfigError {
        ConfigError(field: FieldPath.child(path, name), "must be \(expected), got \(value.summary)", subject: subject)
    }
}
