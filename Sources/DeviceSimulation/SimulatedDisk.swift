/// One node's watched filesystem, reduced to what the plugin measures: statvfs's available
/// bytes and the bytes under each reservation directory. Writes stop at a full disk (ENOSPC),
/// as real ones do.
struct SimulatedDisk: Sendable {
    let capacityBytes: UInt64
    /// Bytes written by processes the plugin knows nothing of (logs, images, other jobs).
    private(set) var outsideBytes: UInt64 = 0
    /// Reservation directories that exist, with the bytes written under each.
    private(set) var directories: [String: UInt64] = [:]

    init(capacityBytes: UInt64) {
        self.capacityBytes = capacityBytes
    }

    var usedBytes: UInt64 { outsideBytes + directories.values.reduce(0, +) }
    var availableBytes: UInt64 { capacityBytes - usedBytes }

    func exists(_ directory: String) -> Bool { directories[directory] != nil }
    func bytes(in directory: String) -> UInt64 { directories[directory] ?? 0 }

    mutating func makeDirectory(_ directory: String) {
        if directories[directory] == nil { directories[directory] = 0 }
    }

    /// Removes a directory and what was written under it (the driver at DestroyTask).
    mutating func removeDirectory(_ directory: String) {
        directories[directory] = nil
    }

    /// Writes up to `bytes` into an existing directory; returns what fitted.
    @discardableResult
    mutating func write(_ bytes: UInt64, into directory: String) -> UInt64 {
        guard let current = directories[directory] else { return 0 }
        let written = min(bytes, availableBytes)
        directories[directory] = current + written
        return written
    }

    /// An outside writer adds up to `bytes`; returns what fitted.
    @discardableResult
    mutating func writeOutside(_ bytes: UInt64) -> UInt64 {
        let written = min(bytes, availableBytes)
        outsideBytes += written
        return written
    }

    mutating func freeOutside(_ bytes: UInt64) {
        outsideBytes -= min(bytes, outsideBytes)
    }
}
