import GoPluginServer
import Foundation
import Logging
import Locking
@testable import SwiftDriver

/// A probe whose answers the test sets.
final class FakeDiskProbe: DiskProbe {
    private let answer = Mutex<[DiskMeasurement]>([])

    init(_ measurements: [DiskMeasurement] = []) { set(measurements) }

    func set(_ measurements: [DiskMeasurement]) { answer.withLock { $0 = measurements } }
    func set(_ reading: DiskReading) { set([.reading(reading)]) }

    func measure(paths: [String]) -> [DiskMeasurement] { answer.withLock { $0 } }
}

/// Time moves only when the test says so.
final class FakeMonitorClock: MonitorClock {
    private let time = Mutex<Duration>(.zero)

    func now() -> Duration { time.withLock { $0 } }
    func set(_ value: Duration) { time.withLock { $0 = value } }
    func advance(_ by: Duration) { time.withLock { $0 += by } }

    /// Fast-forwards instead of waiting, yielding so other tasks run.
    func sleep(for duration: Duration) async throws {
        advance(duration)
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// A task store stand-in: lists tasks, records evictions and drops evicted tasks.
actor FakeEvictionTarget: EvictionTarget {
    struct Eviction: Equatable {
        var taskID: String
        var reason: String
        var grace: Duration
    }

    private(set) var tasks: [EvictionCandidate]
    private(set) var evictions: [Eviction] = []
    private(set) var listings = 0

    init(_ tasks: [EvictionCandidate]) { self.tasks = tasks }

    func evictionCandidates() async -> [EvictionCandidate] {
        listings += 1
        return tasks
    }

    func evict(taskID: String, reason: String, grace: Duration) async {
        evictions.append(Eviction(taskID: taskID, reason: reason, grace: grace))
        tasks.removeAll { $0.taskID == taskID }
    }

    func setTasks(_ newTasks: [EvictionCandidate]) { tasks = newTasks }
}

/// Collects log records so tests can check what operators would see.
final class LogCapture: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    let records = Mutex<[Record]>([])

    var logger: Logger {
        var logger = Logger(label: "disk-tests") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    func messages(at level: Logger.Level) -> [Record] { records.withLock { $0.filter { $0.level == level } } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let record = Record(level: event.level, message: event.message.description, metadata: event.metadata ?? [:])
            capture.records.withLock { $0.append(record) }
        }
    }
}

/// A reading in whole MiB on a filesystem of `capacityMiB`.
func diskReading(
    path: String = "/data", device: UInt64 = 1, freeMiB: UInt64, capacityMiB: UInt64 = 1000,
    inodesFree: UInt64 = 1000, inodesTotal: UInt64 = 1000
) -> DiskReading {
    DiskReading(
        path: path, deviceID: device,
        availableBytes: freeMiB * DiskUnits.mebibyte, capacityBytes: capacityMiB * DiskUnits.mebibyte,
        inodesFree: inodesFree, inodesTotal: inodesTotal
    )
}

/// Thresholds sized for a 1000 MiB test filesystem: soft below 150 MiB (after 60 s), hard below
/// 100 MiB, 20 MiB reclaim margin, 300 s transition period.
func testDiskConfig() -> DiskPressureConfig {
    var config = DiskPressureConfig()
    config.softFreePercent = 15
    config.softFreeMB = 0
    config.softGrace = .seconds(60)
    config.hardFreePercent = 10
    config.hardFreeMB = 50
    config.hardInodesFreePercent = 5
    config.minReclaimPercent = 2
    config.transitionPeriod = .seconds(300)
    config.attributeStepMB = 100
    config.attributeMinInterval = .seconds(60)
    return config
}

func candidate(
    _ id: String, startedSecondsAgo: Double = 100, limitMB: UInt64? = nil, usageMiB: UInt64,
    evictable: Bool = true
) -> EvictionCandidate {
    EvictionCandidate(
        taskID: id, startedAt: Date(timeIntervalSince1970: 1_000_000 - startedSecondsAgo),
        diskLimitMB: limitMB, usageBytes: usageMiB * DiskUnits.mebibyte,
        evictable: evictable
    )
}
