import Glibc

/// Reading a descriptor or a file to its end: the one loop the plugin, its account lookups and
/// its proc, cgroup and state-file readers share.
public enum FileInput {
    /// What a read returned: the bytes up to the limit, and whether more followed.
    public struct Contents: Sendable, Equatable {
        public var bytes: [UInt8]
        public var truncated: Bool

        public init(bytes: [UInt8], truncated: Bool) {
            self.bytes = bytes
            self.truncated = truncated
        }
    }

    /// Reads `fd` until end of input, keeping at most `limit` bytes. Everything is read, so a
    /// writer on the other end of a pipe never blocks on a full pipe. EINTR is retried.
    public static func readAll(_ fd: Int32, limit: Int = .max) throws(SystemError) -> Contents {
        var contents = Contents(bytes: [], truncated: false)
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError(code: errno)
            }
            if count == 0 { return contents }
            let room = max(0, limit - contents.bytes.count)
            contents.bytes.append(contentsOf: chunk[..<min(count, room)])
            if count > room { contents.truncated = true }
        }
    }

    /// The whole file at `path`, up to `limit` bytes. procfs and cgroupfs files report size 0,
    /// so the size is never trusted: the file is read until end of input.
    public static func read(atPath path: String, limit: Int = .max) throws(SystemError) -> Contents {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(code: errno) }
        defer { close(fd) }
        return try readAll(fd, limit: limit)
    }

    /// A small text file (proc, cgroup and state files); nil when it cannot be read or is larger
    /// than `limit`, so a caller never parses half a file.
    public static func text(atPath path: String, limit: Int = 4 << 20) -> String? {
        guard let contents = try? read(atPath: path, limit: limit), !contents.truncated else { return nil }
        return String(decoding: contents.bytes, as: UTF8.self)
    }
}
