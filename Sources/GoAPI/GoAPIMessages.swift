import NIOCore
import NIOHTTP1

/// One request as go-api's handling sees it: the head as decoded, the whole body (never more
/// than `--max-body-size`), and the peer as Go's `RemoteAddr` spells it.
package struct GoAPIRequest {
    package var head: HTTPRequestHead
    package var body: ByteBuffer
    package var remoteAddr: String

    package init(head: HTTPRequestHead, body: ByteBuffer, remoteAddr: String) {
        self.head = head
        self.body = body
        self.remoteAddr = remoteAddr
    }

    /// The target up to `?`.
    var path: Substring {
        let uri = head.uri
        guard let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) else { return uri[...] }
        return uri[..<mark]
    }

    /// The first value of query parameter `name`, percent-decoded ('+' is a space).
    func query(_ name: String) -> String? {
        let uri = head.uri
        guard let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        var rest = uri[uri.utf8.index(after: mark)...]
        if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }
        for pair in rest.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard Self.percentDecoded(parts[0]) == name else { continue }
            return parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
        }
        return nil
    }

    static func percentDecoded(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next() else { bytes.append(byte); break }
                guard let low = iterator.next() else { bytes.append(contentsOf: [byte, high]); break }
                if let h = hexValue(high), let l = hexValue(low) {
                    bytes.append(h << 4 | l)
                } else {
                    bytes.append(contentsOf: [byte, high, low])
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// `host:port`, IPv6 hosts in brackets, like Go's `RemoteAddr`.
    package static func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "unknown" }
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}

/// One answer: status, content type, the whole body, and the few other headers go-api sends.
/// The connection handler adds `Content-Length`, `Date` and `Connection`.
package struct GoAPIResponse {
    package var status: HTTPResponseStatus
    package var contentType: String
    package var body: ByteBuffer
    /// The `Allow` header of a 405.
    package var allow: String?
    /// Send `Connection: close` and close after this answer.
    package var close: Bool

    init(status: HTTPResponseStatus, contentType: String, body: ByteBuffer, allow: String? = nil, close: Bool = false) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.allow = allow
        self.close = close
    }
}

/// What the router decided: an answer now, or the `/` report once a `?wait=` has passed.
package enum GoAPIAnswer {
    case now(GoAPIResponse)
    case reportAfter(TimeAmount)
}
