import FoundationEssentials
import SwiftDevice

/// nomad-device-swift on one simulated node, built from the plugin's own pieces: the real
/// `DiskGroupLayout`, `ReservationLedger`, `InstanceAccounting` and `DeviceFingerprintGate`,
/// put together the way `DeviceMonitor` puts them together (`sample()` and `reserve(_:)`), with
/// the disk and the ledger file simulated. Its `visible` device list is what Nomad's scheduler
/// sees of the node.
struct SimulatedPlugin: Sendable {
    let layout: DiskGroupLayout
    private let minInterval: Duration
    private let fault: SimulationFault
    /// For `.decreasesHeldBack`: when the list last went out.
    private var lastVisibleAt: Duration?
    private var ledger = ReservationLedger()
    private var gate: DeviceFingerprintGate
    /// ledger.json as last saved: what a restarted plugin reads back.
    private var savedLedger: [UInt8] = []
    /// The device list Nomad holds; nil before the first fingerprint and while the plugin is
    /// down (Nomad drops a plugin's devices when its Fingerprint stream ends).
    private(set) var visible: [InstanceState]?
    /// The accounting of the latest sample.
    private(set) var accounting: InstanceAccounting?
    private(set) var isUp = true
    private var lastInput: SampleInput?

    private struct SampleInput: Equatable {
        var availableBytes: UInt64
        var usages: [ReservationUsage]
    }

    init(layout: DiskGroupLayout, minInterval: Duration, fault: SimulationFault = .none) {
        self.layout = layout
        self.minInterval = minInterval
        self.fault = fault
        gate = DeviceFingerprintGate(minInterval: minInterval)
    }

    var stateDirectory: String { layout.path + "/.nomad-device-swift" }
    var reservations: [Reservation] { ledger.reservations(in: layout.name) }

    /// One sample, as `DeviceMonitor.sample()`: forget reservations whose directory is gone,
    /// measure, do the instance math, and let the gate decide what Nomad sees.
    mutating func sample(disk: SimulatedDisk, at now: Duration) {
        guard isUp else { return }
        let released = ledger.release { $0.group == layout.name && !disk.exists($0) }
        if !released.isEmpty { save() }
        var usages = reservations.map { ReservationUsage(reservation: $0, writtenBytes: disk.bytes(in: $0.directory)) }
        if fault == .promisesIgnored {
            usages = usages.map { ReservationUsage(reservation: $0.reservation, writtenBytes: $0.reservation.reservedBytes) }
        }
        // What a sample reads. When it is what the last one read and the gate has let that
        // list out, this sample would compute the same instances and the gate would drop them
        // (it sends nothing equal to its last list): skipping it changes nothing, and keeps a
        // debug-build run of thousands of node-ticks fast.
        let input = SampleInput(availableBytes: disk.availableBytes, usages: usages)
        if input == lastInput, let accounting, fault == .none,
           gate.lastEmitted?.first?.instances == accounting.instances {
            return
        }
        lastInput = input
        let current = InstanceAccounting(layout: layout, availableBytes: disk.availableBytes, reservations: usages)
        accounting = current
        let groups = [GroupFingerprint(name: layout.name, instances: current.instances, attributes: [:])]
        if fault == .decreasesHeldBack {
            if lastVisibleAt.map({ now - $0 >= minInterval }) ?? true {
                visible = current.instances
                lastVisibleAt = now
            }
        } else if let emitted = gate.offer(groups, at: now) {
            visible = emitted.first?.instances
        }
    }

    /// Reserve, as `DeviceMonitor.reserve(_:)`: the ledger decides (new, repeat or replacing),
    /// replaced reservations' directories are removed, the new one is made, the ledger saved,
    /// and the plugin samples again.
    mutating func reserve(_ ids: [String], disk: inout SimulatedDisk, at now: Duration) throws(ReserveError) -> ReservationLedger.Outcome {
        let directory = stateDirectory
        let outcome = try ledger.reserve(ids, layouts: [layout], stateDirectory: { _ in directory })
        for old in outcome.replaced { disk.removeDirectory(old.directory) }
        disk.makeDirectory(outcome.reservation.directory)
        save()
        sample(disk: disk, at: now)
        return outcome
    }

    /// The process dies: its streams end, so Nomad drops the node's devices.
    mutating func crash() {
        isUp = false
        lastInput = nil
        visible = nil
        accounting = nil
    }

    /// Nomad launches it again: a fresh gate, and the ledger read back from the file.
    mutating func start() {
        isUp = true
        gate = DeviceFingerprintGate(minInterval: minInterval)
        lastVisibleAt = nil
        let stored = (try? JSONDecoder().decode([Reservation].self, from: Data(savedLedger))) ?? []
        ledger = ReservationLedger(reservations: stored.filter { $0.group == layout.name })
    }

    private mutating func save() {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        savedLedger = (try? encoder.encode(reservations)).map { Array($0) } ?? []
    }
}

extension SimulatedDisk {
    func exists(_ reservation: Reservation) -> Bool { exists(reservation.directory) }
}
