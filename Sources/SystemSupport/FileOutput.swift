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
}
