import FoundationEssentials
import Glibc
import SystemSupport

/// Small file writers for the task state and cgroup files (namespaced to stay out of the
/// module's global scope, which other parts of the driver share).
enum TaskFiles {
    /// Writes a file atomically (temporary sibling, then rename). No fsync: these records must
    /// outlive the plugin process, not the machine (tasks die with it), and fsync would add
    /// milliseconds to every start.
    static func writeFileAtomically(_ path: String, _ bytes: [UInt8]) -> Bool {
        writeAtomically(path, bytes) == 0
    }

    /// `writeFileAtomically`, returning 0 or the errno of the step that failed.
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) -> Int32 {
        FileOutput.replaceAtomically(path, bytes)
    }

    /// Creates (or truncates) a file of `size` spaces: a placeholder that no record reader decodes,
    /// whose blocks a later `overwriteReserved` reuses, so that write needs no free space.
    /// Returns 0 or an errno value (ENOSPC on a full disk).
    static func reserve(_ path: String, size: Int) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return errno }
        let err = FileOutput.writeAll(fd, [UInt8](repeating: 0x20, count: size))
        close(fd)
        if err != 0 { unlink(path) }
        return err
    }

    /// Puts a JSON record into a file made by `reserve`: one pwrite of the record padded with
    /// spaces to the reserved size, into bytes that are already allocated, so a full disk cannot
    /// fail it. JSON readers ignore the padding; a reader racing the write sees the record cut
    /// short, which does not decode, and tries again. Falls back to an atomic write when there is
    /// no reservation or the record does not fit in it.
    @discardableResult
    static func overwriteReserved(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        if fd >= 0 {
            var st = stat()
            let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
            if size >= bytes.count && size <= maxReservation {
                let padded = bytes + [UInt8](repeating: 0x20, count: size - bytes.count)
                let err = FileOutput.writeAll(fd, padded, at: 0)
                close(fd)
                if err == 0 { return true }
            } else {
                close(fd)
            }
        }
        return writeFileAtomically(path, bytes)
    }

    /// Reservations are a page or so; anything larger is not one.
    static let maxReservation = 64 << 10

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

    static func encodeJSON<T: Encodable>(_ value: T) -> [UInt8]? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { Array($0) }
    }

    /// Creates a directory and its parents (mode 0755 less the umask: the task user may need to traverse the task dir).
    static func makeDirectories(_ path: String) -> Bool {
        makeDirectoriesReportingErrno(path) == 0
    }

    /// `makeDirectories`, returning 0 or the errno of the mkdir that failed (ENOSPC on a full disk).
    static func makeDirectoriesReportingErrno(_ path: String) -> Int32 {
        var st = stat()
        if stat(path, &st) == 0 { return (st.st_mode & S_IFMT) == S_IFDIR ? 0 : ENOTDIR }
        let parent = FilePaths.parent(of: path)
        if !parent.isEmpty && parent != path {
            let err = makeDirectoriesReportingErrno(parent)
            if err != 0 { return err }
        }
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return 0 }
        return errno
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
