#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Locking

/// The machine's interface addresses, as whoami lists them: read on every request by
/// default, as whoami does, so an address added or removed shows at once. A positive
/// `maxAge` caches them (the fuzz target does, to fuzz request handling, not netlink).
package final class InterfaceAddresses: Sendable {
    private struct Snapshot {
        var addresses: [String]
        var takenAt: ContinuousClock.Instant
    }

    private let maxAge: Duration
    private let snapshot: Mutex<Snapshot>

    package init(maxAge: Duration = .zero) {
        self.maxAge = maxAge
        self.snapshot = Mutex(Snapshot(addresses: Self.read(), takenAt: .now))
    }

    var current: [String] {
        guard maxAge > .zero else { return Self.read() }
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
            guard family == AF_INET || family == AF_INET6 else { continue }
            // inet_ntop rather than getnameinfo: the same numeric text, without a zone suffix
            // to strip, and no resolver machinery behind it.
            let text: String? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { host in
                let source: UnsafeRawPointer
                switch family {
                case AF_INET:
                    source = UnsafeRawPointer(address).advanced(by: MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!)
                default:
                    source = UnsafeRawPointer(address).advanced(by: MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!)
                }
                guard inet_ntop(family, source, host.baseAddress, socklen_t(host.count)) != nil else { return nil }
                return String(cString: host.baseAddress!)
            }
            guard let withoutZone = text else { continue }
            if !result.contains(withoutZone) {
                result.append(withoutZone)
            }
        }
        return result
    }
}
