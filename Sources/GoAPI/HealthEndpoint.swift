import NIOCore
import NIOHTTP1
import SystemSupport

/// `/health`: GET/HEAD report the state, POST sets the drill code.
struct HealthEndpoint: Sendable {
    let state: HealthState

    static let allow = "GET, HEAD, POST"

    func respond(to request: GoAPIRequest) -> GoAPIResponse {
        switch request.head.method {
        case .GET, .HEAD: return current()
        case .POST: return set(from: request)
        default: return PlainResponses.methodNotAllowed(allow: Self.allow)
        }
    }

    func current() -> GoAPIResponse {
        switch state.status {
        case .shuttingDown:
            return PlainResponses.json(.serviceUnavailable, #"{"status":"shutting down"}"# + "\n")
        case .serving(let code):
            let word = code < 400 ? "ok" : "unhealthy"
            return PlainResponses.json(.init(statusCode: code), #"{"status":"\#(word)"}"# + "\n")
        }
    }

    /// The code comes from `?code=` or else the body, as a bare integer. The body arrives whole
    /// (the connection handler answers 413 past `--max-body-size` before this is reached).
    private func set(from request: GoAPIRequest) -> GoAPIResponse {
        let raw = request.query("code") ?? String(buffer: request.body)
        guard let code = Int(raw.trimmingASCIIWhitespace()), HealthState.settableCodes.contains(code) else {
            return PlainResponses.badRequest("health code must be an integer from 200 to 599")
        }
        guard state.setCode(code) else { return current() }
        return PlainResponses.json(.ok, #"{"code":\#(code)}"# + "\n")
    }
}
