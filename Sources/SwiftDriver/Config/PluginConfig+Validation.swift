extension PluginConfig {
    /// Cross-field and range checks that a type cannot express. Errors name the field, as the
    /// schema spells it.
    public func validate() throws(ConfigError) {
        let schema = Self.configSchema
        func name(_ keyPath: PartialKeyPath<PluginConfig>) -> String { schema.name(of: keyPath) }
        func fail(_ keyPath: PartialKeyPath<PluginConfig>, _ message: String) -> ConfigError { schema.error(keyPath, message) }

        try schema.requireOneOf(Self.logLevels, logLevel, at: \.logLevel)
        try schema.requireAbsolutePaths(disk.paths, at: \.disk.paths)

        let percents: [KeyPath<PluginConfig, Double>] = [
            \.disk.softFreePercent, \.disk.hardFreePercent, \.disk.hardInodesFreePercent, \.disk.minReclaimPercent,
        ]
        for field in percents where !(0...100).contains(self[keyPath: field]) {
            throw fail(field, "must be a percentage from 0 to 100, got \(Self.number(self[keyPath: field]))")
        }
        if disk.hardFreePercent > disk.softFreePercent {
            throw fail(\.disk.hardFreePercent, "must not be above \(name(\.disk.softFreePercent)) (\(Self.number(disk.softFreePercent))), got \(Self.number(disk.hardFreePercent))")
        }
        if disk.softFreeMB != 0, disk.softFreeMB < disk.hardFreeMB {
            throw fail(\.disk.softFreeMB, "must be 0 (off) or at least \(name(\.disk.hardFreeMB)) (\(disk.hardFreeMB)), got \(disk.softFreeMB)")
        }
        if disk.attributeStepMB < 1 {
            throw fail(\.disk.attributeStepMB, "must be at least 1, got \(disk.attributeStepMB)")
        }

        // Sampling and pacing intervals must move forward; waits may be zero (no wait).
        let positive: [KeyPath<PluginConfig, Duration>] = [
            \.disk.interval, \.disk.softGrace, \.eviction.interval, \.disk.predictMinWindow, \.disk.predictWindow,
        ]
        for field in positive where self[keyPath: field] <= .zero {
            throw fail(field, "must be a duration above zero, got \"\(GoDuration.format(self[keyPath: field]))\"")
        }
        let nonNegative: [KeyPath<PluginConfig, Duration>] = [
            \.disk.transitionPeriod, \.disk.attributeMinInterval, \.eviction.maxGrace, \.disk.predictHorizon,
        ]
        for field in nonNegative where self[keyPath: field] < .zero {
            throw fail(field, "must not be negative, got \"\(GoDuration.format(self[keyPath: field]))\"")
        }
        // The rate needs a full measuring window inside the remembered history.
        if disk.predictWindow < disk.predictMinWindow {
            throw fail(\.disk.predictWindow, "must not be shorter than \(name(\.disk.predictMinWindow)) (\"\(GoDuration.format(disk.predictMinWindow))\"), got \"\(GoDuration.format(disk.predictWindow))\"")
        }
    }

    /// `15` rather than `15.0` in sentences.
    private static func number(_ value: Double) -> String {
        CtyNumber(value).description
    }
}
