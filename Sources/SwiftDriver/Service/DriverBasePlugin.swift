import GoPluginServer
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
            logger: runtime.logger,
            decode: { bytes in try PluginConfig.decode(msgpack: bytes) },
            logLevel: \.logLevel,
            apply: { config in await runtime.apply(config) })
    }
}
