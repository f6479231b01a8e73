import Dispatch
import FuzzSupport
import GoAPI
import Hummingbird
import Logging
import NIOCore

/// Fuzz target: go-api's request handling. The input is one flag byte, then raw bytes as a
/// client would send them on one connection (`GET /?wait=1s HTTP/1.1\r\nHost: x\r\n\r\n`, possibly
/// several pipelined requests). NIO's HTTP/1 decoder turns them into requests, go-api's router
/// answers each, and each answer is encoded back to HTTP/1. Every answer must have a final status
/// and (except to HEAD, whose body NIO drops) a body matching its Content-Length; a `?wait=` must
/// stay within its 30 s limit (the sleep itself is skipped, or the fuzzer would mostly wait).
@main
enum FuzzGoAPI {
    /// Flag bits of the first byte.
    static let shuttingDownFlag: UInt8 = 1
    static let quietFlag: UInt8 = 2
    static let ipv6PeerFlag: UInt8 = 4

    /// Requests answered per input; more only repeats the same paths.
    static let requestLimit = 8

    static let identity = ServiceIdentity.current(
        name: "fuzz", environment: ["NODE_NAME": "node-1", "NOMAD_ALLOC_ID": "a1b2c3d4"])
    /// One snapshot for the whole run: a refresh is a netlink round trip, not request handling.
    static let interfaces = InterfaceAddresses(maxAge: .seconds(86_400))
    static let accessLog = Logger(label: "go-api.access") { _ in DiscardingLogHandler() }

    static func main() {
        FuzzEntry.run { data, size in
            FuzzEntry.result(FuzzGoAPI.check(FuzzEntry.bytes(data, size)))
        }
    }

    /// True when at least one complete request was decoded (and answered correctly).
    static func check(_ bytes: [UInt8]) -> Bool {
        guard let flags = bytes.first else { return false }
        let shuttingDown = flags & shuttingDownFlag != 0
        let pipeline: ServerPipeline
        do {
            // Made per input, not kept in a static: LeakSanitizer cannot see the pointer inside a
            // SocketAddress held in a global (Swift keeps the enum's case in the pointer's spare
            // bits) and would report it at exit.
            let peer = flags & ipv6PeerFlag != 0
                ? try SocketAddress(ipAddress: "fd00::7", port: 51_001)
                : try SocketAddress(ipAddress: "10.0.0.7", port: 51_000)
            pipeline = try ServerPipeline(peer: peer)
        } catch {
            fatalError("cannot set up the HTTP/1 pipeline: \(error)")
        }
        defer { pipeline.close() }

        // A fresh health state per input: a POST /health in one input must not change the next.
        let health = HealthState()
        if shuttingDown { health.beginShutdown() }
        let router = GoAPIRouter(
            identity: identity,
            interfaces: interfaces,
            health: health,
            maxBodySize: 1024,
            accessLog: flags & quietFlag != 0 ? nil : accessLog,
            pause: { duration in
                precondition(duration >= .zero && duration <= .seconds(30), "?wait= held \(duration)")
            }
        )
        let requests = pipeline.requests(from: bytes.dropFirst(), limit: requestLimit)
        for request in requests {
            let context = GoAPIRequestContext(source: .init(channel: pipeline.channel, logger: accessLog))
            let method = request.method
            let (response, body) = blocking { () async -> (Response, ByteBuffer) in
                let response: Response
                do {
                    response = try await router.respond(to: request, context: context)
                } catch {
                    // Hummingbird would turn this into a 500; go-api's handlers never throw.
                    preconditionFailure("go-api's router threw: \(error)")
                }
                let collector = BodyCollector()
                do {
                    try await response.body.write(collector)
                } catch {
                    preconditionFailure("the response body could not be written: \(error)")
                }
                return (response, collector.box.buffer)
            }
            check(response, body: body, isHead: method == .head, shuttingDown: shuttingDown)
            do {
                let wire = try pipeline.encode(response.head, body: body, answering: method)
                precondition(wire.readableBytesView.starts(with: Array("HTTP/1.1 \(response.status.code) ".utf8)))
            } catch {
                preconditionFailure("the response could not be encoded: \(error)")
            }
        }
        return !requests.isEmpty
    }

    /// What every go-api answer must satisfy, whatever the request.
    static func check(_ response: Response, body: ByteBuffer, isHead: Bool, shuttingDown: Bool) {
        precondition((200...599).contains(response.status.code), "status \(response.status.code)")
        if !isHead, let length = response.headers[.contentLength] {
            precondition(Int(length) == body.readableBytes, "Content-Length \(length), body \(body.readableBytes)")
        }
        if shuttingDown { precondition(response.headers[.connection] == "close", "draining without Connection: close") }
    }

    /// Runs `work` to its end; libFuzzer calls the check synchronously. The task starts on this
    /// thread and usually finishes without suspending, so most inputs cost no thread switch
    /// (the wait then returns at once); after a suspension it finishes on the concurrency pool.
    static func blocking<T>(_ work: @escaping @Sendable () async -> T) -> T {
        let result = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.immediate {
            result.value = await work()
            done.signal()
        }
        done.wait()
        return result.value!
    }
}

/// Hands a value from the task to the waiting thread; the semaphore orders the accesses.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Collects a response body as the server would stream it.
private struct BodyCollector: ResponseBodyWriter {
    final class Box: @unchecked Sendable { var buffer = ByteBuffer() }
    let box = Box()

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        box.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// Formats every access-log line (the work the server does per request) and drops it.
private struct DiscardingLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        _ = event.message.description.utf8.count
    }
}
