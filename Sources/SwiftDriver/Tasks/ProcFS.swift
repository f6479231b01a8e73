import Foundation

/// The few fields of `/proc/<pid>/stat` the driver needs.
struct ProcStat: Sendable, Equatable {
    var state: Character
    var ppid: Int32
    var pgid: Int32
    /// Field 22: start time in clock ticks since boot; with the pid it identifies a process.
    var startTime: UInt64

    var isZombie: Bool { state == "Z" || state == "X" }

    /// Reads `/proc/<pid>/stat`; nil when the process does not exist (or the file is odd).
    static func read(pid: Int32) -> ProcStat? {
        guard pid > 0, let text = readSmallFile("/proc/\(pid)/stat") else { return nil }
        return parse(text)
    }

    /// The command name in field 2 may hold spaces and parentheses, so split after the last ')'.
    static func parse(_ text: String) -> ProcStat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        guard fields.count > 19, let state = fields[0].first,
              let ppid = Int32(fields[1]), let pgid = Int32(fields[2]),
              let start = UInt64(fields[19]) else { return nil }
        return ProcStat(state: state, ppid: ppid, pgid: pgid, startTime: start)
    }

    /// True when `pid` is a live (non-zombie) process started at `startTime`: guards against pid reuse.
    static func isAlive(pid: Int32, startTime: UInt64) -> Bool {
        guard let stat = read(pid: pid) else { return false }
        return stat.startTime == startTime && !stat.isZombie
    }
}

/// Reads a small text file in one go (proc, cgroup and state files); nil when unreadable.
func readSmallFile(_ path: String) -> String? {
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
func writeFileAtomically(_ path: String, _ bytes: [UInt8]) -> Bool {
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
func writeControlFile(_ path: String, _ text: String) -> Bool {
    let fd = open(path, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    return n == bytes.count
}

func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
