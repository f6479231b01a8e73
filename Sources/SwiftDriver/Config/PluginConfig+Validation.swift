extension PluginConfig {
    /// Cross-field and range checks that a type cannot express. Errors name the field.
    public func validate() throws(ConfigError) {
        func fail(_ field: String, _ message: String) -> ConfigError {
            ConfigError(field: field, message, subject: Self.errorSubject)
        }

        if let level = logLevel, !Self.logLevels.contains(level) {
            throw fail("log_level", "must be one of \(Self.logLevels.joined(separator: ", ")), got string \"\(level)\"")
        }

        for (i, path) in disk.paths.enumerated() where !path.hasPrefix("/") || path.contains("\0") {
            let what = path.isEmpty ? "an empty string" : "string \"\(path)\""
            throw fail("disk.paths[\(i)]", "must be an absolute path starting with /, got \(what)")
        }

        let percents: [(String, Double)] = [
            ("disk.soft_free_percent", disk.softFreePercent),
            ("disk.hard_free_percent", disk.hardFreePercent),
            ("disk.hard_inodes_free_percent", disk.hardInodesFreePercent),
            ("disk.min_reclaim_percent", disk.minReclaimPercent),
        ]
        for (field, value) in percents where !(0...100).contains(value) {
            throw fail(field, "must be a percentage from 0 to 100, got \(Self.number(value))")
        }
        if disk.hardFreePercent > disk.softFreePercent {
            throw fail("disk.hard_free_percent", "must not be above disk.soft_free_percent (\(Self.number(disk.softFreePercent))), got \(Self.number(disk.hardFreePercent))")
        }
        if disk.softFreeMB != 0, disk.softFreeMB < disk.hardFreeMB {
            throw fail("disk.soft_free_mb", "must be 0 (off) or at least disk.hard_free_mb (\(disk.hardFreeMB)), got \(disk.softFreeMB)")
        }
        if disk.attributeStepMB < 1 {
            throw fail("disk.attribute_step_mb", "must be at least 1, got \(disk.attributeStepMB)")
        }

        // Sampling and pacing intervals must move forward; waits may be zero (no wait).
        let positive: [(String, Duration)] = [
            ("disk.interval", disk.interval),
            ("disk.soft_grace", disk.softGrace),
            ("eviction.interval", eviction.interval),
        ]
        for (field, value) in positive where value <= .zero {
            throw fail(field, "must be a duration above zero, got \"\(GoDuration.format(value))\"")
        }
        let nonNegative: [(String, Duration)] = [
            ("disk.transition_period", disk.transitionPeriod),
            ("disk.attribute_min_interval", disk.attributeMinInterval),
            ("eviction.max_grace", eviction.maxGrace),
        ]
        for (field, value) in nonNegative where value < .zero {
            throw fail(field, "must not be negative, got \"\(GoDuration.format(value))\"")
        }
    }

    /// `15` rather than `15.0` in sentences.
    private static func number(_ value: Double) -> String {
        CtyNumber(value).description
    }
}
