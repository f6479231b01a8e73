import GoPluginServer
/// Renders a report for `nomad-driver-swift fingerprint`: exactly the health, description and
/// attributes Nomad would get.
public struct FingerprintPrinter: Sendable {
    public init() {}

    /// Human-readable lines, attributes sorted by name:
    /// ```
    /// Health: healthy
    /// Description: healthy: no disk pressure on /
    /// Attributes:
    ///   driver.swift.disk.paths = /
    /// ```
    public func renderText(_ report: FingerprintReport) -> String {
        var lines = ["Health: \(report.health.rawValue)", "Description: \(report.healthDescription)", "Attributes:"]
        for name in report.attributes.keys.sorted() {
            lines.append("  \(name) = \(report.attributes[name].map(String.init(describing:)) ?? "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line of JSON with sorted keys, so `--watch` output is one report per line:
    /// `{"health":"healthy","health_description":"...","attributes":{"driver.swift.version":"0.1.0",...}}`.
    /// Ints stay JSON integers, so scripts can compare them numerically.
    public func renderJSON(_ report: FingerprintReport) -> String {
        let attributes = report.attributes.keys.sorted().map { name in
            "\(JSONString.literal(name)):\(jsonValue(report.attributes[name] ?? .string("")))"
        }
        return "{\"health\":\(JSONString.literal(report.health.rawValue)),"
            + "\"health_description\":\(JSONString.literal(report.healthDescription)),"
            + "\"attributes\":{\(attributes.joined(separator: ","))}}"
    }

    /// A JSON string literal (for the watch view's extra fields).
    static func jsonLiteral(_ value: String) -> String { JSONString.literal(value) }

    private func jsonValue(_ value: AttributeValue) -> String {
        switch value {
        case .int(let number): return String(number)
        // JSON has no NaN or infinity; null is the honest rendering.
        case .float(let number): return number.isFinite ? String(number) : "null"
        case .string(let text): return JSONString.literal(text)
        case .bool(let flag): return flag ? "true" : "false"
        }
    }
}
