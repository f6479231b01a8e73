#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird

/// The whoami answer for one request: identity, addresses, and the request as received.
struct WhoamiReport: Encodable, Sendable {
    var identity: ServiceIdentity
    var ips: [String]
    var remoteAddr: String
    var method: String
    /// The request target: path and query, as sent.
    var url: String
    var host: String?
    /// Header fields in arrival order, names spelled as the client sent them.
    var headers: [(name: String, value: String)]

    /// The HTTP/1 pipeline hands over no version, and it only speaks HTTP/1.x.
    static let proto = "HTTP/1.1"

    init(request: Request, remoteAddr: String, identity: ServiceIdentity, ips: [String]) {
        self.identity = identity
        self.ips = ips
        self.remoteAddr = remoteAddr
        self.method = request.method.rawValue
        self.url = request.head.path ?? request.uri.string
        self.host = request.head.authority
        self.headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
    }

    /// Plain text in traefik/whoami's layout, one `Key: value` per line.
    var text: String {
        var out = ""
        out.reserveCapacity(256 + headers.count * 48)
        if let name = identity.name { out += "Name: \(name)\n" }
        out += "Hostname: \(identity.hostname)\n"
        if let node = identity.node { out += "Node: \(node)\n" }
        if let alloc = identity.alloc { out += "Alloc: \(alloc)\n" }
        for ip in ips { out += "IP: \(ip)\n" }
        out += "RemoteAddr: \(remoteAddr)\n"
        out += "\(method) \(url) \(Self.proto)\n"
        if let host { out += "Host: \(host)\n" }
        for header in headers { out += "\(header.name): \(header.value)\n" }
        return out
    }

    private enum CodingKeys: String, CodingKey {
        case name, hostname, node, alloc, ip, remoteAddr, method, url, proto, host, headers
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(identity.name, forKey: .name)
        try container.encode(identity.hostname, forKey: .hostname)
        try container.encodeIfPresent(identity.node, forKey: .node)
        try container.encodeIfPresent(identity.alloc, forKey: .alloc)
        try container.encode(ips, forKey: .ip)
        try container.encode(remoteAddr, forKey: .remoteAddr)
        try container.encode(method, forKey: .method)
        try container.encode(url, forKey: .url)
        try container.encode(Self.proto, forKey: .proto)
        try container.encodeIfPresent(host, forKey: .host)
        var grouped: [String: [String]] = [:]
        for header in headers { grouped[header.name, default: []].append(header.value) }
        try container.encode(grouped, forKey: .headers)
    }

    func json() throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: data)
    }
}
