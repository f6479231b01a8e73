import PluginProtoC

/// `hashicorp.nomad.plugins.shared.structs.Attribute`: a typed node attribute with an optional unit.
public struct Attribute: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case float(Double)
        case int(Int64)
        case string(String)
        case bool(Bool)
    }

    /// Nil when no value is set (Nomad turns that into the empty string).
    public var value: Value?
    public var unit: String

    public init(_ value: Value?, unit: String = "") {
        self.value = value
        self.unit = unit
    }

    public static func string(_ value: String) -> Attribute { Attribute(.string(value)) }
    public static func int(_ value: Int64, unit: String = "") -> Attribute { Attribute(.int(value), unit: unit) }
    public static func float(_ value: Double, unit: String = "") -> Attribute { Attribute(.float(value), unit: unit) }
    public static func bool(_ value: Bool) -> Attribute { Attribute(.bool(value)) }

    func build(in arena: CArena) -> UnsafeMutablePointer<CAttribute> {
        let message = arena.message(hashicorp__nomad__plugins__shared__structs__attribute__init)
        message.pointee.unit = arena.string(unit)
        switch value {
        case .float(let v):
            message.pointee.value_case = HASHICORP__NOMAD__PLUGINS__SHARED__STRUCTS__ATTRIBUTE__VALUE_FLOAT_VAL
            message.pointee.float_val = v
        case .int(let v):
            message.pointee.value_case = HASHICORP__NOMAD__PLUGINS__SHARED__STRUCTS__ATTRIBUTE__VALUE_INT_VAL
            message.pointee.int_val = v
        case .string(let v):
            message.pointee.value_case = HASHICORP__NOMAD__PLUGINS__SHARED__STRUCTS__ATTRIBUTE__VALUE_STRING_VAL
            message.pointee.string_val = arena.string(v)
        case .bool(let v):
            message.pointee.value_case = HASHICORP__NOMAD__PLUGINS__SHARED__STRUCTS__ATTRIBUTE__VALUE_BOOL_VAL
            message.pointee.bool_val = v ? 1 : 0
        case nil:
            break
        }
        return message
    }

    init(_ c: CAttribute) {
        let value: Value?
        switch c.value_case {
        case HASHICORP__NOMAD__PLUGINS__SHARED__STRUCTS__ATTRIBUTE__VALUE_FLOAT_VAL: value = .float(c.float_val)
        case HASHICORP__NOMAD__PLUGINS__SHARED__STRUCTS__ATTRIBUTE__VALUE_INT_VAL: value = .int(c.int_val)
        case HASHICORP__NOMAD__PLUGINS__SHARED__STRUCTS__ATTRIBUTE__VALUE_STRING_VAL: value = .string(CRead.string(c.string_val))
        case HASHICORP__NOMAD__PLUGINS__SHARED__STRUCTS__ATTRIBUTE__VALUE_BOOL_VAL: value = .bool(c.bool_val != 0)
        default: value = nil
        }
        self.init(value, unit: CRead.string(c.unit))
    }
}

/// `FingerprintResponse`: one message of the driver's fingerprint stream.
public struct FingerprintResponse: WireMessage, Equatable {
    /// `FingerprintResponse.HealthState`.
    public enum HealthState: Int32, Sendable, Equatable {
        case undetected = 0
        case unhealthy = 1
        case healthy = 2
    }

    /// Node attributes, keyed exactly as Nomad stores them (e.g. `driver.swift.version`).
    public var attributes: [String: Attribute]
    public var health: HealthState
    public var healthDescription: String
    /// A fingerprint error (Nomad 1.11.3+); empty when there is none.
    public var err: String

    public init(attributes: [String: Attribute], health: HealthState, healthDescription: String, err: String = "") {
        self.attributes = attributes
        self.health = health
        self.healthDescription = healthDescription
        self.err = err
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.drivers.proto.FingerprintResponse",
            unpack: hashicorp__nomad__plugins__drivers__proto__fingerprint_response__unpack,
            free: hashicorp__nomad__plugins__drivers__proto__fingerprint_response__free_unpacked
        ) { (c: CFingerprintResponse) throws(WireDecodingError) in
            var attributes: [String: Attribute] = [:]
            for entry in CRead.messages(c.attributes, c.n_attributes) {
                attributes[CRead.string(entry.key)] = entry.value.map { Attribute($0.pointee) } ?? Attribute(nil)
            }
            return FingerprintResponse(
                attributes: attributes, health: HealthState(rawValue: CRead.enumValue(c.health)) ?? .undetected,
                healthDescription: CRead.string(c.health_description), err: CRead.string(c.err))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__drivers__proto__fingerprint_response__init)
                let entries = attributes.keys.sorted().map { key in
                    let entry = arena.message(
                        hashicorp__nomad__plugins__drivers__proto__fingerprint_response__attributes_entry__init)
                    entry.pointee.key = arena.string(key)
                    entry.pointee.value = attributes[key]?.build(in: arena)
                    return Optional(entry)
                }
                message.pointee.n_attributes = entries.count
                message.pointee.attributes = arena.array(entries)
                message.pointee.health = .init(rawValue: .init(truncatingIfNeeded: health.rawValue))
                message.pointee.health_description = arena.string(healthDescription)
                message.pointee.err = arena.string(err)
                return message
            },
            size: hashicorp__nomad__plugins__drivers__proto__fingerprint_response__get_packed_size,
            pack: hashicorp__nomad__plugins__drivers__proto__fingerprint_response__pack
        )
    }
}
