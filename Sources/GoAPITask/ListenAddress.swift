import GoAPI
import SystemSupport

/// Where the server listens, resolved from flags first, then Nomad's per-label
/// variables, then `PORT`, then the 8080 default.
struct ListenAddress: Equatable, Sendable {
    var host: String
    var port: Int

    static let defaultHost = "0.0.0.0"
    static let defaultPort = 8080

    /// Resolves the address; every rejected value names its source so the
    /// operator can tell a bad flag from a bad job-file variable.
    static func resolve(
        bind: String?,
        port: Int?,
        portLabel: String,
        environment: [String: String]
    ) throws(ConfigurationError) -> ListenAddress {
        let ipVariable = "NOMAD_IP_\(portLabel)"
        let portVariable = "NOMAD_PORT_\(portLabel)"

        let host: String
        if let bind {
            host = try checkedHost(bind, source: "--bind")
        } else if let value = environment[ipVariable] {
            host = try checkedHost(value, source: ipVariable)
        } else {
            host = defaultHost
        }

        let resolvedPort: Int
        if let port {
            resolvedPort = try checkedPort(port, source: "--port")
        } else if let value = environment[portVariable] {
            resolvedPort = try parsedPort(value, source: portVariable)
        } else if let value = environment["PORT"] {
            resolvedPort = try parsedPort(value, source: "PORT")
        } else {
            resolvedPort = defaultPort
        }
        return ListenAddress(host: host, port: resolvedPort)
    }

    private static func checkedHost(_ value: String, source: String) throws(ConfigurationError) -> String {
        let trimmed = value.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty, !trimmed.contains(where: \.isWhitespace) else {
            throw ConfigurationError("\(source) must be an IP address or host name, got '\(value)'.")
        }
        return String(trimmed)
    }

    private static func parsedPort(_ value: String, source: String) throws(ConfigurationError) -> Int {
        guard let number = Int(value.trimmingASCIIWhitespace()) else {
            throw ConfigurationError("\(source) must be a port number between 1 and 65535, got '\(value)'.")
        }
        return try checkedPort(number, source: source)
    }

    private static func checkedPort(_ value: Int, source: String) throws(ConfigurationError) -> Int {
        guard (1...65535).contains(value) else {
            throw ConfigurationError("\(source) must be a port number between 1 and 65535, got \(value).")
        }
        return value
    }
}

/// A startup setting that cannot be used; its description is one readable sentence.
struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    var description: String
    init(_ description: String) { self.description = description }
}
