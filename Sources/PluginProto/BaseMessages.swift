import PluginProtoC

/// `hashicorp.nomad.plugins.base.proto.PluginInfoResponse`.
public struct PluginInfoResponse: WireMessage, Equatable {
    /// `PluginType`; Nomad only accepts `driver` for a task driver.
    public enum PluginType: Int32, Sendable, Equatable {
        case unknown = 0
        case driver = 2
        case device = 3
    }

    public var type: PluginType
    public var pluginAPIVersions: [String]
    public var pluginVersion: String
    public var name: String

    public init(type: PluginType, pluginAPIVersions: [String], pluginVersion: String, name: String) {
        self.type = type
        self.pluginAPIVersions = pluginAPIVersions
        self.pluginVersion = pluginVersion
        self.name = name
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.base.proto.PluginInfoResponse",
            unpack: hashicorp__nomad__plugins__base__proto__plugin_info_response__unpack,
            free: hashicorp__nomad__plugins__base__proto__plugin_info_response__free_unpacked
        ) { (c: CPluginInfoResponse) throws(WireDecodingError) in
            PluginInfoResponse(
                type: PluginType(rawValue: CRead.enumValue(c.type)) ?? .unknown,
                pluginAPIVersions: CRead.strings(c.plugin_api_versions, c.n_plugin_api_versions),
                pluginVersion: CRead.string(c.plugin_version), name: CRead.string(c.name))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__base__proto__plugin_info_response__init)
                message.pointee.type = .init(rawValue: .init(truncatingIfNeeded: type.rawValue))
                message.pointee.n_plugin_api_versions = pluginAPIVersions.count
                message.pointee.plugin_api_versions = arena.strings(pluginAPIVersions)
                message.pointee.plugin_version = arena.string(pluginVersion)
                message.pointee.name = arena.string(name)
                return message
            },
            size: hashicorp__nomad__plugins__base__proto__plugin_info_response__get_packed_size,
            pack: hashicorp__nomad__plugins__base__proto__plugin_info_response__pack
        )
    }
}

/// `hashicorp.nomad.plugins.base.proto.ConfigSchemaResponse`; a nil spec means "no plugin config".
public struct ConfigSchemaResponse: WireMessage, Equatable {
    public var spec: HCLSpec?

    public init(spec: HCLSpec?) {
        self.spec = spec
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.base.proto.ConfigSchemaResponse",
            unpack: hashicorp__nomad__plugins__base__proto__config_schema_response__unpack,
            free: hashicorp__nomad__plugins__base__proto__config_schema_response__free_unpacked
        ) { (c: CConfigSchemaResponse) throws(WireDecodingError) in
            ConfigSchemaResponse(spec: try c.spec.map { (p) throws(WireDecodingError) in try HCLSpec(p.pointee) })
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__base__proto__config_schema_response__init)
                message.pointee.spec = spec?.build(in: arena)
                return message
            },
            size: hashicorp__nomad__plugins__base__proto__config_schema_response__get_packed_size,
            pack: hashicorp__nomad__plugins__base__proto__config_schema_response__pack
        )
    }
}

/// `hashicorp.nomad.plugins.base.proto.SetConfigRequest`.
public struct SetConfigRequest: WireMessage, Equatable {
    /// `NomadConfig.driver` (`NomadDriverConfig`); the topology Nomad 1.7+ adds is not decoded.
    public struct NomadDriverConfig: Sendable, Equatable {
        public var clientMaxPort: UInt32
        public var clientMinPort: UInt32

        public init(clientMaxPort: UInt32, clientMinPort: UInt32) {
            self.clientMaxPort = clientMaxPort
            self.clientMinPort = clientMinPort
        }
    }

    /// `NomadConfig`; absent in the loader's validation calls, present in the long-lived instance.
    public struct NomadConfig: Sendable, Equatable {
        public var driver: NomadDriverConfig?

        public init(driver: NomadDriverConfig?) {
            self.driver = driver
        }
    }

    /// The plugin `config {}` block as cty msgpack; empty when the plugin has no config schema.
    public var msgpackConfig: [UInt8]
    public var nomadConfig: NomadConfig?
    public var pluginAPIVersion: String

    public init(msgpackConfig: [UInt8], nomadConfig: NomadConfig?, pluginAPIVersion: String) {
        self.msgpackConfig = msgpackConfig
        self.nomadConfig = nomadConfig
        self.pluginAPIVersion = pluginAPIVersion
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.base.proto.SetConfigRequest",
            unpack: hashicorp__nomad__plugins__base__proto__set_config_request__unpack,
            free: hashicorp__nomad__plugins__base__proto__set_config_request__free_unpacked
        ) { (c: CSetConfigRequest) throws(WireDecodingError) in
            SetConfigRequest(
                msgpackConfig: CRead.bytes(c.msgpack_config),
                nomadConfig: c.nomad_config.map { config in
                    NomadConfig(driver: config.pointee.driver.map {
                        NomadDriverConfig(clientMaxPort: $0.pointee.clientmaxport, clientMinPort: $0.pointee.clientminport)
                    })
                },
                pluginAPIVersion: CRead.string(c.plugin_api_version))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__base__proto__set_config_request__init)
                message.pointee.msgpack_config = arena.bytes(msgpackConfig)
                if let nomadConfig {
                    let config = arena.message(hashicorp__nomad__plugins__base__proto__nomad_config__init)
                    if let driver = nomadConfig.driver {
                        let d = arena.message(hashicorp__nomad__plugins__base__proto__nomad_driver_config__init)
                        d.pointee.clientmaxport = driver.clientMaxPort
                        d.pointee.clientminport = driver.clientMinPort
                        config.pointee.driver = d
                    }
                    message.pointee.nomad_config = config
                }
                message.pointee.plugin_api_version = arena.string(pluginAPIVersion)
                return message
            },
            size: hashicorp__nomad__plugins__base__proto__set_config_request__get_packed_size,
            pack: hashicorp__nomad__plugins__base__proto__set_config_request__pack
        )
    }
}
