import DiskMeasurement
import Foundation
import GoPluginServer
import Locking
import Logging
@testable import SwiftDevice

/// A filesystem the test fills and frees: statvfs figures it sets, on a real directory (so
/// reservations' scratch directories and the ledger are real files).
final class FakeDisk: DiskProbe {
    private let state: Mutex<(available: UInt64, capacity: UInt64)>
    let deviceID: UInt64
    let rootReservedMiB: UInt64

    /// `rootReservedMiB`: space only root may use (never in `available`, as statvfs reports it).
    init(capacityMiB: UInt64, availableMiB: UInt64? = nil, deviceID: UInt64 = 42, rootReservedMiB: UInt64 = 0) {
        state = Mutex((available: (availableMiB ?? capacityMiB - rootReservedMiB) << 20, capacity: capacityMiB << 20))
        self.deviceID = deviceID
        self.rootReservedMiB = rootReservedMiB
    }

    var availableMiB: UInt64 {
        get { state.withLock { $0.available >> 20 } }
        set { state.withLock { $0.available = newValue << 20 } }
    }

    /// Another writer on the disk takes (or frees, negative) this much.
    func write(mebibytes: Int64) {
        state.withLock { state in
            let next = Int64(state.available >> 20) - mebibytes
            state.available = UInt64(max(0, next)) << 20
        }
    }

    func measure(paths: [String]) -> [DiskMeasurement] {
        let (available, capacity) = state.withLock { ($0.available, $0.capacity) }
        return paths.map { path in
            .reading(DiskReading(path: path, deviceID: deviceID, availableBytes: available, capacityBytes: capacity,
                                 inodesFree: 1000, inodesTotal: 1000, rootReservedBytes: rootReservedMiB << 20))
        }
    }
}

/// Time moves only when the test says so.
final class ManualClock: MonitorClock {
    private let time = Mutex<Duration>(.zero)
    func now() -> Duration { time.withLock { $0 } }
    func advance(_ by: Duration) { time.withLock { $0 += by } }
    func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// A fresh directory under the system temp dir, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("swiftdevice-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Writes `mebibytes` MiB of real data into `directory/name` (allocated, so `du` counts it).
func writeFile(_ directory: String, _ name: String, mebibytes: Int) throws {
    let chunk = Data(repeating: 0x5a, count: 1 << 20)
    _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/" + name))
    for _ in 0..<mebibytes { handle.write(chunk) }
    try handle.close()
}

let quietLogger: Logger = {
    var logger = Logger(label: "device-tests")
    logger.logLevel = .critical
    return logger
}()

extension DeviceConfig {
    static func test(paths: [String], unitMB: UInt64 = 1, headroomMB: UInt64 = 0, maxInstances: UInt64 = 128,
                     minInterval: Duration = .seconds(30)) -> DeviceConfig {
        var config = DeviceConfig()
        config.paths = paths
        config.unitMB = unitMB
        config.headroomMB = headroomMB
        config.maxInstances = maxInstances
        config.fingerprintMinInterval = minInterval
        return config
    }
}
