#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who this instance is: the fields that tell replicas apart in a failover drill.
package struct ServiceIdentity: Sendable {
    var name: String?
    var hostname: String
    /// Nomad node name; differs between clients that share one host.
    var node: String?
    var alloc: String?

    package static func current(name: String?, environment: [String: String]) -> ServiceIdentity {
        ServiceIdentity(
            name: nonEmpty(name ?? environment["GO_API_NAME"]),
            hostname: systemHostname(),
            node: nonEmpty(environment["NODE_NAME"]),
            alloc: nonEmpty(environment["NOMAD_ALLOC_ID"])
        )
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    private static func systemHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
