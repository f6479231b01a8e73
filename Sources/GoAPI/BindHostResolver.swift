#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemSupport

/// Turns `--bind`'s host (or `NOMAD_IP_<label>`) into the IP address to listen on, without
/// glibc's name service switch: the release go-api is a static binary, and glibc cannot load
/// NSS modules into one (`getaddrinfo` there fails or crashes on a host name).
///
/// The order is Go's own resolver's, which the Go reference uses: an IP literal as it is, then
/// `/etc/hosts`, then `localhost` (RFC 6761), then `getent ahosts` (a dynamically linked program
/// with the host's full NSS, so DNS and systemd's modules answer as they would for any other
/// program). Of several addresses the first IPv4 one wins, else the first IPv6 one, as Go's
/// `net.Listen("tcp", ...)` chooses.
package struct BindHostResolver: Sendable {
    package var hostsPath: String
    /// `getent`, asked only when the hosts file does not know a name; nil skips it.
    package var getentPath: String?

    package init(hostsPath: String = "/etc/hosts", getentPath: String? = BindHostResolver.defaultGetent) {
        self.hostsPath = hostsPath
        self.getentPath = getentPath
    }

    /// The first executable `getent` in the usual system directories (never a relative PATH entry).
    package static var defaultGetent: String? {
        ["/usr/bin/getent", "/bin/getent", "/usr/sbin/getent"].first { access($0, X_OK) == 0 }
    }

    /// A name `resolve` could not turn into an address; its description is one sentence.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var description: String
    }

    /// The address to listen on for `host`, as text (`127.0.0.1`, `::1`).
    package func resolve(_ host: String) throws(Failure) -> String {
        if Self.family(of: host) != nil { return host }
        // Names compare without case and without a final dot, as DNS and Go's hosts lookup do.
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty, !name.utf8.contains(0) else {
            throw Failure(description: "'\(host)' is not an IP address or host name.")
        }
        if let address = Self.preferred(hostsFileAddresses(for: name)) { return address }
        if name == "localhost" || name.hasSuffix(".localhost") { return "127.0.0.1" }
        if let address = Self.preferred(getentAddresses(for: name)) { return address }
        throw Failure(
            description: "host name '\(host)' is not in \(hostsPath) and "
                + (getentPath == nil ? "no getent program was found to look it up" : "getent ahosts did not resolve it")
                + "; give an IP address instead.")
    }

    /// Every address `hostsPath` lists for `name`, in file order. A missing file has none.
    func hostsFileAddresses(for name: String) -> [String] {
        guard let text = FileInput.text(atPath: hostsPath, limit: 16 << 20) else { return [] }
        return Self.hostsFileAddresses(for: name, in: text)
    }

    /// hosts(5): an address, then the names it has, separated by blanks; `#` starts a comment.
    package static func hostsFileAddresses(for name: String, in text: String) -> [String] {
        var result: [String] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let content = line.prefix { $0 != "#" }
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { continue }
            let address = String(fields[0])
            guard family(of: address) != nil else { continue }
            if fields.dropFirst().contains(where: { $0.lowercased() == name }) { result.append(address) }
        }
        return result
    }

    /// `getent ahosts name`: one `address  STREAM|DGRAM|RAW  [canonical name]` line per result.
    func getentAddresses(for name: String) -> [String] {
        // `--`: a name starting with "-" must not read as an option.
        guard let getentPath, let output = CommandOutput.run(getentPath, ["ahosts", "--", name]) else { return [] }
        return Self.getentAddresses(in: output)
    }

    package static func getentAddresses(in output: String) -> [String] {
        var result: [String] = []
        for line in output.split(separator: "\n") {
            guard let first = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first else { continue }
            let address = String(first)
            if family(of: address) != nil, !result.contains(address) { result.append(address) }
        }
        return result
    }

    /// The first IPv4 address, else the first IPv6 one.
    package static func preferred(_ addresses: [String]) -> String? {
        addresses.first { family(of: $0) == AF_INET } ?? addresses.first
    }

    /// AF_INET or AF_INET6 for an IP literal, nil for anything else.
    package static func family(of text: String) -> Int32? {
        var buffer = in6_addr()  // large enough for either family
        if inet_pton(AF_INET, text, &buffer) == 1 { return AF_INET }
        if inet_pton(AF_INET6, text, &buffer) == 1 { return AF_INET6 }
        return nil
    }
}
