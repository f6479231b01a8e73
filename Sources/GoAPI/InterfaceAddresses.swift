#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Locking

/// The machine's interface addresses, as whoami lists them, cached briefly so
/// a load test on `/` does not turn into a netlink benchmark.
package final class InterfaceAddresses: Sendable {
    private struct Snapshot {
        var addresses: [String]
        var takenAt: ContinuousClock.Instant
    }

    private let maxAge: Duration
    private let snapshot: Mutex<Snapshot>

    package init(maxAge: Duration = .seconds(5)) {
        self.maxAge = maxAge
        self.snapshot = Mutex(Snapshot(addresses: Self.read(), takenAt: .now))
    }

    var current: [String] {
        let now = ContinuousClock.now
        if let fresh = snapshot.withLock({ now - $0.takenAt < maxAge ? $0.addresses : nil }) {
            return fresh
        }
        let addresses = Self.read()
        snapshot.withLock { $0 = Snapshot(addresses: addresses, takenAt: now) }
        return addresses
    }

    /// Numeric IPv4 and IPv6 addresses of every interface, zone suffix dropped.
    static func read() -> [String] {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0, let first = head else { return [] }
        defer { freeifaddrs(head) }

        var result: [String] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr else { continue }
            let family = Int32(address.pointee.sa_family)
            let length: Int
            switch family {
            case AF_INET: length = MemoryLayout<sockaddr_in>.size
            case AF_INET6: length = MemoryLayout<sockaddr_in6>.size
            default: continue
            }
            var host = [CChar](repeating: 0, count: 128)
            guard getnameinfo(address, socklen_t(length), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else {
                continue
            }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let withoutZone = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
            if !result.contains(withoutZone) {
                result.append(withoutZone)
            }
        }
        return result
    }
}
