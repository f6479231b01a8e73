import GRPCCoreServer
import GoPluginServer
import Logging
import PluginProto

/// The driver's answers to Nomad's BasePlugin service.
enum DriverBasePlugin {
    static func service(runtime: DriverRuntime) -> BasePluginService {
        BasePluginService(
            info: PluginInfoResponse(
                type: .driver,
                pluginAPIVersions: [DriverIdentity.pluginAPIVersion],
                pluginVersion: DriverIdentity.version,
                name: DriverIdentity.name),
            schema: PluginConfig.schema,
            setConfig: { request in try await setConfig(request, runtime: runtime) })
    }

    /// Decodes and validates the block; an invalid one is INVALID_ARGUMENT naming the field,
    /// which stops Nomad from loading the plugin with a readable reason.
    private static func setConfig(_ request: SetConfigRequest, runtime: DriverRuntime) async throws {
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
