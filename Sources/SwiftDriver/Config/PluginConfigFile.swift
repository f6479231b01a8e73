import FoundationEssentials
import Glibc
import SystemSupport

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
        let bytes: [UInt8]
        do {
            bytes = try FileInput.read(atPath: path).bytes
        } catch {
            throw ConfigError("cannot read the file: \(error)", subject: subject)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
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

/// JSON text to `CtyValue`, through `JSONDecoder` and a node type that accepts any JSON value.
enum JSONConfigReader {
    static func parse(_ text: String) throws(ConfigError) -> CtyValue {
        do {
            return try JSONDecoder().decode(JSONNode.self, from: Data(text.utf8)).value
        } catch {
            throw ConfigError("the file is not valid JSON: \(JSONConfigReader.describe(error))", subject: PluginConfig.errorSubject)
        }
    }

    /// The decoder's own sentence for why the text is not JSON, without the coding-path noise.
    static func describe(_ error: any Error) -> String {
        guard case DecodingError.dataCorrupted(let context) = error else { return "\(error)" }
        if let underlying = context.underlyingError { return "\(context.debugDescription) (\(underlying))" }
        return context.debugDescription
    }
}

/// One JSON value of any kind. Booleans are tried before numbers (the decoder never reads
/// `true` as 1), and whole numbers before fractional ones so large integers stay exact.
private struct JSONNode: Decodable {
    let value: CtyValue

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            var entries: [String: CtyValue] = [:]
            for key in object.allKeys { entries[key.stringValue] = try object.decode(JSONNode.self, forKey: key).value }
            value = .map(entries)
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [CtyValue] = []
            while !array.isAtEnd { items.append(try array.decode(JSONNode.self).value) }
            value = .list(items)
        } else {
            let scalar = try decoder.singleValueContainer()
            if scalar.decodeNil() {
                value = .null
            } else if let bool = try? scalar.decode(Bool.self) {
                value = .bool(bool)
            } else if let int = try? scalar.decode(Int64.self) {
                value = .number(CtyNumber(int))
            } else if let uint = try? scalar.decode(UInt64.self) {
                value = .number(CtyNumber(uint))
            } else if let double = try? scalar.decode(Double.self) {
                value = .number(CtyNumber(double))
            } else {
                value = .string(try scalar.decode(String.self))
            }
        }
    }
}
