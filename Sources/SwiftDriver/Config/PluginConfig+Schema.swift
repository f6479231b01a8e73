import PluginProto

extension PluginConfig {
    /// The subject named in this config's error sentences.
    public static let errorSubject = "plugin config"

    /// The log levels `log_level` accepts (hclog's names).
    public static let logLevels = ["trace", "debug", "info", "warn", "error"]

    /// The plugin block, declared once. Defaults come from `DiskPressureConfig()` and
    /// `EvictionConfig()`, so the spec's literals and our own defaults are the same values.
    public static let configSchema: ConfigSchema = {
        let disk = DiskPressureConfig()
        let eviction = EvictionConfig()
        return .object([
            .attr("log_level", .string),
            .block("disk", [
                // No default: empty means "/opt/nomad/data if it exists, else /", decided at runtime.
                .attr("paths", .list(.string)),
                .attr("interval", .duration, default: .duration(disk.interval)),
                .attr("soft_free_percent", .number, default: .number(CtyNumber(disk.softFreePercent))),
                .attr("soft_free_mb", .number, default: .number(CtyNumber(disk.softFreeMB))),
                .attr("soft_grace", .duration, default: .duration(disk.softGrace)),
                .attr("hard_free_percent", .number, default: .number(CtyNumber(disk.hardFreePercent))),
                .attr("hard_free_mb", .number, default: .number(CtyNumber(disk.hardFreeMB))),
                .attr("hard_inodes_free_percent", .number, default: .number(CtyNumber(disk.hardInodesFreePercent))),
                .attr("min_reclaim_percent", .number, default: .number(CtyNumber(disk.minReclaimPercent))),
                .attr("transition_period", .duration, default: .duration(disk.transitionPeriod)),
                .attr("attribute_step_mb", .number, default: .number(CtyNumber(disk.attributeStepMB))),
                .attr("attribute_min_interval", .duration, default: .duration(disk.attributeMinInterval)),
            ]),
            .block("eviction", [
                .attr("enabled", .bool, default: .bool(eviction.enabled)),
                .attr("max_grace", .duration, default: .duration(eviction.maxGrace)),
                .attr("interval", .duration, default: .duration(eviction.interval)),
            ]),
        ])
    }()

    /// What `ConfigSchema` (BasePlugin) returns to Nomad.
    public static var schema: HCLSpec { configSchema.spec }

    /// Decodes `SetConfig`'s `msgpack_config`, then validates. Empty bytes (an absent field)
    /// mean an empty block: every default.
    public static func decode(msgpack: [UInt8]) throws(ConfigError) -> PluginConfig {
        if msgpack.isEmpty { return PluginConfig() }
        let value: CtyValue
        do {
            value = try CtyMsgpackDecoder().decode(msgpack)
        } catch {
            throw error.about(errorSubject)
        }
        return try PluginConfig(cty: value)
    }

    /// Reads a decoded plugin block (null means empty), fills defaults and validates.
    public init(cty: CtyValue) throws(ConfigError) {
        let root = try Self.configSchema.decode(cty, subject: Self.errorSubject)
        var config = PluginConfig()
        config.logLevel = try root.string("log_level")

        let disk = root.block("disk")
        if let v = try disk.stringList("paths") { config.disk.paths = v }
        if let v = try disk.duration("interval") { config.disk.interval = v }
        if let v = try disk.double("soft_free_percent") { config.disk.softFreePercent = v }
        if let v = try disk.uint64("soft_free_mb") { config.disk.softFreeMB = v }
        if let v = try disk.duration("soft_grace") { config.disk.softGrace = v }
        if let v = try disk.double("hard_free_percent") { config.disk.hardFreePercent = v }
        if let v = try disk.uint64("hard_free_mb") { config.disk.hardFreeMB = v }
        if let v = try disk.double("hard_inodes_free_percent") { config.disk.hardInodesFreePercent = v }
        if let v = try disk.double("min_reclaim_percent") { config.disk.minReclaimPercent = v }
        if let v = try disk.duration("transition_period") { config.disk.transitionPeriod = v }
        if let v = try disk.uint64("attribute_step_mb") { config.disk.attributeStepMB = v }
        if let v = try disk.duration("attribute_min_interval") { config.disk.attributeMinInterval = v }

        let eviction = root.block("eviction")
        if let v = try eviction.bool("enabled") { config.eviction.enabled = v }
        if let v = try eviction.duration("max_grace") { config.eviction.maxGrace = v }
        if let v = try eviction.duration("interval") { config.eviction.interval = v }

        try config.validate()
        self = config
    }
}

extension CtyValue {
    /// A duration default as Nomad's HCL would spell it (`"1m0s"`).
    static func duration(_ value: Duration) -> CtyValue {
        .string(GoDuration.format(value))
    }
}
