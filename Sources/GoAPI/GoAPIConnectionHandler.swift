#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Locking
import NIOCore
import NIOHTTP1

/// The HTTP/1 pipeline of one go-api connection: NIO's decoder and encoder with pipelining
/// assistance (one request at a time, in order; quiescing on shutdown) and the 400 answer to a
/// malformed request, then `GoAPIConnectionHandler`. The server and the fuzz target both set
/// connections up with this.
package enum GoAPIPipeline {
    /// The header limits Hummingbird's HTTP/1 channel used, which go-api has always had.
    package static var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = 80 * 1024
        limits.maxHeaderListSize = 80 * 1024
        limits.maxHeaderFieldCount = 1000
        return limits
    }

    package static func configure(_ channel: any Channel, router: GoAPIRouter) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true,
            withErrorHandling: true,
            withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(),
            withDecoderLimitConfiguration: decoderLimits
        )
        try pipeline.addHandler(GoAPIConnectionHandler(router: router))
    }
}

/// Answers the requests of one connection on its event loop: gathers the body (answering 413
/// as soon as it is known to be too large), asks the router, writes the answer and the
/// access-log line. `?wait=` answers are written by a timer on the same loop.
package final class GoAPIConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPServerRequestPart
    package typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer, NIODeadline)
        /// Answered before the body ended (413); the rest of the request is ignored.
        case answeredEarly
        /// A `?wait=` answer is pending.
        case waiting
    }

    /// Shared by every request without a body (most of them): no allocation per request.
    private static let noBody = ByteBuffer()

    private let router: GoAPIRouter
    private var state = State.idle
    private var remoteAddr = "unknown"
    private var active = true

    package init(router: GoAPIRouter) {
        self.router = router
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        remoteAddr = GoAPIRequest.describe(context.channel.remoteAddress)
    }

    package func channelInactive(context: ChannelHandlerContext) {
        active = false
        context.fireChannelInactive()
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let start = NIODeadline.now()
            if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }), length > router.maxBodySize {
                answerTooLarge(context: context, head: head, start: start)
                return
            }
            state = .receiving(head, Self.noBody, start)
        case .body(var chunk):
            guard case .receiving(let head, var body, let start) = state else { return }
            state = .idle  // so `body` is the only reference and grows in place
            guard body.readableBytes + chunk.readableBytes <= router.maxBodySize else {
                answerTooLarge(context: context, head: head, start: start)
                return
            }
            body.writeBuffer(&chunk)
            state = .receiving(head, body, start)
        case .end:
            guard case .receiving(let head, let body, let start) = state else {
                if case .answeredEarly = state { state = .idle }
                return
            }
            let request = GoAPIRequest(head: head, body: body, remoteAddr: remoteAddr)
            switch router.respond(to: request, allocator: context.channel.allocator) {
            case .now(let response):
                state = .idle
                send(response, to: request, context: context, since: start)
            case .reportAfter(let delay):
                state = .waiting
                context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
                    self.state = .idle
                    guard self.active else { return }
                    let response = self.router.report(to: request, allocator: context.channel.allocator)
                    self.send(response, to: request, context: context, since: start)
                }
            }
        }
    }

    private func answerTooLarge(context: ChannelHandlerContext, head: HTTPRequestHead, start: NIODeadline) {
        state = .answeredEarly
        let request = GoAPIRequest(head: head, body: Self.noBody, remoteAddr: remoteAddr)
        send(router.contentTooLarge(), to: request, context: context, since: start)
    }

    private func send(_ response: GoAPIResponse, to request: GoAPIRequest, context: ChannelHandlerContext, since start: NIODeadline) {
        let keepAlive = request.head.isKeepAlive && !response.close
        // Built as an array: HTTPHeaders.add checks every name for ASCII, and these are constants.
        var fields: [(String, String)] = []
        fields.reserveCapacity(6)
        fields.append(("Content-Type", response.contentType))
        // 1xx, 204 and 304 answers (possible through a /health drill code) carry no body.
        let status = response.status.code
        let bodiless = status < 200 || status == 204 || status == 304
        if !bodiless {
            fields.append(("Content-Length", String(response.body.readableBytes)))
        }
        fields.append(("Date", HTTPDate.now()))
        if let allow = response.allow { fields.append(("Allow", allow)) }
        if !keepAlive {
            fields.append(("Connection", "close"))
        } else if request.head.version.minor == 0 {
            fields.append(("Connection", "keep-alive"))
        }
        let headers = HTTPHeaders(fields)
        let version = request.head.version.major == 1 && request.head.version.minor == 0 ? HTTPVersion.http1_0 : .http1_1
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))), promise: nil)
        if !bodiless, request.head.method != .HEAD, response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        router.log(request, response, since: start)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The protocol error handler has answered 400 for a malformed request; anything else
        // (a reset peer) ends the connection.
        context.close(promise: nil)
    }
}

/// The `Date` header, formatted once a second.
enum HTTPDate {
    private static let cache = Mutex<(second: time_t, text: String)>((-1, ""))

    static func now() -> String {
        let second = time(nil)
        return cache.withLock { cached in
            if cached.second != second {
                cached = (second, format(second))
            }
            return cached.text
        }
    }

    private static func format(_ second: time_t) -> String {
        var second = second
        var parts = tm()
        gmtime_r(&second, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
