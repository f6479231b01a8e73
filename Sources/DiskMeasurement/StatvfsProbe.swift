#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemSupport

/// Measures paths with `statvfs(3)` and `stat(2)`; never shells out to `df`.
public struct StatvfsProbe: DiskProbe {
    /// Nomad's usual data dir, watched by default when it exists.
    public static let nomadDataDir = "/opt/nomad/data"

    public init() {}

    /// The paths watched when the config names none: `/opt/nomad/data` if it exists, else `/`.
    public static func defaultPaths() -> [String] {
        var info = stat()
        return stat(nomadDataDir, &info) == 0 ? [nomadDataDir] : ["/"]
    }

    /// `configured` when non-empty, else `defaultPaths()`.
    public static func resolvePaths(_ configured: [String]) -> [String] {
        configured.isEmpty ? defaultPaths() : configured
    }

    /// The `st_dev` of `path`, or nil when it cannot be stat'ed.
    public static func deviceID(of path: String) -> UInt64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt64(info.st_dev)
    }

    public func measure(paths: [String]) -> [DiskMeasurement] {
        var seenDevices = Set<UInt64>()
        var results: [DiskMeasurement] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                results.append(.failure(path: path, message: Self.failureSentence("stat", path: path, errno: errno)))
                continue
            }
            let device = UInt64(info.st_dev)
            // Several watched paths on one filesystem would repeat the same numbers.
            guard seenDevices.insert(device).inserted else { continue }
            var fs = statvfs()
            guard statvfs(path, &fs) == 0 else {
                results.append(.failure(path: path, message: Self.failureSentence("statvfs", path: path, errno: errno)))
                continue
            }
            let blockSize = UInt64(fs.f_frsize)
            results.append(.reading(DiskReading(
                path: path,
                deviceID: device,
                availableBytes: UInt64(fs.f_bavail) * blockSize,
                capacityBytes: UInt64(fs.f_blocks) * blockSize,
                inodesFree: UInt64(fs.f_favail),
                inodesTotal: UInt64(fs.f_files),
                rootReservedBytes: UInt64(fs.f_bfree > fs.f_bavail ? fs.f_bfree - fs.f_bavail : 0) * blockSize
            )))
        }
        return results
    }

    static func failureSentence(_ call: String, path: String, errno code: Int32) -> String {
        "cannot measure disk at \(path): \(call) failed: \(errnoDescription(code))"
    }
}
