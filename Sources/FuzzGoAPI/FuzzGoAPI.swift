import FuzzSupport
import GoAPI
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// Fuzz target: go-api's request handling. The input is one flag byte, then raw bytes as a
/// client would send them on one connection (`GET /?wait=1s HTTP/1.1\r\nHost: x\r\n\r\n`, possibly
/// several pipelined requests). They go through the very pipeline the server gives each
/// connection (`GoAPIPipeline`: NIO's HTTP/1 decoder and encoder, pipelining assistance, the 400
/// answer, go-api's handler) on an `EmbeddedChannel`. Every answer must have a final status and
/// (except to HEAD, and for 204/304) a body matching its Content-Length; every request received whole must be
/// answered once the clock has moved past the 30 s `?wait=` limit (the wait itself is the
/// embedded loop's clock, not a sleep); a draining server must say `Connection: close`.
@main
enum FuzzGoAPI {
    /// Flag bits of the first byte.
    static let shuttingDownFlag: UInt8 = 1
    static let quietFlag: UInt8 = 2
    static let ipv6PeerFlag: UInt8 = 4

    static let identity = ServiceIdentity.current(
        name: "fuzz", environment: ["NODE_NAME": "node-1", "NOMAD_ALLOC_ID": "a1b2c3d4"])
    /// One snapshot for the whole run: a refresh is a netlink round trip, not request handling.
    static let interfaces = InterfaceAddresses(maxAge: .seconds(86_400))
    /// Formats every access-log line (the work the server does per request) into its buffer;
    /// each flush then drops them (the descriptor is not open).
    static let accessLog = AccessLog(descriptor: -1)

    static func main() {
        FuzzEntry.run { data, size in
            FuzzEntry.result(FuzzGoAPI.check(FuzzEntry.bytes(data, size)))
        }
    }

    /// True when at least one request head was decoded (and everything was answered correctly).
    static func check(_ bytes: [UInt8]) -> Bool {
        guard let flags = bytes.first else { return false }
        let shuttingDown = flags & shuttingDownFlag != 0
        // A fresh health state per input: a POST /health in one input must not change the next.
        let health = HealthState()
        if shuttingDown { health.beginShutdown() }
        let router = GoAPIRouter(
            identity: identity,
            interfaces: interfaces,
            health: health,
            maxBodySize: 1024,
            accessLog: flags & quietFlag != 0 ? nil : accessLog
        )
        let channel = EmbeddedChannel()
        // Closing the channel breaks the pipeline's reference cycles (else LeakSanitizer
        // reports every input).
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        let checker = AnswerChecker(shuttingDown: shuttingDown)
        do {
            // Made per input, not kept in a static: LeakSanitizer cannot see the pointer inside a
            // SocketAddress held in a global (Swift keeps the enum's case in the pointer's spare
            // bits) and would report it at exit.
            channel.remoteAddress = flags & ipv6PeerFlag != 0
                ? try SocketAddress(ipAddress: "fd00::7", port: 51_001)
                : try SocketAddress(ipAddress: "10.0.0.7", port: 51_000)
            try GoAPIPipeline.configure(channel, router: router)
            // Sees what the handler hands NIO's encoder, and the requests it answers.
            try channel.pipeline.syncOperations.addHandler(checker, position: .before(channel.pipeline.syncOperations.handler(type: GoAPIConnectionHandler.self)))
            try channel.connect(to: channel.remoteAddress!).wait()
        } catch {
            fatalError("cannot set up the HTTP/1 pipeline: \(error)")
        }

        _ = try? channel.writeInbound(ByteBuffer(bytes: bytes.dropFirst()))
        // Past every ?wait=: a wait over the limit would leave its request unanswered.
        channel.embeddedEventLoop.advanceTime(by: .seconds(31))
        accessLog.flush()
        if channel.isActive {
            precondition(checker.unanswered == 0, "\(checker.unanswered) request(s) unanswered after 31 s")
        }
        return checker.requests > 0
    }
}

/// Sits between the HTTP/1 codec and go-api's handler: counts the requests that reach the
/// handler and checks each answer on its way out.
private final class AnswerChecker: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart

    let shuttingDown: Bool
    private(set) var requests = 0
    private var methods: [HTTPMethod] = []
    private var expectedLength: Int?
    private var bodyBytes = 0
    private var bodiless = false
    /// Requests received whole (their end arrived) and answers finished: a request whose body
    /// is still incomplete cannot be answered yet, and the server rightly waits for the rest.
    private var completed = 0
    private var answered = 0

    var unanswered: Int { max(0, completed - answered) }

    init(shuttingDown: Bool) {
        self.shuttingDown = shuttingDown
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requests += 1
            methods.append(head.method)
        case .end:
            completed += 1
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            precondition(!methods.isEmpty, "an answer to no request")
            let code = head.status.code
            precondition((200...599).contains(code), "status \(code)")
            if shuttingDown {
                precondition(head.headers.first(name: "connection") == "close", "draining without Connection: close")
            }
            bodiless = methods[0] == .HEAD || code == 204 || code == 304
            expectedLength = head.headers.first(name: "content-length").flatMap { Int($0) }
            precondition(bodiless || expectedLength != nil, "no Content-Length")
            bodyBytes = 0
        case .body(let body):
            precondition(!bodiless, "a body to HEAD, 204 or 304")
            bodyBytes += body.readableBytes
        case .end:
            if !bodiless, let expectedLength {
                precondition(expectedLength == bodyBytes, "Content-Length \(expectedLength), body \(bodyBytes)")
            }
            methods.removeFirst()
            answered += 1
        }
        context.write(data, promise: promise)
    }
}
