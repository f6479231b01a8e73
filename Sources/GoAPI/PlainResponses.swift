import Hummingbird

/// Small fixed responses, built once where the body never changes.
enum PlainResponses {
    static let textType = "text/plain; charset=utf-8"
    static let jsonType = "application/json"

    static func text(_ status: HTTPResponse.Status, _ body: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: textType]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: jsonType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// `/bench`: the least work the server can do per request.
    static let bench = text(.ok, "1")

    static let notFound = text(.notFound, "404 page not found\n")

    static func methodNotAllowed(allow: String) -> Response {
        text(.methodNotAllowed, "405 method not allowed\n", headers: [.allow: allow])
    }

    /// Asks the client to close, so an oversized body is not read to its end.
    static func contentTooLarge(limit: Int) -> Response {
        text(.contentTooLarge, "413 request body larger than \(limit) bytes\n", headers: [.connection: "close"])
    }

    static func badRequest(_ reason: String) -> Response {
        text(.badRequest, "400 \(reason)\n")
    }
}
