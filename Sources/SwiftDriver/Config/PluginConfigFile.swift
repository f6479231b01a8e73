import Foundation

/// Loads an operator's plugin config from a file, for `nomad-driver-swift fingerprint --config`.
///
/// Accepted: JSON (`.json`, or content starting with `{`) and a small HCL subset (see
/// `HCLSubsetReader`). The file may hold just the `config {}` block's contents, or the whole
/// `plugin "nomad-driver-swift" { config { ... } }` block as an operator writes it in the client
/// config. Either way the result goes through the same decoding and validation as SetConfig.
public enum PluginConfigFile {
    /// The `plugin` block label the config is looked up under.
    public static let pluginLabel = DriverIdentity.binaryName

    public static func load(path: String) throws(ConfigError) -> PluginConfig {
        let subject = "plugin config in \(path)"
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError("cannot read the file: \(error.localizedDescription)", subject: subject)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("the file is not UTF-8 text", subject: subject)
        }
        do {
            return try parse(text, json: isJSON(path: path, text: text))
        } catch {
            throw error.about(subject)
        }
    }

    /// Parses file contents; `json` picks the syntax.
    public static func parse(_ text: String, json: Bool) throws(ConfigError) -> PluginConfig {
        let document = json ? try JSONConfigReader.parse(text) : try HCLSubsetReader.parse(text)
        return try PluginConfig(cty: try configBlock(in: document))
    }

    static func isJSON(path: String, text: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".json") { return true }
        if lower.hasSuffix(".hcl") { return false }
        return text.first(where: { !$0.isWhitespace }) == "{"
    }

    /// Finds `plugin "nomad-driver-swift" { config { ... } }` when the file has that wrapper;
    /// otherwise the whole document is the config block.
    static func configBlock(in document: CtyValue) throws(ConfigError) -> CtyValue {
        guard case .map(let top) = single(document), let plugins = top["plugin"] else { return document }
        // HCL JSON may write each block level as an object or as an array of objects.
        var found: CtyValue?
        for candidate in objects(plugins) {
            if let block = candidate[pluginLabel] {
                guard found == nil, objects(block).count == 1 else {
                    throw ConfigError(field: "plugin.\(pluginLabel)", "appears more than once", subject: PluginConfig.errorSubject)
                }
                found = block
            }
        }
        guard let found, case .map(let plugin) = single(found) else {
            throw ConfigError("the file has plugin blocks but none labelled \"\(pluginLabel)\"", subject: PluginConfig.errorSubject)
        }
        return single(plugin["config"] ?? .null)
    }

    private static func single(_ value: CtyValue) -> CtyValue {
        if case .list(let items) = value, items.count == 1 { return items[0] }
        return value
    }

    private static func objects(_ value: CtyValue) -> [[String: CtyValue]] {
        switch value {
        case .map(let m): return [m]
        case .list(let items): return items.compactMap { if case .map(let m) = $0 { return m } else { return nil } }
        default: return []
        }
    }
}

/// JSON text to `CtyValue` with Foundation's `JSONSerialization`.
enum JSONConfigReader {
    static func parse(_ text: String) throws(ConfigError) -> CtyValue {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw ConfigError("the file is not valid JSON: \(error.localizedDescription)", subject: PluginConfig.errorSubject)
        }
        return try convert(object, path: "")
    }

    static func convert(_ object: Any, path: String) throws(ConfigError) -> CtyValue {
        switch object {
        case is NSNull:
            return .null
        case let string as String:
            return .string(string)
        case let number as NSNumber:
            return scalar(number)
        case let array as [Any]:
            var items: [CtyValue] = []
            for (i, item) in array.enumerated() { items.append(try convert(item, path: FieldPath.index(path, i))) }
            return .list(items)
        case let dictionary as [String: Any]:
            var entries: [String: CtyValue] = [:]
            for (key, item) in dictionary { entries[key] = try convert(item, path: FieldPath.child(path, key)) }
            return .map(entries)
        default:
            throw ConfigError(field: path, "has a JSON value of an unsupported kind", subject: PluginConfig.errorSubject)
        }
    }

    /// JSON booleans also arrive as NSNumber; their Objective-C type code is `c` (char), which
    /// JSONSerialization uses for nothing else.
    private static func scalar(_ number: NSNumber) -> CtyValue {
        switch String(cString: number.objCType) {
        case "c", "B": return .bool(number.boolValue)
        case "d", "f": return .number(CtyNumber(number.doubleValue))
        case "Q", "L", "I", "S", "C": return .number(CtyNumber(number.uint64Value))
        default: return .number(CtyNumber(number.int64Value))
        }
    }
}
