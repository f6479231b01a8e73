import PluginProto

/// Disk-monitor reports → `FingerprintResponse`. Attributes are sent without units: a unit
/// makes Nomad render the value as a string and breaks numeric constraints.
enum FingerprintMapping {
    static func response(_ report: FingerprintReport) -> FingerprintResponse {
        FingerprintResponse(attributes: report.attributes.mapValues(attribute), health: health(report.health),
                            healthDescription: report.healthDescription)
    }

    static func attribute(_ value: AttributeValue) -> Attribute {
        switch value {
        case .int(let number): .int(number)
        case .float(let number): .float(number)
        case .string(let text): .string(text)
        case .bool(let flag): .bool(flag)
        }
    }

    static func health(_ health: DriverHealth) -> FingerprintResponse.HealthState {
        switch health {
        case .undetected: .undetected
        case .unhealthy: .unhealthy
        case .healthy: .healthy
        }
    }
}
