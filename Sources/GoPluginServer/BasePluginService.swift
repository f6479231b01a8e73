import GRPCCoreServer
import Logging
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

    /// The service with SetConfig as both plugins handle it: `decode` reads and validates the
    /// block, and a block it refuses is INVALID_ARGUMENT with its sentence (Nomad refuses the
    /// plugin with that reason); a block sent only for validation (no agent config) is decoded
    /// and nothing more; otherwise its log level, if set, takes effect and `apply` puts it in force.
    public init<Config: Sendable>(
        info: PluginInfoResponse, schema: HCLSpec, logger: Logger,
        decode: @escaping @Sendable ([UInt8]) throws -> Config,
        logLevel: @escaping @Sendable (Config) -> String?,
        apply: @escaping @Sendable (Config) async -> Void
    ) {
        self.init(info: info, schema: schema) { request in
            let config: Config
            do {
                config = try decode(request.msgpackConfig)
            } catch {
                logger.error("rejected plugin config", metadata: ["error": "\(error)"])
                throw GRPCStatus(.invalidArgument, "\(error)")
            }
            guard request.nomadConfig != nil else { return }
            if let name = logLevel(config), let level = HCLogLevel.parse(name) {
                HCLogLevel.level = level
            }
            await apply(config)
        }
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
