/// What a handler knows about its call.
public struct ServerContext: Sendable {
    /// The full method path, e.g. `/hashicorp.nomad.plugins.drivers.proto.Driver/StartTask`.
    public let method: String
    /// When the client gave a deadline, the instant it expires. grpc core cancels the call then.
    public let deadline: ContinuousClock.Instant?
}

/// A handler for one method, by RPC kind. Bytes in, bytes out: message types live above this layer.
///
/// A handler fails its call by throwing a `GRPCStatus`; any other error becomes INTERNAL with the
/// error's description. Client cancellation (or an expired deadline) cancels the handler's task.
public enum MethodHandler: Sendable {
    case unary(@Sendable (_ request: [UInt8], _ context: ServerContext) async throws -> [UInt8])
    case serverStreaming(@Sendable (_ request: [UInt8], _ writer: ResponseWriter, _ context: ServerContext) async throws -> Void)
    case clientStreaming(@Sendable (_ requests: RequestStream, _ context: ServerContext) async throws -> [UInt8])
    case bidiStreaming(@Sendable (_ requests: RequestStream, _ writer: ResponseWriter, _ context: ServerContext) async throws -> Void)
}

/// Sends response messages on a streaming call. One send at a time: each `send` returns once
/// grpc core has taken the message, which gives natural back-pressure.
public struct ResponseWriter: Sendable {
    let call: ServerCall

    /// Throws `GRPCStatus(.cancelled)` once the call is gone.
    public func send(_ message: [UInt8]) async throws {
        try await call.send(message)
    }
}

/// The request messages of a client- or bidi-streaming call, ending when the client half-closes.
/// Single-consumer.
public struct RequestStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let call: ServerCall

    public struct AsyncIterator: AsyncIteratorProtocol {
        let call: ServerCall

        public mutating func next() async throws -> [UInt8]? {
            try Task.checkCancellation()
            return await call.receive()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(call: call)
    }
}
