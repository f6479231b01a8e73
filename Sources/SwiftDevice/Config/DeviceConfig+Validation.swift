import ConfigDecoding

extension DeviceConfig {
    /// Range and cross-field checks; errors name the field as the schema spells it.
    public func validate() throws(ConfigError) {
        let schema = Self.configSchema
        func name(_ keyPath: PartialKeyPath<DeviceConfig>) -> String { schema.name(of: keyPath) }
        func fail(_ keyPath: PartialKeyPath<DeviceConfig>, _ message: String) -> ConfigError { schema.error(keyPath, message) }

        try schema.requireOneOf(Self.logLevels, logLevel, at: \.logLevel)
        try schema.requireAbsolutePaths(paths, at: \.paths)
        if let duplicate = Self.firstDuplicate(paths) {
            throw fail(\.paths, "lists \"\(duplicate)\" twice; each path is one device group")
        }
        if !names.isEmpty, names.count != paths.count {
            throw fail(\.names, "must name every path in \(name(\.paths)) in order (\(paths.count)), got \(names.count) names")
        }
        for (i, group) in names.enumerated() where !DeviceGroupName.isValid(group) {
            throw schema.error(\.names, index: i, "must be 1 to 32 of a-z, 0-9, _ and -, got string \"\(group)\"")
        }
        if let duplicate = Self.firstDuplicate(names) {
            throw fail(\.names, "names the group \"\(duplicate)\" twice")
        }
        if unitMB < 1 {
            throw fail(\.unitMB, "must be at least 1, got \(unitMB)")
        }
        // Only a value the operator set can be out of range: the default shrinks with the groups.
        if let maxInstances, maxInstances < 1 || maxInstances * groupCount > Self.maxInstancesPerNode {
            throw fail(\.maxInstances, "must be from 1 to \(Self.maxInstancesPerNode / groupCount) with \(groupCount) group(s), so the node's device list stays under 64 KiB, got \(maxInstances)")
        }
        for field in [\DeviceConfig.interval] where self[keyPath: field] <= .zero {
            throw fail(field, "must be a duration above zero, got \"\(GoDuration.format(self[keyPath: field]))\"")
        }
        if fingerprintMinInterval < .zero {
            throw fail(\.fingerprintMinInterval, "must not be negative, got \"\(GoDuration.format(fingerprintMinInterval))\"")
        }
    }

    private static func firstDuplicate(_ values: [String]) -> String? {
        var seen = Set<String>()
        return values.first { !seen.insert($0).inserted }
    }
}
