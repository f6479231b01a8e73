import Glibc

/// Reads a file descriptor to its end, as the account files and `getent`'s pipe both need.
enum DescriptorInput {
    /// The bytes up to `limit`, and whether more followed. Everything is read, so a writer on
    /// the other end of a pipe never blocks on a full pipe.
    static func readAll(_ fd: Int32, limit: Int) -> (bytes: [UInt8], truncated: Bool) {
        var bytes: [UInt8] = []
        var truncated = false
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            let room = max(0, limit - bytes.count)
            bytes.append(contentsOf: chunk[..<min(count, room)])
            if count > room { truncated = true }
        }
        return (bytes, truncated)
    }
}
