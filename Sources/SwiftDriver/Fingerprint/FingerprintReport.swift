/// Driver health as Nomad's Fingerprint understands it.
public enum DriverHealth: String, Sendable, Equatable {
    case undetected
    case unhealthy
    case healthy
}

/// A driver attribute value. Always unitless: a unit would render as e.g. "123MiB" and break
/// numeric constraints.
public enum AttributeValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int64)
    case float(Double)
    case string(String)
    case bool(Bool)

    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .float(let value): return String(value)
        case .string(let value): return value
        case .bool(let value): return value ? "true" : "false"
        }
    }
}

/// What the driver tells Nomad in a FingerprintResponse, as plain values; the wire layer maps it.
public struct FingerprintReport: Sendable, Equatable {
    public var health: DriverHealth
    public var healthDescription: String
    public var attributes: [String: AttributeValue]

    public init(health: DriverHealth, healthDescription: String, attributes: [String: AttributeValue]) {
        self.health = health
        self.healthDescription = healthDescription
        self.attributes = attributes
    }
}
