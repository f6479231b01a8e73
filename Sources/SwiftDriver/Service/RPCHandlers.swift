import GRPCCoreServer
import GoPluginServer
import PluginProto

/// Typed adapters from message-level handlers to the byte-level `MethodHandler`s the gRPC
/// server routes: a request that does not parse is INVALID_ARGUMENT with a sentence, never a crash.
enum RPC {
    static func unary<Request: WireMessage, Response: WireMessage>(
        _ body: @escaping @Sendable (Request) async throws -> Response
    ) -> MethodHandler {
        .unary { bytes, _ in
            try await body(WireRequest.decode(bytes)).wireBytes()
        }
    }

    static func serverStreaming<Request: WireMessage, Response: WireMessage>(
        _ body: @escaping @Sendable (Request, MessageWriter<Response>) async throws -> Void
    ) -> MethodHandler {
        .serverStreaming { bytes, writer, _ in
            try await body(WireRequest.decode(bytes), MessageWriter(writer: writer))
        }
    }
}

/// Sends typed messages on a server stream.
struct MessageWriter<Message: WireMessage>: Sendable {
    let writer: ResponseWriter

    func send(_ message: Message) async throws {
        try await writer.send(message.wireBytes())
    }
}

/// Full method paths of the services the plugin serves.
enum RPCPath {
    static let base = "/hashicorp.nomad.plugins.base.proto.BasePlugin/"
    static let driver = "/hashicorp.nomad.plugins.drivers.proto.Driver/"
}
