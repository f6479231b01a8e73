import PluginProto

/// A config struct that a `ConfigSchema` decodes into. `init()` holds every default, so the
/// struct's own initial values are the only defaults there are.
public protocol ConfigRoot: Sendable {
    init()
}

/// One entry of a config object: an attribute bound to its field in `Root`, or a nested block
/// whose entries are bound to fields of the same `Root` (`\.disk.interval`).
public struct ConfigField<Root: ConfigRoot>: Sendable {
    enum Kind: Sendable {
        case attribute(Attribute)
        case block([ConfigField<Root>])
    }

    /// What an attribute needs, captured from its key path once, at declaration.
    struct Attribute: Sendable {
        let keyPath: AnyKeyPath & Sendable
        let type: ConfigType
        let required: Bool
        /// The field's value in `Root()`, as the spec's default literal.
        let defaultLiteral: CtyValue?
        /// Decodes a non-null value and stores it in the field.
        let assign: @Sendable (inout Root, CtyValue, _ field: String, _ subject: String) throws(ConfigError) -> Void
    }

    let name: String
    let kind: Kind

    /// An attribute named `name` in HCL, stored at `keyPath`. Absent or null, the field keeps its
    /// value from `Root()`, which is also the default Nomad is told; `required` attributes have none.
    public static func attr<Value: ConfigValue>(
        _ name: String, _ keyPath: WritableKeyPath<Root, Value> & Sendable, required: Bool = false
    ) -> ConfigField {
        let attribute = Attribute(
            keyPath: keyPath,
            type: Value.configType,
            required: required,
            defaultLiteral: required ? nil : Root()[keyPath: keyPath].defaultLiteral,
            assign: { root, value, field, subject throws(ConfigError) in
                root[keyPath: keyPath] = try Value.decode(value, field: field, subject: subject)
            })
        return ConfigField(name: name, kind: .attribute(attribute))
    }

    /// An optional `name { ... }` block; absent or empty, its fields keep their defaults.
    public static func block(_ name: String, _ fields: [ConfigField]) -> ConfigField {
        ConfigField(name: name, kind: .block(fields))
    }
}

/// A config object declared once, as a list of names bound to fields: the hclspec Nomad receives
/// and the decoding we apply both come from it, so the two cannot disagree, and each name is
/// spelled in one place.
///
///     ConfigSchema<TaskSettings>([
///         .attr("command", \.command, required: true),
///         .block("limits", [.attr("disk_mb", \.limits.diskMB)]),
///     ])
public struct ConfigSchema<Root: ConfigRoot>: Sendable {
    let fields: [ConfigField<Root>]
    /// Names the config in error sentences: `plugin config`, `task config`.
    public let subject: String

    public init(subject: String, _ fields: [ConfigField<Root>]) {
        self.subject = subject
        self.fields = fields
    }

    /// The dotted name of the attribute bound to `keyPath` (`disk.hard_free_percent`), for
    /// sentences about it; the schema is the only place names are spelled.
    public func name(of keyPath: PartialKeyPath<Root>) -> String {
        guard let name = Self.name(of: keyPath, in: fields, path: "") else {
            preconditionFailure("ConfigSchema: \(keyPath) is bound to no attribute")
        }
        return name
    }

    private static func name(of keyPath: AnyKeyPath, in fields: [ConfigField<Root>], path: String) -> String? {
        for field in fields {
            switch field.kind {
            case .attribute(let attribute) where attribute.keyPath == keyPath:
                return FieldPath.child(path, field.name)
            case .attribute:
                continue
            case .block(let nested):
                if let found = name(of: keyPath, in: nested, path: FieldPath.child(path, field.name)) { return found }
            }
        }
        return nil
    }

    /// The hclspec: an `Object`; defaults as `Default{Attr, Literal}`; blocks as optional `Block`.
    public var spec: HCLSpec { Self.spec(of: fields) }

    private static func spec(of fields: [ConfigField<Root>]) -> HCLSpec {
        var attributes: [String: HCLSpec] = [:]
        for field in fields {
            switch field.kind {
            case .attribute(let attribute):
                let primary = HCLSpec.attr(name: field.name, type: attribute.type.hclType, required: attribute.required)
                attributes[field.name] = attribute.defaultLiteral.map {
                    .default(primary: primary, default: .literal(HCLLiteral.render($0)))
                } ?? primary
            case .block(let nested):
                attributes[field.name] = .block(name: field.name, required: false, nested: spec(of: nested))
            }
        }
        return .object(attributes)
    }

    /// Reads a decoded config object (null means empty) into a `Root`: unknown keys, wrong types
    /// and missing required attributes throw, naming the field; the rest keep their defaults.
    public func decode(_ value: CtyValue) throws(ConfigError) -> Root {
        var root = Root()
        try Self.decode(value, fields: fields, path: "", into: &root, subject: subject)
        return root
    }

    private static func decode(
        _ value: CtyValue, fields: [ConfigField<Root>], path: String, into root: inout Root, subject: String
    ) throws(ConfigError) {
        guard let entries = objectEntries(value) else {
            let what = path.isEmpty ? "the configuration must be an object" : "must be a block of settings"
            throw ConfigError(field: path, "\(what), got \(value.summary)", subject: subject)
        }
        let known = Set(fields.map(\.name))
        if let unknown = entries.keys.filter({ !known.contains($0) }).sorted().first {
            let list = fields.map(\.name).sorted().joined(separator: ", ")
            throw ConfigError(field: FieldPath.child(path, unknown), "is not a known option; expected one of: \(list)", subject: subject)
        }
        for field in fields {
            let fieldPath = FieldPath.child(path, field.name)
            let given = entries[field.name] ?? .null
            switch field.kind {
            case .attribute(let attribute):
                if given != .null {
                    try attribute.assign(&root, given, fieldPath, subject)
                } else if attribute.required {
                    throw ConfigError(field: fieldPath, "is required and must be \(attribute.type.phrase)", subject: subject)
                }
            case .block(let nested):
                try decode(given, fields: nested, path: fieldPath, into: &root, subject: subject)
            }
        }
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
}
