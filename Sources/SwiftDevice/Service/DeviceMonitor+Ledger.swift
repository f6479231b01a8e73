import DiskMeasurement
import Logging

/// The reservation ledger as the monitor keeps it: read once per group and filesystem, saved on
/// every change, and pruned of reservations that have ended.
extension DeviceMonitor {
    /// Reservations belong to the filesystem that holds their directories and their ledger.
    /// When the path shows another one (its disk unmounted, so the parent's; or mounted after
    /// the plugin started), the group's reservations are forgotten without saving and read again
    /// from the ledger there. Otherwise the directories "vanish" on the parent, every reservation
    /// is released and an empty ledger written there, and after the disk returns its ledger is
    /// never read again: the live tasks' unwritten space would be offered to others.
    func followFilesystem(of group: String, to device: UInt64, path: String) {
        defer { ledgerFilesystems[group] = device }
        guard let before = ledgerFilesystems[group], before != device else { return }
        let forgotten = ledger.release { $0.group == group }
        loadedLedgers.remove(group)
        logger.warning("watched path is on another filesystem now; its reservations are read from the ledger there", metadata: [
            "group": "\(group)", "path": "\(path)", "reservations_forgotten": "\(forgotten.count)",
        ])
    }

    func loadLedgerIfNeeded(_ layout: DiskGroupLayout) {
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
    func releaseVanished(in layout: DiskGroupLayout) {
        var changed = false
        for reservation in ledger.reservations(in: layout.name) where reservation.allocDirectory == nil {
            if let owner = reservation.grant.recordedOwner() {
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
