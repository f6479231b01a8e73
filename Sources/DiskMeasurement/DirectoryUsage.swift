#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Disk space a directory tree really occupies, as `du` would count it.
public enum DirectoryUsage {
    /// Sums `st_blocks * 512` of `path` and everything under it. Uses `lstat` so symlinks are
    /// counted but never followed, stays on `path`'s filesystem, counts hard-linked files once,
    /// and skips entries that vanish or cannot be read while it walks (tasks keep writing).
    public static func bytes(under path: String) -> UInt64 {
        var root = stat()
        guard lstat(path, &root) == 0 else { return 0 }
        var total = allocatedBytes(root)
        guard isDirectory(root) else { return total }
        let device = root.st_dev
        var seenLinks = Set<InodeKey>()
        var pending = [path]
        while let directory = pending.popLast() {
            guard let handle = opendir(directory) else { continue }
            let prefix = directory.hasSuffix("/") ? directory : directory + "/"
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let child = prefix + name
                var info = stat()
                guard lstat(child, &info) == 0, info.st_dev == device else { continue }
                if info.st_nlink > 1 && !isDirectory(info) {
                    guard seenLinks.insert(InodeKey(inode: UInt64(info.st_ino))).inserted else { continue }
                }
                total &+= allocatedBytes(info)
                if isDirectory(info) { pending.append(child) }
            }
            closedir(handle)
        }
        return total
    }

    private struct InodeKey: Hashable {
        var inode: UInt64
    }

    private static func allocatedBytes(_ info: stat) -> UInt64 {
        UInt64(max(0, info.st_blocks)) &* 512
    }

    private static func isDirectory(_ info: stat) -> Bool {
        (info.st_mode & S_IFMT) == S_IFDIR
    }
}
