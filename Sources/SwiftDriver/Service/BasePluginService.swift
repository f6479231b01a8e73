import GRPCCoreServer
import GoPluginServer
import Logging
import PluginProto

/// Nomad's BasePlugin service: who we are, the plugin block's schema, and the plugin block.
struct BasePluginService: Sendable {
    let runtime: DriverRuntime

    var routes: [String: MethodHandler] {
        [
            RPCPath.base + "PluginInfo": RPC.unary { (_: Empty) in
                PluginInfoResponse(
                    type: .driver,
                    pluginAPIVersions: [DriverIdentity.pluginAPIVersion],
                    pluginVersion: DriverIdentity.version,
                    name: DriverIdentity.name)
            },
            RPCPath.base + "ConfigSchema": RPC.unary { (_: Empty) in
                ConfigSchemaResponse(spec: PluginConfig.schema)
            },
            RPCPath.base + "SetConfig": RPC.unary { (request: SetConfigRequest) in
                try await setConfig(request)
                return Empty()
            },
        ]
    }

    /// Decodes and validates the block; an invalid one is INVALID_ARGUMENT naming the field,
    /// which stops Nomad from loading the plugin with a readable reason.
    private func setConfig(_ request: SetConfigRequest) async throws {
        let config: PluginConfig
        do {
            config = try PluginConfig.decode(msgpack: request.msgpackConfig)
        } catch {
            runtime.logger.error("rejected plugin config", metadata: ["error": "\(error.description)"])
            throw GRPCStatus(.invalidArgument, error.description)
        }
        // Nomad sends no agent config when it only validates the block: apply nothing then.
        await runtime.apply(config, validateOnly: request.nomadConfig == nil)
    }
}
