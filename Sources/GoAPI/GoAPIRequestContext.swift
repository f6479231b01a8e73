import Hummingbird
import NIOCore

/// Request context carrying the peer address, which whoami reports as `RemoteAddr`.
package struct GoAPIRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// `host:port`, IPv6 hosts in brackets, like Go's `RemoteAddr`.
    var remoteAddr: String {
        guard let remoteAddress, let ip = remoteAddress.ipAddress, let port = remoteAddress.port else {
            return "unknown"
        }
        if case .v6 = remoteAddress { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}
