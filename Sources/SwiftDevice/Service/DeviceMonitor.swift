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

    private var config: DeviceConfig
    private let probe: any DiskProbe
    private let files: ReservationFiles
    private let clock: any MonitorClock
    private let logger: Logger
    private var groups: [Group] = []
    private var ledger = ReservationLedger()
    /// Groups whose ledger file has been read into `ledger`.
    private var loadedLedgers: Set<String> = []
    /// The filesystem (st_dev) each loaded ledger was read from.
    private var ledgerFilesystems: [String: UInt64] = [:]
    private var gate: DeviceFingerprintGate
    private let subscribers = EventBroadcaster<[GroupFingerprint]>(bufferingNewest: 16)
    private var loop: Task<Void, Never>?
    private var sampled = false
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

    // MARK: Reserve

    /// Records a reservation of `ids`, gives it its scratch directory, and re-measures.
    /// Refuses instances that free space no longer backs: Nomad hears of a fill only after its
    /// client's node-update batching (5 s in Nomad 1.1), and may place work on instances that
    /// were healthy when it last looked; the task then fails to start and is rescheduled.
    public func reserve(_ ids: [String]) throws(DeviceError) -> (reservation: Reservation, layout: DiskGroupLayout) {
        sample()
        let layouts = groups.map(\.layout)
        let before = ledger
        let outcome: ReservationLedger.Outcome
        do {
            outcome = try ledger.reserve(ids, layouts: layouts, stateDirectory: files.stateDirectory(of:))
        } catch {
            throw .reserve(error)
        }
        guard let group = groups.first(where: { $0.layout.name == outcome.reservation.group }) else {
            ledger = before
            throw .reserve(.unknownDevice(ids[0]))
        }
        let layout = group.layout
        if outcome.isNew {
            // What the replaced reservations promised becomes free again.
            let released = group.accounting.reservations
                .filter { usage in outcome.replaced.contains(usage.reservation) }
                .reduce(UInt64(0)) { $0 + $1.unwrittenBytes }
            let free = group.accounting.offerableBytes + released
            if outcome.reservation.reservedBytes > free {
                ledger = before
                throw .reserve(.insufficientSpace(neededMiB: outcome.reservation.reservedBytes >> 20, freeMiB: free >> 20, path: layout.path))
            }
        }
        for old in outcome.replaced {
            logger.info("reservation replaced: Nomad reserved its instances again, so its allocation is gone", metadata: [
                "reservation": "\(old.id)", "directory": "\(old.directory)",
            ])
            if let problem = files.remove(old) { logger.warning("\(problem)") }
        }
        if let problem = files.makeDirectory(for: outcome.reservation, in: layout) {
            ledger.release { $0 == outcome.reservation }
            throw .storage(problem)
        }
        if let problem = files.save(ledger.reservations(in: layout.name), of: layout) {
            // Unrecorded, a reservation would be forgotten at the next restart while its task
            // writes: refuse it now, leaving nothing behind (a replaced one's directory is gone,
            // so a restarted plugin releases it from the stale ledger too).
            if outcome.isNew {
                ledger.release { $0 == outcome.reservation }
                _ = files.remove(outcome.reservation)
            }
            throw .storage(problem)
        }
        logger.info(outcome.isNew ? "reserved" : "reservation repeated", metadata: [
            "reservation": "\(outcome.reservation.id)", "instances": "\(outcome.reservation.deviceIDs.count)",
            "budget_mb": "\(outcome.reservation.reservedBytes >> 20)",
        ])
        sample()
        return (outcome.reservation, layout)
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
    private func writtenBytes(of reservation: Reservation) -> UInt64 {
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

    /// Reservations belong to the filesystem that holds their directories and their ledger.
    /// When the path shows another one (its disk unmounted, so the parent's; or mounted after
    /// the plugin started), the group's reservations are forgotten without saving and read again
    /// from the ledger there. Otherwise the directories "vanish" on the parent, every reservation
    /// is released and an empty ledger written there, and after the disk returns its ledger is
    /// never read again: the live tasks' unwritten space would be offered to others.
    private func followFilesystem(of group: String, to device: UInt64, path: String) {
        defer { ledgerFilesystems[group] = device }
        guard let before = ledgerFilesystems[group], before != device else { return }
        let forgotten = ledger.release { $0.group == group }
        loadedLedgers.remove(group)
        logger.warning("watched path is on another filesystem now; its reservations are read from the ledger there", metadata: [
            "group": "\(group)", "path": "\(path)", "reservations_forgotten": "\(forgotten.count)",
        ])
    }

    private func loadLedgerIfNeeded(_ layout: DiskGroupLayout) {
        guard loadedLedgers.insert(layout.name).inserted else { return }
        let (stored, problem) = files.load(layout)
        if let problem { logger.warning("\(problem)") }
        var merged = ledger.reservations.filter { $0.group != layout.name }
        merged.append(contentsOf: stored)
        ledger = ReservationLedger(reservations: merged)
        if !stored.isEmpty {
            logger.info("reservations recovered", metadata: ["group": "\(layout.name)", "count": "\(stored.count)"])
        }
    }

    /// Ends the group's reservations whose directory is gone (its task, a cleanup job or an
    /// operator removed it) or whose owning allocation directory is gone (Nomad garbage-collected
    /// the allocation; what the task left is removed with it), and learns new owners.
    private func releaseVanished(in layout: DiskGroupLayout) {
        var changed = false
        for reservation in ledger.reservations(in: layout.name) where reservation.allocDirectory == nil {
            if let owner = files.owner(of: reservation) {
                ledger.setOwner(of: reservation.id, allocDirectory: owner)
                changed = true
            }
        }
        let released = ledger.release { reservation in
            guard reservation.group == layout.name else { return false }
            if !files.exists(reservation) { return true }
            return reservation.allocDirectory.map { !files.pathExists($0) } ?? false
        }
        for reservation in released {
            let why = files.exists(reservation) ? "its allocation directory is gone" : "its directory is gone"
            logger.info("reservation released: \(why)", metadata: [
                "reservation": "\(reservation.id)", "alloc_dir": "\(reservation.allocDirectory ?? "")",
            ])
            if let problem = files.remove(reservation) { logger.warning("\(problem)") }
        }
        guard changed || !released.isEmpty else { return }
        if let problem = files.save(ledger.reservations(in: layout.name), of: layout) { logger.warning("\(problem)") }
    }
}

/// Why a device RPC failed; mapped to a gRPC status in `DeviceService`.
public enum DeviceError: Error, Sendable, Equatable {
    case reserve(ReserveError)
    case storage(String)
}
