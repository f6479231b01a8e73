import NIOCore
import NIOHTTP1

/// The whoami answer for one request: identity, addresses, and the request as received,
/// written straight into the response buffer.
struct WhoamiReport {
    var identity: ServiceIdentity
    var ips: [String]
    var request: GoAPIRequest

    /// The request line reads HTTP/1.1 whatever minor version the client sent, as documented.
    static let proto = "HTTP/1.1"

    private var host: String? { request.head.headers.first(name: "host") }

    /// Header fields in arrival order, names spelled as the client sent them; `Host` is reported
    /// on its own line (or key), as Go's `r.Host` is.
    private var otherHeaders: some Sequence<(name: String, value: String)> {
        request.head.headers.lazy.filter { !Self.isHost($0.name) }
    }

    private static func isHost(_ name: String) -> Bool {
        name.utf8.count == 4 && name.lowercased() == "host"
    }

    /// Plain text in traefik/whoami's layout, one `Key: value` per line.
    func text(allocator: ByteBufferAllocator) -> ByteBuffer {
        var out = allocator.buffer(capacity: 384 + request.head.headers.count * 48)
        func line(_ key: StaticString, _ value: String) {
            out.writeStaticString(key)
            out.writeString(value)
            out.writeInteger(UInt8(ascii: "\n"))
        }
        if let name = identity.name { line("Name: ", name) }
        line("Hostname: ", identity.hostname)
        if let node = identity.node { line("Node: ", node) }
        if let alloc = identity.alloc { line("Alloc: ", alloc) }
        for ip in ips { line("IP: ", ip) }
        line("RemoteAddr: ", request.remoteAddr)
        out.writeString(request.head.method.rawValue)
        out.writeInteger(UInt8(ascii: " "))
        out.writeString(request.head.uri)
        out.writeInteger(UInt8(ascii: " "))
        line("", Self.proto)
        if let host { line("Host: ", host) }
        for header in otherHeaders {
            out.writeString(header.name)
            out.writeStaticString(": ")
            out.writeString(header.value)
            out.writeInteger(UInt8(ascii: "\n"))
        }
        return out
    }

    /// The same as JSON, keys sorted, `headers` grouped by name (name → array of values), and a
    /// final newline: what JSONEncoder with `.sortedKeys, .withoutEscapingSlashes` wrote before.
    func json(allocator: ByteBufferAllocator) -> ByteBuffer {
        var out = allocator.buffer(capacity: 512 + request.head.headers.count * 64)
        var grouped: [String: [String]] = [:]
        for header in otherHeaders { grouped[header.name, default: []].append(header.value) }

        var first = true
        func key(_ name: String) {
            out.writeStaticString(first ? "{" : ",")
            first = false
            JSONText.writeString(name, to: &out)
            out.writeInteger(UInt8(ascii: ":"))
        }
        func field(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            JSONText.writeString(value, to: &out)
        }
        // In sorted order.
        field("alloc", identity.alloc)
        key("headers")
        out.writeInteger(UInt8(ascii: "{"))
        for (index, name) in grouped.keys.sorted().enumerated() {
            if index > 0 { out.writeInteger(UInt8(ascii: ",")) }
            JSONText.writeString(name, to: &out)
            out.writeInteger(UInt8(ascii: ":"))
            JSONText.writeArray(grouped[name] ?? [], to: &out)
        }
        out.writeInteger(UInt8(ascii: "}"))
        field("host", host)
        field("hostname", identity.hostname)
        key("ip")
        JSONText.writeArray(ips, to: &out)
        field("method", request.head.method.rawValue)
        field("name", identity.name)
        field("node", identity.node)
        field("proto", Self.proto)
        field("remoteAddr", request.remoteAddr)
        field("url", request.head.uri)
        out.writeStaticString("}\n")
        return out
    }
}

/// JSON strings as JSONEncoder writes them with `.withoutEscapingSlashes`: `"` and `\` escaped,
/// control characters as `\n`-style or `\u00XX` escapes, everything else as is.
enum JSONText {
    static func writeString(_ text: String, to out: inout ByteBuffer) {
        out.writeInteger(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): out.writeStaticString("\\\\")
            case 0x0A: out.writeStaticString("\\n")
            case 0x0D: out.writeStaticString("\\r")
            case 0x09: out.writeStaticString("\\t")
            case 0x08: out.writeStaticString("\\b")
            case 0x0C: out.writeStaticString("\\f")
            case 0..<0x20:
                let hex: StaticString = "0123456789abcdef"
                out.writeStaticString("\\u00")
                out.writeInteger(hex.utf8Start[Int(byte >> 4)])
                out.writeInteger(hex.utf8Start[Int(byte & 0xF)])
            default: out.writeInteger(byte)
            }
        }
        out.writeInteger(UInt8(ascii: "\""))
    }

    static func writeArray(_ values: [String], to out: inout ByteBuffer) {
        out.writeInteger(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.writeInteger(UInt8(ascii: ",")) }
            writeString(value, to: &out)
        }
        out.writeInteger(UInt8(ascii: "]"))
    }
}
