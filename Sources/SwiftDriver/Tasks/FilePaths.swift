import Glibc

/// The two path questions the driver asks, answered with libc so the plugin does not link
/// Foundation (whose start-up work and pages are most of a small process's memory).
enum FilePaths {
    /// Whether `path` names a directory, following symbolic links.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// `path` without its last component, as `NSString.deletingLastPathComponent` gives it:
    /// "/a/b/" → "/a", "/a" → "/", "/" → "/", "b" → "".
    static func parent(of path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        var end = slash
        while end > 0, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        return end == 0 ? "/" : String(decoding: bytes[..<end], as: UTF8.self)
    }
}
