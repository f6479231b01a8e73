import ConfigDecoding
import PluginProto

extension DeviceConfig {
    /// The log levels `log_level` accepts (hclog's names).
    public static let logLevels = ["trace", "debug", "info", "warn", "error"]
    /// The most instances all groups together may offer: each costs Nomad's node record about
    /// 200 bytes at worst (ID, health, health sentence), and a node update stays under 64 KiB.
    public static let maxInstancesPerNode: UInt64 = 320

    /// The plugin block, declared once: each name bound to its field, whose initial value in
    /// `DeviceConfig()` is the default.
    public static let configSchema = ConfigSchema<DeviceConfig>(subject: "device plugin config", [
        .attr("log_level", \.logLevel),
        .attr("paths", \.paths),
        .attr("names", \.names),
        .attr("unit_mb", \.unitMB),
        .attr("max_instances", \.maxInstances),
        .attr("headroom_mb", \.headroomMB),
        .attr("interval", \.interval),
        .attr("fingerprint_min_interval", \.fingerprintMinInterval),
    ])

    /// What `ConfigSchema` (BasePlugin) returns to Nomad.
    public static var schema: HCLSpec { configSchema.spec }

    /// Decodes `SetConfig`'s `msgpack_config`, then validates; empty bytes are an empty block.
    public static func decode(msgpack: [UInt8]) throws(ConfigError) -> DeviceConfig {
        if msgpack.isEmpty { return DeviceConfig() }
        return try DeviceConfig(cty: try CtyMsgpackDecoder.decode(msgpack, about: configSchema.subject))
    }

    /// Reads a decoded plugin block (null means empty), fills defaults and validates.
    public init(cty: CtyValue) throws(ConfigError) {
        self = try Self.configSchema.decode(cty)
        try validate()
    }
}
