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

/// Attribute names, in one place because jobs' constraints depend on their exact spelling.
public enum DiskAttributeName {
    public static let version = "driver.swift.version"
    public static let paths = "driver.swift.disk.paths"
    public static let pressure = "driver.swift.disk.pressure"
    public static let availableMB = "unique.driver.swift.disk.available_mb"
    public static let capacityMB = "unique.driver.swift.disk.capacity_mb"
    public static let availablePercent = "unique.driver.swift.disk.available_percent"
    public static let inodesFreePercent = "unique.driver.swift.disk.inodes_free_percent"
}
