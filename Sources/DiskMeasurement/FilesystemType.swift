#if canImport(Glibc)
import Glibc
#endif
import SystemSupport

/// The type of the filesystem a path lives on (`ext4`, `xfs`, `tmpfs`...), as the kernel's
/// mount table names it: the mount whose device is the path's and whose mount point is the
/// longest prefix of the path.
public enum FilesystemType {
    public static func of(path: String, mountInfo: String? = nil) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let device = "\(major(info.st_dev)):\(minor(info.st_dev))"
        let table: String
        if let mountInfo {
            table = mountInfo
        } else {
            guard let contents = try? FileInput.read(atPath: "/proc/self/mountinfo") else { return nil }
            table = String(decoding: contents.bytes, as: UTF8.self)
        }
        return find(device: device, path: path, in: table)
    }

    /// Parses `/proc/self/mountinfo`: field 3 is major:minor, field 5 the mount point, and the
    /// first field after the lone `-` is the filesystem type.
    static func find(device: String, path: String, in table: String) -> String? {
        var best: (length: Int, type: String)?
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 6, fields[2] == device, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            let mountPoint = unescape(String(fields[4]))
            let covers = mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/")
            guard covers, mountPoint.count >= (best?.length ?? -1) else { continue }
            best = (mountPoint.count, String(fields[dash + 1]))
        }
        return best?.type
    }

    /// mountinfo writes space, tab, newline and backslash in mount points as octal escapes.
    private static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var i = 0
        while i < source.count {
            if source[i] == 0x5C, i + 3 < source.count,
               let value = UInt8(String(decoding: source[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                i += 4
            } else {
                bytes.append(source[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // glibc's major()/minor() are macros Swift cannot import; this is their bit layout.
    static func major(_ dev: dev_t) -> UInt64 { ((UInt64(dev) >> 8) & 0xfff) | ((UInt64(dev) >> 32) & ~0xfff) }
    static func minor(_ dev: dev_t) -> UInt64 { (UInt64(dev) & 0xff) | ((UInt64(dev) >> 12) & ~0xff) }
}
