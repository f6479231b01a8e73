import NIOCore
import NIOHTTP1

/// Small fixed responses; the bodies that never change are built once.
enum PlainResponses {
    static let textType = "text/plain; charset=utf-8"
    static let jsonType = "application/json"

    static func text(_ status: HTTPResponseStatus, _ body: String, allow: String? = nil, close: Bool = false) -> GoAPIResponse {
        GoAPIResponse(status: status, contentType: textType, body: ByteBuffer(string: body), allow: allow, close: close)
    }

    static func json(_ status: HTTPResponseStatus, _ body: String) -> GoAPIResponse {
        GoAPIResponse(status: status, contentType: jsonType, body: ByteBuffer(string: body))
    }

    /// `/bench`: the least work the server can do per request.
    static let bench = text(.ok, "1")

    static let notFound = text(.notFound, "404 page not found\n")

    static let methodNotAllowedBody = ByteBuffer(string: "405 method not allowed\n")

    static func methodNotAllowed(allow: String) -> GoAPIResponse {
        GoAPIResponse(status: .methodNotAllowed, contentType: textType, body: methodNotAllowedBody, allow: allow)
    }

    /// Asks the client to close, so an oversized body is not read to its end.
    static func contentTooLarge(limit: Int) -> GoAPIResponse {
        text(.payloadTooLarge, "413 request body larger than \(limit) bytes\n", close: true)
    }

    static func badRequest(_ reason: String) -> GoAPIResponse {
        text(.badRequest, "400 \(reason)\n")
    }
}
