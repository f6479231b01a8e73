import DiskMeasurement
import SwiftDevice

/// Nomad's device allocator over many nodes running nomad-device-swift, tick by tick, checking
/// at every step that no placement promises a disk more than it can hold.
///
/// Each tick (one sample interval): allocations end (the driver removes their directories),
/// plugins crash and come back, clients call Reserve for allocations whose tasks start (and again
/// when a task restarts), tasks write into their reservations (past the budget: evicted), outside
/// writers fill and free; every plugin samples and its gate decides what the scheduler sees;
/// outside writers may act again before the scheduler's pass; then the scheduler places queued
/// jobs on nodes whose visible device list has enough healthy instances no live allocation holds.
///
/// The invariant, per node: the live allocations' unwritten budgets (a pending allocation's
/// whole budget) fit in what is available beyond the headroom. A placement that breaks it by
/// more than outside writers since the plugin last saw the disk explain is an overcommit by
/// placement; a break found at a sample is pressure from outside writers.
public struct DeviceSimulation: Sendable {
    public let parameters: DeviceSimulationParameters
    private var rng: SeededRandom
    private var disks: [SimulatedDisk] = []
    private var plugins: [SimulatedPlugin] = []
    /// Ticks at which a crashed plugin is started again.
    private var restartAt: [Int: Int] = [:]
    private var allocations: [Int: SimulatedAllocation] = [:]
    private var queue: [SimulatedJob] = []
    private var nextID = 0
    private var outsideAtSample: [UInt64] = []
    private var outsideWhenLastFine: [UInt64] = []
    /// Nodes where a placement was squeezed by outside writers since the node was last fine:
    /// the shortfall that placement left is the outside writers' too.
    private var squeezedSinceFine: Set<Int> = []
    private var report = DeviceSimulationReport()
    /// Every node's instances × unit: what the cluster could ever promise.
    private var offerableBytes: UInt64 = 0
    private var tick = 0

    public init(_ parameters: DeviceSimulationParameters) {
        self.parameters = parameters
        rng = SeededRandom(seed: parameters.seed)
        for node in 0..<parameters.nodes {
            let capacity = UInt64.random(in: parameters.capacityGiB, using: &rng) << 30
            let layout = DiskGroupLayout(name: "disk", path: "/sim/node-\(node)", capacityBytes: capacity,
                                         unitMB: parameters.unitMB, maxInstances: parameters.maxInstances,
                                         headroomMB: parameters.headroomMB)
            disks.append(SimulatedDisk(capacityBytes: capacity))
            plugins.append(SimulatedPlugin(layout: layout, minInterval: .seconds(parameters.fingerprintMinIntervalTicks),
                                           fault: parameters.fault))
            report.instancesOffered += layout.instanceCount
            offerableBytes += UInt64(layout.instanceCount) * layout.unitBytes
        }
        outsideAtSample = Array(repeating: 0, count: parameters.nodes)
        outsideWhenLastFine = outsideAtSample
        report.seed = parameters.seed
        report.nodes = parameters.nodes
        report.ticks = parameters.ticks
    }

    /// Runs every tick and returns the figures.
    public static func run(_ parameters: DeviceSimulationParameters) -> DeviceSimulationReport {
        var simulation = DeviceSimulation(parameters)
        for _ in 0..<parameters.ticks { simulation.step() }
        return simulation.finish()
    }

    private var now: Duration { .seconds(tick) }

    mutating func step() {
        endAllocations()
        crashAndRestartPlugins()
        reserveStartingTasks()
        writeTasks()
        for node in disks.indices where rng.chance(parameters.outsideWriterProbability) { outsideWriter(on: node) }
        sampleAndCheck()
        for node in disks.indices where rng.chance(parameters.outsideBetweenSamplesProbability) { outsideWriter(on: node) }
        submitJobs()
        schedule()
        let promised = allocations.values.reduce(UInt64(0)) { $0 + $1.budgetBytes }
        report.maxPromisedPercent = max(report.maxPromisedPercent, Double(promised) * 100 / Double(max(offerableBytes, 1)))
        tick += 1
    }

    mutating func finish() -> DeviceSimulationReport {
        report.pendingAtEnd = queue.count
        return report
    }

    // MARK: The world

    /// Allocations whose time is up: Nomad frees their instances, the driver removes the
    /// reservation directory at DestroyTask. The plugin notices at its next sample.
    private mutating func endAllocations() {
        for (id, allocation) in allocations where allocation.endsAt <= tick {
            end(id, allocation)
        }
    }

    private mutating func end(_ id: Int, _ allocation: SimulatedAllocation) {
        if let directory = allocation.directory { disks[allocation.node].removeDirectory(directory) }
        allocations[id] = nil
    }

    private mutating func crashAndRestartPlugins() {
        for node in plugins.indices {
            if let at = restartAt[node], at <= tick {
                plugins[node].start()
                restartAt[node] = nil
            } else if plugins[node].isUp, rng.chance(parameters.pluginCrashProbability) {
                plugins[node].crash()
                restartAt[node] = tick + Int.random(in: 1...3, using: &rng)
                report.pluginCrashes += 1
            }
        }
    }

    /// The client starts tasks: Reserve with the allocation's instances (retried while the
    /// plugin is down). Running tasks sometimes restart, and the client reserves again.
    private mutating func reserveStartingTasks() {
        for id in allocations.keys.sorted() {
            guard var allocation = allocations[id], plugins[allocation.node].isUp else { continue }
            if allocation.isPending, allocation.reserveAt <= tick {
                guard let outcome = reserve(allocation) else { continue }
                allocation.reservation = outcome.reservation.id
                allocation.directory = outcome.reservation.directory
                allocations[id] = allocation
                report.reservations += 1
            } else if !allocation.isPending, rng.chance(parameters.taskRestartProbability) {
                guard let outcome = reserve(allocation) else { continue }
                report.repeatedReserves += 1
                if outcome.isNew || outcome.reservation.id != allocation.reservation || !outcome.replaced.isEmpty {
                    report.repeatMismatches += 1
                }
            }
        }
    }

    private mutating func reserve(_ allocation: SimulatedAllocation) -> ReservationLedger.Outcome? {
        let node = allocation.node
        let outcome: ReservationLedger.Outcome
        do {
            outcome = try plugins[node].reserve(allocation.deviceIDs, disk: &disks[node], at: now)
        } catch {
            report.doubleHolds += 1  // Nomad only sends IDs the plugin offered: a refusal is a bug
            return nil
        }
        // The plugin replaces a reservation only when Nomad gives its instances again, which it
        // does only once their allocation has ended.
        let live = Set(allocations.values.filter { $0.node == node && $0.id != allocation.id }.compactMap(\.reservation))
        report.doubleHolds += outcome.replaced.filter { live.contains($0.id) }.count
        return outcome
    }

    /// Each started task writes toward its target; past its budget the driver evicts it.
    private mutating func writeTasks() {
        for id in allocations.keys.sorted() {
            guard let allocation = allocations[id], let directory = allocation.directory,
                  (tick - allocation.placedAt) % allocation.writeEvery == 0 else { continue }
            let written = disks[allocation.node].bytes(in: directory)
            if written < allocation.targetBytes {
                disks[allocation.node].write(min(allocation.rateBytes, allocation.targetBytes - written), into: directory)
            }
            if disks[allocation.node].bytes(in: directory) > allocation.budgetBytes {
                report.evictions += 1
                end(id, allocation)
            }
        }
    }

    /// Something the plugin does not know of writes up to a tenth of the disk (never taking
    /// outside writers past half of it), or deletes part of what such writers wrote.
    private mutating func outsideWriter(on node: Int) {
        let capacity = disks[node].capacityBytes
        let outside = disks[node].outsideBytes
        if rng.chance(0.5), outside < capacity / 2 {
            disks[node].writeOutside(min(UInt64.random(in: 0...(capacity / 10), using: &rng), capacity / 2 - outside))
        } else {
            disks[node].freeOutside(UInt64(Double(disks[node].outsideBytes) * Double.random(in: 0.2...1, using: &rng)))
        }
    }

    // MARK: Plugins and the invariant

    /// Live allocations by node, for the per-node passes of one step.
    private func allocationsByNode() -> [[SimulatedAllocation]] {
        var byNode = Array(repeating: [SimulatedAllocation](), count: plugins.count)
        for allocation in allocations.values { byNode[allocation.node].append(allocation) }
        return byNode
    }

    private mutating func sampleAndCheck() {
        let byNode = allocationsByNode()
        for node in plugins.indices {
            plugins[node].sample(disk: disks[node], at: now)
            outsideAtSample[node] = disks[node].outsideBytes
            let shortfall = shortfall(on: node, byNode[node])
            if shortfall == 0 {
                outsideWhenLastFine[node] = disks[node].outsideBytes
                squeezedSinceFine.remove(node)
            } else if disks[node].outsideBytes > outsideWhenLastFine[node] || squeezedSinceFine.contains(node) {
                report.outsideShortfallNodeTicks += 1
                report.maxOutsideShortfallMiB = max(report.maxOutsideShortfallMiB, shortfall / DiskUnits.mebibyte)
            } else {
                report.unexplainedShortfalls += 1
            }
            let disk = disks[node]
            report.maxDiskUsedPercent = max(report.maxDiskUsedPercent, Double(disk.usedBytes) * 100 / Double(disk.capacityBytes))
            if plugins[node].isUp {
                let held = Set(plugins[node].reservations.map(\.id))
                report.lostReservations += byNode[node].filter { $0.reservation.map { !held.contains($0) } ?? false }.count
            }
        }
    }

    /// By how much the live allocations' unwritten budgets exceed what is available beyond
    /// the headroom (0 when every promise can be kept).
    private func shortfall(on node: Int, _ live: [SimulatedAllocation]) -> UInt64 {
        let disk = disks[node]
        let promised = live.reduce(UInt64(0)) { sum, allocation in
            let written = allocation.directory.map(disk.bytes(in:)) ?? 0
            return sum + (allocation.budgetBytes > written ? allocation.budgetBytes - written : 0)
        }
        let headroom = plugins[node].layout.headroomBytes
        let room = disk.availableBytes > headroom ? disk.availableBytes - headroom : 0
        return promised > room ? promised - room : 0
    }

    // MARK: The scheduler

    private mutating func submitJobs() {
        var arrivals = Int(parameters.jobsPerTick)
        if rng.chance(parameters.jobsPerTick - Double(arrivals)) { arrivals += 1 }
        for _ in 0..<arrivals {
            // Mostly small jobs, a few large ones.
            let u = Double.random(in: 0..<1, using: &rng)
            let count = 1 + Int(u * u * Double(parameters.maxInstancesPerJob))
            let overrun = rng.chance(parameters.overrunProbability)
            queue.append(SimulatedJob(
                id: nextID, count: count, submittedAt: tick,
                lifetime: Int.random(in: parameters.lifetimeTicks, using: &rng),
                writeFraction: overrun ? Double.random(in: 1.05...1.5, using: &rng) : Double.random(in: 0...1, using: &rng)))
            nextID += 1
            report.jobsSubmitted += 1
        }
    }

    /// One pass over the queue in submission order, as evaluations are processed; a job that
    /// fits nowhere stays queued (blocked) and later ones may still place.
    private mutating func schedule() {
        let byNode = allocationsByNode()
        var free: [[String]] = plugins.indices.map { node in
            let held = Set(byNode[node].flatMap(\.deviceIDs))
            return DeviceAllocator.freeInstances(visible: plugins[node].visible, held: held)
        }
        var waiting: [SimulatedJob] = []
        for job in queue {
            guard let (node, ids) = DeviceAllocator.place(count: job.count, free: free, using: &rng) else {
                waiting.append(job)
                continue
            }
            free[node].removeAll { ids.contains($0) }
            place(job, on: node, ids: ids)
        }
        queue = waiting
    }

    private mutating func place(_ job: SimulatedJob, on node: Int, ids: [String]) {
        let held = Set(allocations.values.filter { $0.node == node }.flatMap(\.deviceIDs))
        if !held.isDisjoint(with: ids) { report.doubleHolds += 1 }
        let budget = UInt64(job.count) * plugins[node].layout.unitBytes
        let target = UInt64(Double(budget) * job.writeFraction)
        let lifetime = max(job.lifetime, 1)
        let writeEvery = Int.random(in: 1...10, using: &rng)
        let bursts = UInt64(max(lifetime / 2 / writeEvery, 1))
        let allocation = SimulatedAllocation(
            id: job.id, node: node, deviceIDs: ids, budgetBytes: budget, placedAt: tick,
            reserveAt: tick + Int.random(in: parameters.reserveDelayTicks, using: &rng), endsAt: tick + lifetime,
            targetBytes: target, rateBytes: max(target / bursts, 1), writeEvery: writeEvery,
            outsideAtPlacement: disks[node].outsideBytes)
        allocations[job.id] = allocation
        report.placements += 1
        if job.submittedAt < tick { report.placedAfterWaiting += 1 }

        let shortfall = shortfall(on: node, allocations.values.filter { $0.node == node })
        guard shortfall > 0 else { return }
        // What outside writers did since the plugin last saw the disk, or since a pending
        // allocation (which the plugin cannot know of yet) was placed: each unit of it can turn
        // one instance the scheduler counts as free into one it should not.
        let baseline = allocations.values.filter { $0.node == node && $0.isPending && $0.id != job.id }
            .map(\.outsideAtPlacement).reduce(outsideAtSample[node], min)
        let growth = disks[node].outsideBytes > baseline ? disks[node].outsideBytes - baseline : 0
        let unit = plugins[node].layout.unitBytes
        if shortfall <= (growth + unit - 1) / unit * unit {
            report.placementsSqueezedByOutsideWriters += 1
            squeezedSinceFine.insert(node)
        } else {
            report.overcommitsByPlacement += 1
        }
    }
}
