import Hummingbird
import Logging

/// go-api's whole request handling: the routes, behind the access log unless that is off.
///
/// `go-api` serves it over HTTP; the `FuzzGoAPI` target calls it in-process with requests
/// decoded by the same NIO HTTP/1 pipeline, so both exercise one code path.
package struct GoAPIRouter: HTTPResponder {
    package typealias Context = GoAPIRequestContext

    private let routes: GoAPIResponder
    private let accessLog: Logger?

    /// - Parameters:
    ///   - health: shared with the drain service, which turns `/health` to 503 on shutdown.
    ///   - accessLog: where one line per request goes; nil for `--quiet`.
    ///   - pause: how a `?wait=` request is held (a real sleep unless replaced).
    package init(
        identity: ServiceIdentity,
        interfaces: InterfaceAddresses,
        health: HealthState,
        maxBodySize: Int,
        accessLog: Logger?,
        pause: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
    ) {
        self.routes = GoAPIResponder(
            identity: identity,
            interfaces: interfaces,
            health: HealthEndpoint(state: health, maxBodySize: maxBodySize),
            maxBodySize: maxBodySize,
            pause: pause
        )
        self.accessLog = accessLog
    }

    package func respond(to request: Request, context: Context) async throws -> Response {
        guard let accessLog else {
            return try await routes.respond(to: request, context: context)
        }
        return try await AccessLogResponder(inner: routes, logger: accessLog).respond(to: request, context: context)
    }
}
