import FoundationEssentials
import Glibc
import SystemSupport

/// Gives a task the scratch directory of its disk reservation. The device plugin makes it
/// world-writable and sticky, not knowing who will use it; the driver, which does, makes it the
/// task user's alone, and tells the device plugin which allocation owns it.
enum DiskReservationHandover {
    /// Hands the directory over and records `allocDirectory` as its owner.
    static func prepare(_ grant: DiskReservationGrant, for account: UserAccount?, allocDirectory: String) throws(TaskError) {
        var info = stat()
        guard lstat(grant.directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw TaskError(.invalidConfig, "The disk reservation \(grant.id) has no directory at \(grant.directory); the device plugin has released it.")
        }
        try clearIfAnotherAllocationsData(grant, allocDirectory: allocDirectory)
        if let account, lchown(grant.directory, account.uid, account.gid) != 0 {
            throw TaskError(.failed, "The disk reservation's directory \(grant.directory) could not be given to user \(account.name): \(errnoDescription(errno)).")
        }
        if chmod(grant.directory, 0o700) != 0 {
            throw TaskError(.failed, "The disk reservation's directory \(grant.directory) could not be made private: \(errnoDescription(errno)).")
        }
        let err = grant.recordOwner(allocDirectory)
        if err != 0 {
            throw TaskError(.failed, "The disk reservation's owner file \(grant.ownerFile) could not be written: \(errnoDescription(err)).")
        }
    }

    /// Nomad can give a new allocation exactly the instances an ended one held, and the device
    /// plugin then answers with the same reservation (it cannot tell that from a restored task).
    /// The owner file tells: another allocation's leftovers are emptied out, so they neither
    /// reach the new task nor count against its budget. A restarted task keeps its own data.
    private static func clearIfAnotherAllocationsData(_ grant: DiskReservationGrant, allocDirectory: String) throws(TaskError) {
        guard let owner = grant.recordedOwner(), owner != allocDirectory else { return }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: grant.directory) else { return }
        for entry in entries {
            do {
                try FileManager.default.removeItem(atPath: grant.directory + "/" + entry)
            } catch {
                throw TaskError(.failed, "The disk reservation's directory \(grant.directory) still holds another allocation's data that could not be removed: \(error).")
            }
        }
    }
}
