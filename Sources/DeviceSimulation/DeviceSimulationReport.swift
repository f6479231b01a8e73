/// What one run found. The first block must all be zero for the plugin to be right; the second
/// is pressure the plugin cannot prevent (others filling the disk), shown, not failed on.
public struct DeviceSimulationReport: Sendable, Equatable {
    public var seed: UInt64 = 0
    public var nodes = 0
    public var ticks = 0
    public var instancesOffered = 0
    public var jobsSubmitted = 0
    public var placements = 0
    /// Jobs still waiting for a node with enough free instances when the run ends.
    public var pendingAtEnd = 0
    /// Placements made after the job had waited at least one tick.
    public var placedAfterWaiting = 0
    public var reservations = 0
    public var repeatedReserves = 0
    public var evictions = 0
    public var pluginCrashes = 0
    /// The largest share of the cluster's offerable capacity (every node's instances × unit)
    /// promised to live allocations at once, and the fullest any one disk got.
    public var maxPromisedPercent = 0.0
    public var maxDiskUsedPercent = 0.0

    // Must be zero.
    /// A placement after which a node's live allocations were promised more than its disk
    /// could hold beyond headroom, by more than outside writers explain.
    public var overcommitsByPlacement = 0
    /// An instance ID held by two live allocations (by the scheduler, or a live allocation's
    /// reservation replaced by the plugin).
    public var doubleHolds = 0
    /// A live allocation's reservation missing from the plugin's ledger (e.g. after a restart).
    public var lostReservations = 0
    /// A task restart's Reserve that did not return the allocation's own reservation.
    public var repeatMismatches = 0
    /// A shortfall at a sample with no outside writing to explain it.
    public var unexplainedShortfalls = 0

    // Pressure from outside writers.
    /// Node-ticks at which the live allocations' unwritten budgets exceeded what was free.
    public var outsideShortfallNodeTicks = 0
    public var maxOutsideShortfallMiB: UInt64 = 0
    /// Placements that only overcommitted because outside writers filled the disk after the
    /// plugin's sample, or pushed instances that placed-but-not-yet-reserved allocations held
    /// out of the healthy list (the plugin cannot know of an allocation before its Reserve).
    public var placementsSqueezedByOutsideWriters = 0

    /// The must-be-zero figures that are not, as sentences.
    public var failures: [String] {
        var out: [String] = []
        if overcommitsByPlacement > 0 { out.append("\(overcommitsByPlacement) placements overcommitted a disk") }
        if doubleHolds > 0 { out.append("\(doubleHolds) instance IDs held twice") }
        if lostReservations > 0 { out.append("\(lostReservations) live reservations lost") }
        if repeatMismatches > 0 { out.append("\(repeatMismatches) repeated Reserves answered with another reservation") }
        if unexplainedShortfalls > 0 { out.append("\(unexplainedShortfalls) shortfalls no outside writer explains") }
        return out
    }

    /// One row of the table `rows(_:)` prints.
    var row: [String] {
        [
            "\(seed)", "\(nodes)", "\(ticks)", "\(instancesOffered)", "\(jobsSubmitted)", "\(placements)",
            "\(pendingAtEnd)", "\(evictions)", "\(pluginCrashes)", "\(repeatedReserves)",
            String(format1(maxPromisedPercent)) + " %", String(format1(maxDiskUsedPercent)) + " %",
            "\(overcommitsByPlacement)", "\(doubleHolds + lostReservations + repeatMismatches + unexplainedShortfalls)",
            "\(outsideShortfallNodeTicks) (max \(maxOutsideShortfallMiB) MiB)", "\(placementsSqueezedByOutsideWriters)",
        ]
    }

    static let header = [
        "seed", "nodes", "ticks", "instances", "jobs", "placements", "refused (pending)", "evicted (overran)",
        "plugin restarts", "repeat Reserves", "max utilisation (promised)", "fullest disk",
        "overcommits by placement", "other invariant breaks", "outside-writer shortfalls (node-ticks)",
        "placements squeezed by outside writers",
    ]

    /// A Markdown table of several runs.
    public static func table(_ reports: [DeviceSimulationReport]) -> [String] {
        let rows = [header] + reports.map(\.row)
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }.joined(separator: " | ") + " |"
        }
        return [line(header), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"]
            + reports.map { line($0.row) }
    }
}

private func format1(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
