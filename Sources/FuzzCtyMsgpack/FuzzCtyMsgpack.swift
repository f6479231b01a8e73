import FuzzSupport
import SwiftDriver

/// Fuzz target: go-cty msgpack bytes, as Nomad sends them in `SetConfigRequest.msgpack_config`
/// and `TaskConfig.msgpack_driver_config`, through the schema-less decoder and both schemas.
@main
enum FuzzCtyMsgpack {
    static func main() {
        FuzzEntry.run { data, size in
            FuzzEntry.result(FuzzCtyMsgpack.check(FuzzEntry.bytes(data, size)))
        }
    }

    /// True when the bytes decode as a cty value; every schema decode must throw or succeed.
    static func check(_ bytes: [UInt8]) -> Bool {
        let value = try? CtyMsgpackDecoder().decode(bytes)
        _ = try? PluginConfig.decode(msgpack: bytes)
        _ = try? TaskSettings.decode(msgpack: bytes)
        return value != nil
    }
}
