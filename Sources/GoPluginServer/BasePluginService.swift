import GRPCCoreServer
import PluginProto

/// Nomad's BasePlugin service, which every Nomad plugin serves: who it is, its plugin block's
/// schema, and the plugin block itself. Each plugin supplies the three answers.
public struct BasePluginService: Sendable {
    public var info: PluginInfoResponse
    public var schema: HCLSpec
    /// Decodes, validates and (unless Nomad only validates) applies the block; a thrown
    /// `GRPCStatus` reaches Nomad as the reason it refuses the plugin.
    public var setConfig: @Sendable (SetConfigRequest) async throws -> Void

    public init(info: PluginInfoResponse, schema: HCLSpec,
                setConfig: @escaping @Sendable (SetConfigRequest) async throws -> Void) {
        self.info = info
        self.schema = schema
        self.setConfig = setConfig
    }

    public var routes: [String: MethodHandler] {
        let info = info, schema = schema, setConfig = setConfig
        return [
            RPCPath.base + "PluginInfo": RPC.unary { (_: Empty) in info },
            RPCPath.base + "ConfigSchema": RPC.unary { (_: Empty) in ConfigSchemaResponse(spec: schema) },
            RPCPath.base + "SetConfig": RPC.unary { (request: SetConfigRequest) in
                try await setConfig(request)
                return Empty()
            },
        ]
    }
}
