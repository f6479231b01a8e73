/// Errors about a field, named as the schema spells it, and the checks more than one config
/// needs (a log level, absolute paths), so each sentence is written once.
extension ConfigSchema {
    /// `message` about the field at `keyPath`.
    public func error(_ keyPath: PartialKeyPath<Root>, _ message: String) -> ConfigError {
        ConfigError(field: name(of: keyPath), message, subject: subject)
    }

    /// `message` about element `index` of the list at `keyPath`.
    public func error(_ keyPath: PartialKeyPath<Root>, index: Int, _ message: String) -> ConfigError {
        ConfigError(field: FieldPath.index(name(of: keyPath), index), message, subject: subject)
    }

    /// A set value must be one of `allowed` (hclog's level names, say).
    public func requireOneOf(_ allowed: [String], _ value: String?, at keyPath: PartialKeyPath<Root>) throws(ConfigError) {
        guard let value, !allowed.contains(value) else { return }
        throw error(keyPath, "must be one of \(allowed.joined(separator: ", ")), got string \"\(value)\"")
    }

    /// Every path must be absolute (and hold no NUL, which no system call could take).
    public func requireAbsolutePaths(_ paths: [String], at keyPath: PartialKeyPath<Root>) throws(ConfigError) {
        for (i, path) in paths.enumerated() where !path.hasPrefix("/") || path.contains("\0") {
            let what = path.isEmpty ? "an empty string" : "string \"\(path)\""
            throw error(keyPath, index: i, "must be an absolute path starting with /, got \(what)")
        }
    }
}
