import DiskMeasurement
import GoPluginServer
import Logging

/// Measures every group's filesystem and reservations each `interval`, keeps the reservation
/// ledger, and publishes device lists through a `DeviceFingerprintGate`.
public actor DeviceMonitor {
    /// A group as last measured.
    struct Group: Sendable {
        var layout: DiskGroupLayout
        var capacityMiB: UInt64
        var filesystem: String?
        var accounting: InstanceAccounting
    }

    var config: DeviceConfig
    private let probe: any DiskProbe
    let files: ReservationFiles
    let clock: any MonitorClock
    let logger: Logger
    var groups: [Group] = []
    var ledger = ReservationLedger()
    /// Groups whose ledger file has been read into `ledger`.
    var loadedLedgers: Set<String> = []
    /// The filesystem (st_dev) each loaded ledger was read from.
    var ledgerFilesystems: [String: UInt64] = [:]
    var gate: DeviceFingerprintGate
    private let subscribers = EventBroadcaster<[GroupFingerprint]>(bufferingNewest: 16)
    private var loop: Task<Void, Never>?
    var sampled = false
    /// Groups whose path has never been measured, with why: logged when the cause changes.
    private var unmeasured: [String: String?] = [:]

    public init(config: DeviceConfig = DeviceConfig(), probe: any DiskProbe = StatvfsProbe(),
                files: ReservationFiles = ReservationFiles(), clock: any MonitorClock = ContinuousMonitorClock(),
                logger: Logger) {
        self.config = config
        self.probe = probe
        self.files = files
        self.clock = clock
        self.logger = logger
        self.gate = DeviceFingerprintGate(minInterval: config.fingerprintMinInterval)
    }

    // MARK: Queries

    /// Every group's accounting as of the last sample.
    public func accounting() -> [InstanceAccounting] {
        groups.map(\.accounting)
    }

    /// The device list most recently sent (or, before any, the current one).
    public func currentFingerprint() -> [GroupFingerprint] {
        if !sampled { sample() }
        return gate.lastEmitted ?? fingerprint()
    }

    /// A stream that yields the current device list at once, then every list the gate lets out.
    public func fingerprints() -> AsyncStream<[GroupFingerprint]> {
        subscribers.subscribe(first: currentFingerprint())
    }

    // MARK: Lifecycle

    /// Puts a validated config in force and re-measures at once.
    public func configure(_ newConfig: DeviceConfig) {
        config = newConfig
        gate.minInterval = newConfig.fingerprintMinInterval
        sample()
    }

    /// Starts sampling every `interval`; again while running does nothing.
    public func start() {
        guard loop == nil else { return }
        subscribers.reopen()
        loop = clock.repeating(every: { await self.config.interval }) { await self.sample() }
    }

    /// Stops sampling and ends every stream.
    public func stop() {
        loop?.cancel()
        loop = nil
        subscribers.finish()
    }

    // MARK: Sampling

    /// Takes one sample now and publishes the device list if the gate lets it out. The loop
    /// calls this; tests call it with a fake clock and probe.
    public func sample() {
        sampled = true
        let paths = StatvfsProbe.resolvePaths(config.paths)
        let names = DeviceGroupName.names(for: paths, configured: config.names)
        var measuredDevices: [UInt64: String] = [:]
        var next: [Group] = []
        for (path, name) in zip(paths, names) {
            let previous = groups.first { $0.layout.name == name && $0.layout.path == path }
            var reading: DiskReading?
            var problem: String?
            switch probe.measure(paths: [path]).first {
            case .reading(let r)?:
                if let other = measuredDevices[r.deviceID] {
                    problem = "not offered: \(path) is on the same filesystem as group \"\(other)\", which offers its space"
                } else {
                    measuredDevices[r.deviceID] = name
                    reading = r
                }
            case .failure(_, let message)?: problem = "not offered: \(message)"
            case nil: problem = "not offered: \(path) could not be measured"
            }
            guard let layout = reading.map({ r in
                DiskGroupLayout(name: name, path: path, capacityBytes: r.usableCapacityBytes, unitMB: config.unitMB,
                                maxInstances: config.maxInstancesPerGroup, headroomMB: config.headroomMB)
            }) ?? previous?.layout else {
                // Once per cause, not at every sample: a disk not mounted yet would otherwise
                // write a warning every interval for as long as it stays away.
                if unmeasured[name] != problem {
                    unmeasured[name] = problem
                    logger.warning("device group not offered: its path was never measured", metadata: [
                        "group": "\(name)", "error": "\(problem ?? "")",
                    ])
                }
                continue
            }
            if unmeasured.removeValue(forKey: name) != nil {
                logger.info("device group offered: its path can be measured now", metadata: ["group": "\(name)", "path": "\(path)"])
            }
            if let reading { followFilesystem(of: name, to: reading.deviceID, path: path) }
            loadLedgerIfNeeded(layout)
            releaseVanished(in: layout)
            let usages = ledger.reservations(in: name).map { reservation in
                ReservationUsage(reservation: reservation, writtenBytes: writtenBytes(of: reservation))
            }
            let accounting = InstanceAccounting(layout: layout, availableBytes: reading?.availableBytes ?? 0,
                                                reservations: usages, unavailable: problem)
            next.append(Group(
                layout: layout,
                capacityMiB: reading?.capacityMiB ?? previous?.capacityMiB ?? 0,
                filesystem: previous?.filesystem ?? FilesystemType.of(path: path),
                accounting: accounting))
        }
        for group in next {
            if let before = groups.first(where: { $0.layout.name == group.layout.name }),
               before.accounting.freeCount != group.accounting.freeCount {
                logger.debug("free instances changed", metadata: [
                    "group": "\(group.layout.name)", "free": "\(group.accounting.freeCount)",
                    "was": "\(before.accounting.freeCount)", "reserved": "\(group.accounting.reservedCount)",
                    "offerable_mb": "\(group.accounting.offerableBytes >> 20)",
                ])
            }
        }
        groups = next
        if let emitted = gate.offer(fingerprint(), at: clock.now()) {
            subscribers.broadcast(emitted)
        }
    }

    /// Walked at every sample, as statvfs is read: with an older figure, what a reservation
    /// wrote since would count against everyone for a while, and the scheduler would lose those
    /// units twice until the next walk (and, on Nomad's side, until the next permitted update).
    func writtenBytes(of reservation: Reservation) -> UInt64 {
        DirectoryUsage.bytes(under: reservation.directory)
    }

    private func fingerprint() -> [GroupFingerprint] {
        groups.map { group in
            GroupFingerprint(
                name: group.layout.name, instances: group.accounting.instances,
                attributes: GroupFingerprint.attributes(layout: group.layout, capacityMiB: group.capacityMiB,
                                                        filesystem: group.filesystem, healthy: group.accounting.healthyCount))
        }
    }
}
