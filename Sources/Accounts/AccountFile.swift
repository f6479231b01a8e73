import Glibc
import SystemSupport

/// Reads a colon-separated account file (`/etc/passwd`, `/etc/group`) into its entry lines:
/// comments and blank lines dropped. A missing or unreadable file reads as empty, like an
/// NSS source with no entries.
enum AccountFile {
    /// Far above any real account file; a larger one is read only this far.
    static let maximumBytes = 16 << 20

    static func read(_ path: String) -> [Substring] {
        guard let bytes = try? FileInput.read(atPath: path, limit: maximumBytes).bytes else { return [] }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(separator: "\n").filter { line in
            guard let first = line.first else { return false }
            return first != "#"
        }
    }
}
