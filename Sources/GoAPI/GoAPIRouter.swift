import NIOCore
import NIOHTTP1

/// go-api's whole request handling: the routes, the drain's `Connection: close`, and the
/// access log unless that is off.
///
/// Every answer is computed synchronously on the connection's event loop (only `?wait=` is
/// deferred, by a timer there): no task, thread hop or lock on the request path. `go-api` serves
/// it through `GoAPIConnectionHandler`; the `FuzzGoAPI` target runs that same handler on an
/// `EmbeddedChannel`, so both exercise one code path.
package struct GoAPIRouter: Sendable {
    let identity: ServiceIdentity
    let interfaces: InterfaceAddresses
    let health: HealthEndpoint
    package let maxBodySize: Int
    let accessLog: AccessLog?

    /// - Parameters:
    ///   - health: shared with the drain service, which turns `/health` to 503 on shutdown.
    ///   - accessLog: where one line per request goes; nil for `--quiet`.
    package init(
        identity: ServiceIdentity,
        interfaces: InterfaceAddresses,
        health: HealthState,
        maxBodySize: Int,
        accessLog: AccessLog?
    ) {
        self.identity = identity
        self.interfaces = interfaces
        self.health = HealthEndpoint(state: health)
        self.maxBodySize = maxBodySize
        self.accessLog = accessLog
    }

    /// The answer to a complete request.
    package func respond(to request: GoAPIRequest, allocator: ByteBufferAllocator) -> GoAPIAnswer {
        switch request.path {
        case "/bench":
            return .now(finish(readOnly(request) { PlainResponses.bench }))
        case "/":
            if let wait = request.query("wait") {
                guard let duration = RequestWait.parse(wait[...]) else {
                    return .now(finish(PlainResponses.badRequest("wait must look like 250ms or 2s, at most 30s")))
                }
                if request.head.method == .GET || request.head.method == .HEAD {
                    return .reportAfter(.nanoseconds(Int64(duration.components.seconds) * 1_000_000_000
                        + duration.components.attoseconds / 1_000_000_000))
                }
            }
            return .now(report(to: request, allocator: allocator))
        case "/api", "/go-api":
            return .now(finish(readOnly(request) {
                let body = whoami(request).json(allocator: allocator)
                return GoAPIResponse(status: .ok, contentType: PlainResponses.jsonType, body: body)
            }))
        case "/health":
            return .now(finish(health.respond(to: request)))
        default:
            return .now(finish(PlainResponses.notFound))
        }
    }

    /// The `/` answer (after its `?wait=`, if any).
    package func report(to request: GoAPIRequest, allocator: ByteBufferAllocator) -> GoAPIResponse {
        finish(readOnly(request) {
            GoAPIResponse(
                status: .ok, contentType: PlainResponses.textType, body: whoami(request).text(allocator: allocator))
        })
    }

    /// The 413 for a body over `--max-body-size`, sent as soon as that is known.
    package func contentTooLarge() -> GoAPIResponse {
        finish(PlainResponses.contentTooLarge(limit: maxBodySize))
    }

    /// Writes the access-log line for an answered request.
    package func log(_ request: GoAPIRequest, _ response: GoAPIResponse, since start: NIODeadline) {
        guard let accessLog else { return }
        let micros = (NIODeadline.now() - start).nanoseconds / 1000
        accessLog.record(
            peer: request.remoteAddr, method: request.head.method.rawValue, target: request.head.uri,
            status: response.status.code, bytes: response.body.readableBytes, micros: micros,
            agent: request.head.headers.first(name: "user-agent"))
    }

    package var isLogging: Bool { accessLog != nil }

    /// While draining, tell keep-alive clients to reconnect, ideally elsewhere.
    private func finish(_ response: GoAPIResponse) -> GoAPIResponse {
        guard health.state.isShuttingDown else { return response }
        var response = response
        response.close = true
        return response
    }

    /// GET answers, HEAD answers (the handler sends no body), anything else is 405.
    private func readOnly(_ request: GoAPIRequest, _ make: () -> GoAPIResponse) -> GoAPIResponse {
        switch request.head.method {
        case .GET, .HEAD: return make()
        default: return PlainResponses.methodNotAllowed(allow: "GET, HEAD")
        }
    }

    private func whoami(_ request: GoAPIRequest) -> WhoamiReport {
        WhoamiReport(identity: identity, ips: interfaces.current, request: request)
    }
}
