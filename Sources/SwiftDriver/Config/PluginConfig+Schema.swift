import PluginProto

extension PluginConfig: ConfigRoot {
    /// The log levels `log_level` accepts (hclog's names).
    public static let logLevels = ["trace", "debug", "info", "warn", "error"]

    /// The plugin block, declared once: each name bound to its field, whose initial value in
    /// `PluginConfig()` is the default (`disk.paths` has none: empty means "/opt/nomad/data if it
    /// exists, else /", decided at runtime).
    public static let configSchema = ConfigSchema<PluginConfig>(subject: "plugin config", [
        .attr("log_level", \.logLevel),
        .block("disk", [
            .attr("paths", \.disk.paths),
            .attr("interval", \.disk.interval),
            .attr("soft_free_percent", \.disk.softFreePercent),
            .attr("soft_free_mb", \.disk.softFreeMB),
            .attr("soft_grace", \.disk.softGrace),
            .attr("hard_free_percent", \.disk.hardFreePercent),
            .attr("hard_free_mb", \.disk.hardFreeMB),
            .attr("hard_inodes_free_percent", \.disk.hardInodesFreePercent),
            .attr("min_reclaim_percent", \.disk.minReclaimPercent),
            .attr("transition_period", \.disk.transitionPeriod),
            .attr("attribute_step_mb", \.disk.attributeStepMB),
            .attr("attribute_min_interval", \.disk.attributeMinInterval),
            .attr("predict_horizon", \.disk.predictHorizon),
            .attr("predict_min_window", \.disk.predictMinWindow),
            .attr("predict_window", \.disk.predictWindow),
        ]),
        .block("eviction", [
            .attr("enabled", \.eviction.enabled),
            .attr("max_grace", \.eviction.maxGrace),
            .attr("interval", \.eviction.interval),
            .attr("predictive", \.eviction.predictive),
        ]),
    ])

    /// The subject named in this config's error sentences.
    public static var errorSubject: String { configSchema.subject }

    /// What `ConfigSchema` (BasePlugin) returns to Nomad.
    public static var schema: HCLSpec { configSchema.spec }

    /// Decodes `SetConfig`'s `msgpack_config`, then validates. Empty bytes (an absent field)
    /// mean an empty block: every default.
    public static func decode(msgpack: [UInt8]) throws(ConfigError) -> PluginConfig {
        if msgpack.isEmpty { return PluginConfig() }
        return try PluginConfig(cty: try CtyMsgpackDecoder.decode(msgpack, about: errorSubject))
    }

    /// Reads a decoded plugin block (null means empty), fills defaults and validates.
    public init(cty: CtyValue) throws(ConfigError) {
        self = try Self.configSchema.decode(cty)
        try validate()
    }
}
