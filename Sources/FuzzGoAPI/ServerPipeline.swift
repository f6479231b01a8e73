import Hummingbird
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// One connection's HTTP/1 handling as Hummingbird's `HTTP1Channel` sets it up (NIO's decoder
/// with Hummingbird's header limits, the HTTP/1-to-HTTPTypes codec), on an `EmbeddedChannel`:
/// the router then sees exactly the requests a real connection would hand it.
final class ServerPipeline {
    let channel = EmbeddedChannel()

    init(peer: SocketAddress?) throws {
        channel.remoteAddress = peer
        // The values Hummingbird's HTTP1Channel.Configuration uses by default.
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = 80 * 1024
        limits.maxHeaderListSize = 80 * 1024
        limits.maxHeaderFieldCount = 1000
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withPipeliningAssistance: false,
            withErrorHandling: false,
            withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(),
            withDecoderLimitConfiguration: limits
        )
        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
    }

    /// The requests in `bytes`, at most `limit`, in order. Bytes the decoder rejects end the
    /// list there: the server would close the connection at that point too. A request whose
    /// body is cut off by the end of the input gets a body that fails after the bytes received,
    /// as a client that hangs up mid-body does (the server hands the head over before the body).
    func requests(from bytes: ArraySlice<UInt8>, limit: Int) -> [Request] {
        _ = try? channel.writeInbound(ByteBuffer(bytes: bytes))
        var result: [Request] = []
        var head: HTTPRequest?
        var body = ByteBuffer()
        while result.count < limit, let part = try? channel.readInbound(as: HTTPRequestPart.self) {
            switch part {
            case .head(let next):
                head = next
                body.clear()
            case .body(var chunk):
                body.writeBuffer(&chunk)
            case .end:
                if let head { result.append(Request(head: head, body: RequestBody(buffer: body))) }
                head = nil
            }
        }
        if let head, result.count < limit {
            result.append(Request(head: head, body: RequestBody(asyncSequence: CutOffBody(received: body))))
        }
        return result
    }

    /// Writes the response as the server would and returns the bytes that would go out.
    /// NIO frames the answer to a HEAD or CONNECT without a body and refuses a body write;
    /// Hummingbird's writer does not wait for that result, so the client gets a bodiless answer
    /// (go-api's 404, 405 and 413 bodies included). The same happens here: the body is skipped.
    func encode(_ head: HTTPResponse, body: ByteBuffer, answering method: HTTPRequest.Method) throws -> ByteBuffer {
        try channel.writeOutbound(HTTPResponsePart.head(head))
        if body.readableBytes > 0, method != .head, method != .connect {
            try channel.writeOutbound(HTTPResponsePart.body(body))
        }
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        var out = ByteBuffer()
        while var chunk = try channel.readOutbound(as: ByteBuffer.self) {
            out.writeBuffer(&chunk)
        }
        return out
    }

    /// Closes the channel, which breaks the pipeline's reference cycles (else LeakSanitizer
    /// reports every input).
    func close() {
        _ = try? channel.finish(acceptAlreadyClosed: true)
    }
}

/// A request body that ends in an error after the bytes that arrived.
struct CutOffBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let received: ByteBuffer

    struct ConnectionClosed: Error {}

    struct AsyncIterator: AsyncIteratorProtocol {
        var pending: ByteBuffer?

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = pending else { throw ConnectionClosed() }
            pending = nil
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pending: received.readableBytes > 0 ? received : nil)
    }
}
