import FoundationEssentials
import Glibc

/// Small file helpers for the task state, proc and cgroup files (namespaced to stay out of the
/// module's global scope, which other parts of the driver share).
enum TaskFiles {
    /// Reads a small text file in one go (proc, cgroup and state files); nil when unreadable.
    static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
            if data.count > 4 << 20 { return nil }
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes a file atomically: a temporary sibling, then rename, so readers never see half a record.
    /// No fsync: these records must outlive the plugin process, not the machine (tasks die with it),
    /// and fsync would add milliseconds to every start.
    static func writeFileAtomically(_ path: String, _ bytes: [UInt8]) -> Bool {
        let tmp = path + ".tmp.\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { close(fd); unlink(tmp); return false }
            offset += n
        }
        close(fd)
        if rename(tmp, path) != 0 { unlink(tmp); return false }
        return true
    }

    /// Writes a short string to an existing file (cgroup control files).
    @discardableResult
    static func writeControlFile(_ path: String, _ text: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return n == bytes.count
    }

    static func errnoText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static func encodeJSON<T: Encodable>(_ value: T) -> [UInt8]? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { Array($0) }
    }

    /// Creates a directory and its parents (mode 0711: the task user may need to traverse the task dir).
    static func makeDirectories(_ path: String) -> Bool {
        (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) != nil
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
