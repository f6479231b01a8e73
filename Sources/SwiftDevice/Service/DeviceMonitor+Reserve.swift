import DiskMeasurement
import Logging

extension DeviceMonitor {
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
}
