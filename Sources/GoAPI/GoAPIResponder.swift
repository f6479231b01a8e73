import Hummingbird

/// Routes the handful of go-api paths; a switch is all the routing they need,
/// and it gives 405 (with `Allow`) for a known path, which a path-only router would not.
struct GoAPIResponder: HTTPResponder {
    typealias Context = GoAPIRequestContext

    let identity: ServiceIdentity
    let interfaces: InterfaceAddresses
    let health: HealthEndpoint
    let maxBodySize: Int
    /// Holds a `?wait=` answer (a sleep; the fuzz target checks the duration instead).
    let pause: @Sendable (Duration) async -> Void

    func respond(to request: Request, context: Context) async throws -> Response {
        var response = await route(request, context: context)
        // While draining, tell keep-alive clients to reconnect, ideally elsewhere.
        if case .shuttingDown = health.state.status {
            response.headers[.connection] = "close"
        }
        return response
    }

    private func route(_ request: Request, context: Context) async -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodySize {
            return PlainResponses.contentTooLarge(limit: maxBodySize)
        }
        switch request.uri.path {
        case "/bench":
            return readOnly(request) { PlainResponses.bench }
        case "/":
            if let wait = request.uri.queryParameters["wait"] {
                guard let duration = RequestWait.parse(wait) else {
                    return PlainResponses.badRequest("wait must look like 250ms or 2s, at most 30s")
                }
                guard request.method == .get || request.method == .head else { break }
                await pause(duration)
            }
            return readOnly(request) {
                PlainResponses.text(.ok, report(request, context: context).text)
            }
        case "/api", "/go-api":
            return readOnly(request) {
                do {
                    let body = try report(request, context: context).json()
                    return Response(
                        status: .ok, headers: [.contentType: PlainResponses.jsonType], body: .init(byteBuffer: body))
                } catch {
                    return PlainResponses.text(.internalServerError, "500 could not encode the report\n")
                }
            }
        case "/health":
            return await health.respond(to: request)
        default:
            return PlainResponses.notFound
        }
        return PlainResponses.methodNotAllowed(allow: "GET, HEAD")
    }

    /// GET answers, HEAD answers without a body, anything else is 405.
    private func readOnly(_ request: Request, _ make: () -> Response) -> Response {
        switch request.method {
        case .get: return make()
        case .head: return make().createHeadResponse()
        default: return PlainResponses.methodNotAllowed(allow: "GET, HEAD")
        }
    }

    private func report(_ request: Request, context: Context) -> WhoamiReport {
        WhoamiReport(request: request, remoteAddr: context.remoteAddr, identity: identity, ips: interfaces.current)
    }
}
