/// The constants a go-plugin host and plugin must agree on before anything else is said.
///
/// Nomad's values: cookie `NOMAD_PLUGIN_MAGIC_COOKIE`, application protocol 2, gRPC only.
public struct HandshakeConfig: Sendable, Equatable {
    /// go-plugin's own protocol version, the first field of the handshake line.
    public static let coreProtocolVersion = 1

    public var magicCookieKey: String
    public var magicCookieValue: String
    /// The application protocol versions this plugin can speak, best first.
    public var appProtocolVersions: [Int]

    public init(magicCookieKey: String, magicCookieValue: String, appProtocolVersions: [Int]) {
        self.magicCookieKey = magicCookieKey
        self.magicCookieValue = magicCookieValue
        self.appProtocolVersions = appProtocolVersions
    }

    /// What a Nomad agent sends to its plugins.
    public static let nomad = HandshakeConfig(
        magicCookieKey: "NOMAD_PLUGIN_MAGIC_COOKIE",
        magicCookieValue: "e4327c2e01eabfd75a8a67adb114fb34a757d57eee7728d857a8cec6e91a7255",
        appProtocolVersions: [2]
    )
}

/// Why the plugin refuses to start; `message` is printed to stderr as is.
public struct HandshakeError: Error, Sendable, Equatable {
    public var message: String
}

/// The outcome of reading the host's environment at start-up.
public struct HandshakeNegotiation: Sendable, Equatable {
    /// The application protocol version both sides speak.
    public var appProtocolVersion: Int
    /// `PLUGIN_UNIX_SOCKET_DIR`: where to create the socket directory (nil: the temp dir).
    public var socketParent: String?
    /// `PLUGIN_UNIX_SOCKET_GROUP`: a group name or numeric id that must be able to connect.
    public var socketGroup: String?

    /// Checks the magic cookie and picks the protocol version the way go-plugin's server does:
    /// the highest version offered in `PLUGIN_PROTOCOL_VERSIONS` that we speak, or our first
    /// version when the host offers none.
    public static func negotiate(
        config: HandshakeConfig,
        environment: [String: String],
        binaryName: String,
        jobUsage: String = "jobs then use driver = \"swift\""
    ) -> Result<HandshakeNegotiation, HandshakeError> {
        guard environment[config.magicCookieKey] == config.magicCookieValue else {
            return .failure(HandshakeError(message: """
                This binary is a plugin for HashiCorp Nomad and is not meant to be run by hand. \
                Copy \(binaryName) into the Nomad client's plugin_dir, add a \
                plugin "\(binaryName)" { config { ... } } block to the client configuration, \
                and restart the Nomad agent; \(jobUsage).
                """))
        }
        var chosen = config.appProtocolVersions.first ?? 2
        if let offered = environment["PLUGIN_PROTOCOL_VERSIONS"], !offered.isEmpty {
            // ASCII blanks only: Character.isWhitespace reads the Unicode property tables, pages
            // the plugin would otherwise never touch (go-plugin sends plain "1,2").
            let versions = offered.split(separator: ",").compactMap { Int($0.filter { !" \t\r\n".contains($0) }) }
            guard let best = versions.filter(config.appProtocolVersions.contains).max() else {
                let ours = config.appProtocolVersions.map(String.init).joined(separator: ",")
                return .failure(HandshakeError(message: """
                    The plugin host offered plugin protocol versions "\(offered)", but \(binaryName) \
                    speaks only version \(ours); use a Nomad release that supports protocol \(ours).
                    """))
            }
            chosen = best
        }
        func nonEmpty(_ key: String) -> String? {
            guard let value = environment[key], !value.isEmpty else { return nil }
            return value
        }
        return .success(HandshakeNegotiation(
            appProtocolVersion: chosen,
            socketParent: nonEmpty("PLUGIN_UNIX_SOCKET_DIR"),
            socketGroup: nonEmpty("PLUGIN_UNIX_SOCKET_GROUP")
        ))
    }

    /// The single line printed on stdout once the socket accepts connections:
    /// core version, app version, network, address, protocol, and an empty certificate field.
    public func handshakeLine(socketPath: String) -> String {
        "\(HandshakeConfig.coreProtocolVersion)|\(appProtocolVersion)|unix|\(socketPath)|grpc|"
    }
}
