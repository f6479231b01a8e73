import DiskMeasurement
import FoundationEssentials
import Glibc
import SystemSupport

/// Where reservations live on disk: under each watched path, `.nomad-device-swift/` holds one
/// scratch directory per reservation and `ledger.json`, the group's reservations. The ledger
/// is what lets a restarted plugin (or a restarted client) keep its accounting.
public struct ReservationFiles: Sendable {
    public init() {}

    public func stateDirectory(of layout: DiskGroupLayout) -> String {
        Self.stateDirectory(path: layout.path)
    }

    public static func stateDirectory(path: String) -> String {
        (path.hasSuffix("/") ? String(path.dropLast()) : path) + "/" + DiskReservationGrant.stateDirectoryName
    }

    private func ledgerPath(of layout: DiskGroupLayout) -> String {
        stateDirectory(of: layout) + "/ledger.json"
    }

    /// The group's reservations as last saved; none when there is no ledger, and none (with the
    /// reason) when it cannot be read, so a damaged file never stops the plugin.
    public func load(_ layout: DiskGroupLayout) -> (reservations: [Reservation], problem: String?) {
        let path = ledgerPath(of: layout)
        let bytes: [UInt8]
        do {
            bytes = try FileInput.read(atPath: path, limit: 4 << 20).bytes
        } catch {
            return ([], error.code == ENOENT ? nil : "cannot read \(path): \(error)")
        }
        do {
            let stored = try JSONDecoder().decode([Reservation].self, from: Data(bytes))
            return (stored.filter { $0.group == layout.name }, nil)
        } catch {
            return ([], "cannot decode \(path); starting with no reservations: \(error)")
        }
    }

    /// Saves the group's reservations; returns the problem, if any.
    public func save(_ reservations: [Reservation], of layout: DiskGroupLayout) -> String? {
        if let problem = makeStateDirectory(layout) { return problem }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(reservations)).map { Array($0) } ?? []
        let err = FileOutput.replaceAtomically(ledgerPath(of: layout), bytes)
        return err == 0 ? nil : "cannot write \(ledgerPath(of: layout)): \(errnoDescription(err))"
    }

    /// Makes the reservation's scratch directory. It is world-writable with the sticky bit, as
    /// /tmp is, because the task's user is not known at Reserve; the swift driver hands it to
    /// the task's user when the task starts.
    public func makeDirectory(for reservation: Reservation, in layout: DiskGroupLayout) -> String? {
        if let problem = makeStateDirectory(layout) { return problem }
        if mkdir(reservation.directory, 0o700) != 0, errno != EEXIST {
            return "cannot create \(reservation.directory): \(errnoDescription(errno))"
        }
        if chmod(reservation.directory, 0o1777) != 0 {
            return "cannot set the mode of \(reservation.directory): \(errnoDescription(errno))"
        }
        return nil
    }

    /// True when the reservation's directory is still there.
    public func exists(_ reservation: Reservation) -> Bool {
        var info = stat()
        return lstat(reservation.directory, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// True while `path` exists (an owner's allocation directory).
    public func pathExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Removes an ended reservation's directory, what its task left in it, and its owner file.
    public func remove(_ reservation: Reservation) -> String? {
        unlink(reservation.grant.ownerFile)
        guard exists(reservation) else { return nil }
        do {
            try FileManager.default.removeItem(atPath: reservation.directory)
            return nil
        } catch {
            return "cannot remove \(reservation.directory): \(error)"
        }
    }

    private func makeStateDirectory(_ layout: DiskGroupLayout) -> String? {
        let directory = stateDirectory(of: layout)
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            return "cannot create \(directory): \(errnoDescription(errno))"
        }
        return nil
    }
}
