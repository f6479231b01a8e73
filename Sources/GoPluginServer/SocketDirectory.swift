import Accounts
import Glibc
import SystemSupport

/// A fresh, private directory holding the plugin's unix socket; removed when the plugin exits.
///
/// Only the plugin's user can enter it (0700) and use the socket (0600). When the host names a
/// group (`PLUGIN_UNIX_SOCKET_GROUP`), that group gets search access to the directory and
/// read-write access to the socket, as go-plugin does.
public struct SocketDirectory: Sendable {
    public let path: String
    public let socketPath: String
    let groupID: gid_t?

    /// Creates `<parent>/nomad-driver-swift-XXXXXX`. `parent` defaults to `$TMPDIR`, then `/tmp`.
    public init(parent: String?, group: String?, environment: [String: String]) throws(HandshakeError) {
        var groupID: gid_t?
        if let group {
            guard let gid = Self.resolveGroup(group) else {
                throw HandshakeError(message: "PLUGIN_UNIX_SOCKET_GROUP names the group \"\(group)\", which does not exist on this host.")
            }
            groupID = gid
        }
        let base = parent ?? environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/nomad-driver-swift-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw HandshakeError(message: "could not create the plugin's socket directory in \(base): \(errnoDescription(errno)).")
        }
        let dir = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if let groupID {
            _ = chown(dir, UInt32.max, groupID)
            _ = chmod(dir, 0o750)
        } else {
            _ = chmod(dir, 0o700)
        }
        self.path = dir
        self.socketPath = dir + "/plugin.sock"
        self.groupID = groupID
    }

    /// Tightens the socket's mode once the listener has created it.
    public func secureSocket() {
        if let groupID {
            _ = chown(socketPath, UInt32.max, groupID)
            _ = chmod(socketPath, 0o660)
        } else {
            _ = chmod(socketPath, 0o600)
        }
    }

    /// Whether a client can connect to the socket right now.
    public func acceptsConnections() -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// Removes the socket and the directory. Safe to call more than once.
    public func remove() {
        _ = unlink(socketPath)
        _ = rmdir(path)
    }

    private static func resolveGroup(_ group: String) -> gid_t? {
        AccountDatabase().groupID(group)
    }
}
