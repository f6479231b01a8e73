import Glibc

/// Writing every byte to a descriptor: the one loop the driver's state files, its hclog lines and
/// go-api's access log share.
public enum FileOutput {
    /// Writes all of `bytes` (at `offset` with pwrite, else at the file position), retrying short
    /// writes and EINTR. Returns 0, or the errno value of the write that failed (EIO when a write
    /// took nothing).
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: off_t? = nil) -> Int32 {
        var done = 0
        while done < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[done...])
            let n = offset.map { pwrite(fd, rest.baseAddress, rest.count, $0 + off_t(done)) }
                ?? write(fd, rest.baseAddress, rest.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return errno }
            if n == 0 { return EIO }
            done += n
        }
        return 0
    }

    /// `writeAll` of an array's bytes.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: off_t? = nil) -> Int32 {
        bytes.withUnsafeBytes { writeAll(fd, $0, at: offset) }
    }

    /// Replaces the file at `path` atomically: a temporary sibling, then rename, so readers never
    /// see half a record. No fsync: these records must outlive the process, not the machine.
    /// Returns 0 or the errno of the step that failed.
    public static func replaceAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) -> Int32 {
        let tmp = path + ".tmp.\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { return errno }
        let err = writeAll(fd, bytes)
        close(fd)
        if err != 0 { unlink(tmp); return err }
        if rename(tmp, path) != 0 { let e = errno; unlink(tmp); return e }
        return 0
    }
}
