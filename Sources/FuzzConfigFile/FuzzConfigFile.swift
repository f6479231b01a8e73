import FuzzSupport
import SwiftDriver

/// Fuzz target: the operator's plugin config file (`fingerprint --config`), read both as JSON
/// and as the HCL subset; each reader must throw or return a validated config.
@main
enum FuzzConfigFile {
    static func main() {
        FuzzEntry.run { data, size in
            FuzzEntry.result(FuzzConfigFile.check(FuzzEntry.bytes(data, size)))
        }
    }

    /// True when either reader accepts the text.
    static func check(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        let json = try? PluginConfigFile.parse(text, json: true)
        let hcl = try? PluginConfigFile.parse(text, json: false)
        return json != nil || hcl != nil
    }
}
