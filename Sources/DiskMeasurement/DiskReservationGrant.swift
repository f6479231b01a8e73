import SystemSupport

/// A disk reservation as the device plugin hands it to a task, through Nomad's `device_env`:
/// the contract between `nomad-device-swift` (which writes it) and the swift driver (which
/// applies the budget). One home for the variable names, so the two cannot drift apart.
public struct DiskReservationGrant: Sendable, Codable, Equatable {
    /// The scratch directory the reservation's space is for.
    public static let pathVariable = "SWIFT_DISK_PATH"
    /// The reservation's size in MiB: the task's disk budget.
    public static let budgetVariable = "SWIFT_DISK_BUDGET_MB"
    /// The reservation's ID (its directory's name).
    public static let idVariable = "SWIFT_DISK_RESERVATION"
    /// The directory at the top of each watched path that holds reservations' scratch
    /// directories and the ledger.
    public static let stateDirectoryName = ".nomad-device-swift"

    public var directory: String
    public var budgetMB: UInt64
    public var id: String

    public init(directory: String, budgetMB: UInt64, id: String) {
        self.directory = directory
        self.budgetMB = budgetMB
        self.id = id
    }

    /// Where the driver records the allocation directory of the task using the reservation
    /// (beside the scratch directory, so the task cannot overwrite it). The device plugin ends the
    /// reservation when that directory is gone: when Nomad garbage-collects the allocation, as it
    /// frees an allocation's ephemeral disk. Nomad tells neither plugin when an allocation ends.
    public var ownerFile: String { directory + ".alloc" }

    /// The allocation directory recorded in `ownerFile`, if one is (an absolute path).
    public func recordedOwner() -> String? {
        guard let bytes = try? FileInput.read(atPath: ownerFile, limit: 4096).bytes else { return nil }
        let path = String(decoding: bytes, as: UTF8.self)
        return path.hasPrefix("/") && !path.contains("\0") ? path : nil
    }

    /// Records `allocDirectory` as the owner; 0 or the errno of the write that failed.
    public func recordOwner(_ allocDirectory: String) -> Int32 {
        FileOutput.replaceAtomically(ownerFile, Array(allocDirectory.utf8))
    }

    /// The variables the task gets.
    public var environment: [String: String] {
        [Self.pathVariable: directory, Self.budgetVariable: String(budgetMB), Self.idVariable: id]
    }

    /// Reads a grant from a task's device environment: nil when it carries none; a sentence when
    /// it carries a malformed one (the driver changes ownership of the directory, so the path
    /// must be one the device plugin makes: `<path>/.nomad-device-swift/<id>`).
    public static func parse(_ environment: [String: String]) -> Result<DiskReservationGrant?, GrantError> {
        let path = environment[pathVariable], budget = environment[budgetVariable], id = environment[idVariable]
        if path == nil, budget == nil, id == nil { return .success(nil) }
        guard let path, let budget, let id else {
            return .failure(GrantError("the device environment sets only some of \(pathVariable), \(budgetVariable) and \(idVariable)"))
        }
        guard let budgetMB = UInt64(budget), budgetMB > 0 else {
            return .failure(GrantError("\(budgetVariable) must be a whole number of MiB above zero, got \"\(budget)\""))
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard path.hasPrefix("/"), !id.isEmpty, !id.contains("/"), id != ".", id != "..",
              components.count >= 3, components.last.map(String.init) == id,
              components[components.count - 2] == Substring(stateDirectoryName),
              !components.dropLast().contains(where: { $0 == ".." || $0 == "." }) else {
            return .failure(GrantError("\(pathVariable) must be <watched path>/\(stateDirectoryName)/<\(idVariable)>, got \"\(path)\" for reservation \"\(id)\""))
        }
        return .success(DiskReservationGrant(directory: path, budgetMB: budgetMB, id: id))
    }
}

/// Why a device environment's reservation cannot be used; one sentence.
public struct GrantError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
