import Hummingbird
import NIOCore
import SystemSupport

/// `/health`: GET/HEAD report the state, POST sets the drill code.
struct HealthEndpoint: Sendable {
    let state: HealthState
    let maxBodySize: Int

    static let allow = "GET, HEAD, POST"

    func respond(to request: Request) async -> Response {
        switch request.method {
        case .get: return current()
        case .head: return current().createHeadResponse()
        case .post: return await set(from: request)
        default: return PlainResponses.methodNotAllowed(allow: Self.allow)
        }
    }

    func current() -> Response {
        switch state.status {
        case .shuttingDown:
            return PlainResponses.json(.serviceUnavailable, #"{"status":"shutting down"}"# + "\n")
        case .serving(let code):
            let word = code < 400 ? "ok" : "unhealthy"
            return PlainResponses.json(.init(code: code), #"{"status":"\#(word)"}"# + "\n")
        }
    }

    /// The code comes from `?code=` or else the body, as a bare integer.
    private func set(from request: Request) async -> Response {
        let raw: String
        if let query = request.uri.queryParameters["code"] {
            raw = String(query)
        } else {
            do {
                let body = try await request.body.collect(upTo: maxBodySize)
                raw = String(buffer: body)
            } catch is NIOTooManyBytesError {
                return PlainResponses.contentTooLarge(limit: maxBodySize)
            } catch {
                return PlainResponses.badRequest("could not read the request body")
            }
        }
        guard let code = Int(raw.trimmingASCIIWhitespace()), HealthState.settableCodes.contains(code) else {
            return PlainResponses.badRequest("health code must be an integer from 200 to 599")
        }
        guard state.setCode(code) else { return current() }
        return PlainResponses.json(.ok, #"{"code":\#(code)}"# + "\n")
    }
}
