import Glibc

/// Reads a colon-separated account file (`/etc/passwd`, `/etc/group`) into its entry lines:
/// comments and blank lines dropped. A missing or unreadable file reads as empty, like an
/// NSS source with no entries.
enum AccountFile {
    /// Far above any real account file; a larger one is read only this far.
    static let maximumBytes = 16 << 20

    static func read(_ path: String) -> [Substring] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < maximumBytes {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(separator: "\n").filter { line in
            guard let first = line.first else { return false }
            return first != "#"
        }
    }
}
