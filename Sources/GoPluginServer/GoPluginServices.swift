import GRPCCoreServer
import PluginProto

/// go-plugin's own services, which every plugin serves beside its application services:
/// health (the host pings "plugin"), the controller (graceful shutdown), stdio mirroring and
/// the broker. Nomad's drivers need no broker callbacks or stdio mirroring, so those streams
/// stay open and quiet until the host closes them or the plugin stops.
enum GoPluginServices {
    static let healthCheck = "/grpc.health.v1.Health/Check"
    static let controllerShutdown = "/plugin.GRPCController/Shutdown"
    static let stdio = "/plugin.GRPCStdio/StreamStdio"
    static let broker = "/plugin.GRPCBroker/StartStream"

    /// The health service names the host may ask about: go-plugin's "plugin" and the server as a whole.
    static let servingNames: Set<String> = ["plugin", ""]

    static func routes(stop: StopSignal) -> [String: MethodHandler] {
        [
            healthCheck: .unary { bytes, _ in
                let request: HealthCheckRequest = try WireRequest.decode(bytes)
                guard servingNames.contains(request.service) else {
                    throw GRPCStatus(.notFound, "this plugin has no health status for service \"\(request.service)\"")
                }
                return HealthCheckResponse(status: .serving).wireBytes()
            },
            controllerShutdown: .unary { _, _ in
                // Answer first; the runner stops the server after the response has gone out.
                stop.trigger(reason: "the plugin host asked the plugin to shut down")
                return Empty().wireBytes()
            },
            stdio: .serverStreaming { _, _, _ in
                await stop.wait()
            },
            broker: .bidiStreaming { requests, _, _ in
                // Drain what the host sends until it closes its side; nothing to broker.
                for try await _ in requests {}
            },
        ]
    }
}
