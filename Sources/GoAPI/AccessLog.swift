import Hummingbird
import Logging

/// Wraps a responder to write one access-log line per request; `nomad alloc logs`
/// shows stdout, so the line goes there (see `LogOutput`).
struct AccessLogResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == GoAPIRequestContext {
    typealias Context = GoAPIRequestContext

    let inner: Inner
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await inner.respond(to: request, context: context)
        let elapsed = start.duration(to: .now)
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        let bytes = response.body.contentLength.map(String.init) ?? "-"
        let agent = request.headers[.userAgent] ?? "-"
        let target = request.head.path ?? request.uri.string
        logger.info(
            "\(context.remoteAddr) \"\(request.method.rawValue) \(target)\" \(response.status.code) \(bytes) \(micros)us \"\(agent)\""
        )
        return response
    }
}
