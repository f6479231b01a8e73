import PluginProto

/// The type of a config attribute. Each maps to an HCL type expression for the spec, and to
/// the conversion and check applied when decoding.
public indirect enum ConfigType: Sendable, Equatable {
    case string
    case number
    case bool
    /// A Go duration string (`"1m30s"`): `string` to Nomad, parsed and checked by us.
    case duration
    case list(ConfigType)
    case map(ConfigType)

    /// The HCL type expression Nomad parses from `Attr.type`.
    public var hclType: String {
        switch self {
        case .string, .duration: return "string"
        case .number: return "number"
        case .bool: return "bool"
        case .list(let element): return "list(\(element.hclType))"
        case .map(let element): return "map(\(element.hclType))"
        }
    }

    /// How an error sentence names the type: `a number`, `a list of strings`.
    public var phrase: String {
        switch self {
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a bool (true or false)"
        case .duration: return "a duration such as \"30s\" or \"1m30s\""
        case .list(let element): return "a list of \(element.plural)"
        case .map(let element): return "a map of \(element.plural)"
        }
    }

    private var plural: String {
        switch self {
        case .string: return "strings"
        case .number: return "numbers"
        case .bool: return "bools"
        case .duration: return "durations"
        case .list(let element): return "lists of \(element.plural)"
        case .map(let element): return "maps of \(element.plural)"
        }
    }
}

/// One entry of a config object: an attribute or a nested single block.
public struct ConfigField: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `default` is filled in when the value is absent or null, by Nomad (as a spec
        /// literal) and by us (for an absent block, or input that did not come from Nomad).
        case attribute(ConfigType, required: Bool, default: CtyValue?)
        case block(ConfigSchema)
    }

    public let name: String
    public let kind: Kind

    public static func attr(_ name: String, _ type: ConfigType, required: Bool = false, default value: CtyValue? = nil) -> ConfigField {
        ConfigField(name: name, kind: .attribute(type, required: required, default: value))
    }

    /// An optional `name { ... }` block; absent or empty, its fields take their defaults.
    public static func block(_ name: String, _ fields: [ConfigField]) -> ConfigField {
        ConfigField(name: name, kind: .block(ConfigSchema(fields: fields)))
    }
}

/// A config object declared once, from which both the hclspec Nomad receives and the
/// decoding we apply are derived, so the two cannot disagree.
///
///     ConfigSchema.object([
///         .attr("command", .string, required: true),
///         .attr("interval", .duration, default: "1s"),
///         .block("disk", [.attr("paths", .list(.string))]),
///     ])
public struct ConfigSchema: Sendable, Equatable {
    public let fields: [ConfigField]

    public init(fields: [ConfigField]) {
        self.fields = fields
    }

    public static func object(_ fields: [ConfigField]) -> ConfigSchema {
        ConfigSchema(fields: fields)
    }

    /// The hclspec: an `Object`; defaults as `Default{Attr, Literal}`; blocks as optional `Block`.
    public var spec: HCLSpec {
        var attributes: [String: HCLSpec] = [:]
        for field in fields {
            switch field.kind {
            case .attribute(let type, let required, let value):
                if let value {
                    attributes[field.name] = .default(
                        primary: .attr(name: field.name, type: type.hclType, required: false),
                        default: .literal(HCLLiteral.render(value)))
                } else {
                    attributes[field.name] = .attr(name: field.name, type: type.hclType, required: required)
                }
            case .block(let nested):
                attributes[field.name] = .block(name: field.name, required: false, nested: nested.spec)
            }
        }
        return .object(attributes)
    }

    /// Checks `value` against the schema, converts scalars the way HCL would (`"42"` → 42,
    /// 8080 → `"8080"`), fills defaults and returns the object for typed reading.
    /// Unknown keys, wrong types and missing required attributes throw, naming the field.
    public func decode(_ value: CtyValue, subject: String, path: String = "") throws(ConfigError) -> ConfigObject {
        guard let entries = Self.objectEntries(value) else {
            let what = path.isEmpty ? "the configuration must be an object" : "must be a block of settings"
            throw ConfigError(field: path, "\(what), got \(value.summary)", subject: subject)
        }

        let known = Set(fields.map(\.name))
        if let unknown = entries.keys.filter({ !known.contains($0) }).sorted().first {
            let list = fields.map(\.name).sorted().joined(separator: ", ")
            throw ConfigError(field: FieldPath.child(path, unknown), "is not a known option; expected one of: \(list)", subject: subject)
        }

        var result: [String: CtyValue] = [:]
        var blocks: [String: ConfigObject] = [:]
        for field in fields {
            let fieldPath = FieldPath.child(path, field.name)
            let given = entries[field.name] ?? .null
            switch field.kind {
            case .attribute(let type, let required, let defaultValue):
                if given == .null {
                    if let defaultValue {
                        result[field.name] = try Self.convert(defaultValue, to: type, path: fieldPath, subject: subject)
                    } else if required {
                        throw ConfigError(field: fieldPath, "is required and must be \(type.phrase)", subject: subject)
                    } else {
                        result[field.name] = .null
                    }
                } else {
                    result[field.name] = try Self.convert(given, to: type, path: fieldPath, subject: subject)
                }
            case .block(let nested):
                blocks[field.name] = try nested.decode(given, subject: subject, path: fieldPath)
            }
        }
        return ConfigObject(path: path, subject: subject, values: result, blocks: blocks)
    }

    private static func objectEntries(_ value: CtyValue) -> [String: CtyValue]? {
        switch value {
        case .null: return [:]
        case .map(let map): return map
        // HCL's JSON syntax may write a block as a one-element array of objects.
        case .list(let items) where items.count == 1:
            if case .map(let map) = items[0] { return map }
            return nil
        default: return nil
        }
    }

    /// cty's safe conversions between primitive types, then the type's own check.
    static func convert(_ value: CtyValue, to type: ConfigType, path: String, subject: String) throws(ConfigError) -> CtyValue {
        let mismatch = ConfigError(field: path, "must be \(type.phrase), got \(value.summary)", subject: subject)
        switch (type, value) {
        case (.string, .string): return value
        case (.string, .number(let n)): return .string(n.description)
        case (.string, .bool(let b)): return .string(b ? "true" : "false")
        case (.number, .number): return value
        case (.number, .string(let s)):
            guard let n = CtyNumber(decimal: s.trimmingSpaces) else { throw mismatch }
            return .number(n)
        case (.bool, .bool): return value
        case (.bool, .string("true")): return .bool(true)
        case (.bool, .string("false")): return .bool(false)
        case (.duration, _):
            let text = try convert(value, to: .string, path: path, subject: subject)
            guard case .string(let s) = text else { throw mismatch }
            do {
                _ = try GoDuration.parse(s)
            } catch {
                throw ConfigError(field: path, "must be \(type.phrase), got \(value.summary): \(error)", subject: subject)
            }
            return text
        case (.list(let element), .list(let items)):
            var converted: [CtyValue] = []
            for (i, item) in items.enumerated() {
                let itemPath = FieldPath.index(path, i)
                guard item != .null else {
                    throw ConfigError(field: itemPath, "must be \(element.phrase), got null", subject: subject)
                }
                converted.append(try convert(item, to: element, path: itemPath, subject: subject))
            }
            return .list(converted)
        case (.map(let element), .map(let entries)):
            var converted: [String: CtyValue] = [:]
            for key in entries.keys.sorted() {
                let itemPath = FieldPath.child(path, key)
                let item = entries[key] ?? .null
                guard item != .null else {
                    throw ConfigError(field: itemPath, "must be \(element.phrase), got null", subject: subject)
                }
                converted[key] = try convert(item, to: element, path: itemPath, subject: subject)
            }
            return .map(converted)
        default:
            throw mismatch
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
