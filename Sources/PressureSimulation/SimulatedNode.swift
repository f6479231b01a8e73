import GoPluginServer
import Locking
import Logging
import SwiftDriver

/// A monotonic clock the simulation sets; sleeping is never used (the simulation calls
/// `DiskMonitor.sample()` itself).
final class SimulatedClock: MonitorClock {
    private let time = Mutex<Duration>(.zero)
    func now() -> Duration { time.withLock { $0 } }
    func set(_ value: Duration) { time.withLock { $0 = value } }
    func sleep(for duration: Duration) async throws { time.withLock { $0 += duration } }
}

/// A probe that reads a `DiskCurve` at the simulated time.
final class CurveProbe: DiskProbe {
    private let free = Mutex<Double>(0)
    let path: String
    let curve: DiskCurve

    init(path: String, curve: DiskCurve) {
        self.path = path
        self.curve = curve
    }

    func advance(to seconds: Double) { free.withLock { $0 = curve.freeMiB(seconds) } }

    var reading: DiskReading {
        let mib = Double(DiskUnits.mebibyte)
        return DiskReading(
            path: path, deviceID: 1, availableBytes: UInt64(max(0, free.withLock { $0 }) * mib),
            capacityBytes: UInt64(curve.capacityMiB * mib), inodesFree: 1_000_000, inodesTotal: 2_000_000
        )
    }

    func measure(paths: [String]) -> [DiskMeasurement] { [.reading(reading)] }
}

/// Three running tasks; records when each eviction came.
actor RecordingTarget: EvictionTarget {
    private var tasks: [EvictionCandidate]
    private(set) var evictions: [(taskID: String, reason: String)] = []

    init(count: Int) {
        tasks = (0..<count).map {
            EvictionCandidate(taskID: "task-\($0)", startedAt: .init(timeIntervalSince1970: Double($0)), diskLimitMB: nil,
                              usageBytes: UInt64(($0 + 1) * 10) * DiskUnits.mebibyte, evictable: true)
        }
    }

    func evictionCandidates() async -> [EvictionCandidate] { tasks }

    func evict(taskID: String, reason: String, grace: Duration) async {
        evictions.append((taskID, reason))
        tasks.removeAll { $0.taskID == taskID }
    }
}

/// A logger that drops everything: the simulation reports figures, not log lines.
let quietLogger = Logger(label: "pressure-simulation") { _ in SwiftLogNoOpLogHandler() }
