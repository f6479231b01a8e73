import GRPCCoreServer
import PluginProto

/// Typed adapters from message-level handlers to the byte-level `MethodHandler`s the gRPC
/// server routes: a request that does not parse is INVALID_ARGUMENT with a sentence, never a crash.
public enum RPC {
    public static func unary<Request: WireMessage, Response: WireMessage>(
        _ body: @escaping @Sendable (Request) async throws -> Response
    ) -> MethodHandler {
        .unary { bytes, _ in
            try await body(WireRequest.decode(bytes)).wireBytes()
        }
    }

    public static func serverStreaming<Request: WireMessage, Response: WireMessage>(
        _ body: @escaping @Sendable (Request, MessageWriter<Response>) async throws -> Void
    ) -> MethodHandler {
        .serverStreaming { bytes, writer, _ in
            try await body(WireRequest.decode(bytes), MessageWriter(writer: writer))
        }
    }
}

/// Sends typed messages on a server stream.
public struct MessageWriter<Message: WireMessage>: Sendable {
    let writer: ResponseWriter

    public init(writer: ResponseWriter) {
        self.writer = writer
    }

    public func send(_ message: Message) async throws {
        try await writer.send(message.wireBytes())
    }
}

/// Full method-path prefixes of the Nomad services our plugins serve.
public enum RPCPath {
    public static let base = "/hashicorp.nomad.plugins.base.proto.BasePlugin/"
    public static let driver = "/hashicorp.nomad.plugins.drivers.proto.Driver/"
    public static let device = "/hashicorp.nomad.plugins.device.DevicePlugin/"
}
