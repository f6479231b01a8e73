/// One allocation as Nomad and the client hold it: the instance IDs the scheduler gave it on
/// one node, and, once the task has started, the reservation the plugin answered with.
struct SimulatedAllocation: Sendable {
    let id: Int
    let node: Int
    let deviceIDs: [String]
    /// What the task may write: count × the node's unit.
    let budgetBytes: UInt64
    let placedAt: Int
    /// Tick of the client's Reserve call; the allocation is "pending" until it succeeds.
    var reserveAt: Int
    let endsAt: Int
    /// What the task will write in all; above the budget means it overruns and is evicted.
    let targetBytes: UInt64
    /// Bytes it writes every `writeEvery` ticks: tasks write in bursts (output files, checkpoints).
    let rateBytes: UInt64
    let writeEvery: Int
    /// The outside writers' bytes on the node when it was placed (attribution of shortfalls).
    let outsideAtPlacement: UInt64
    var reservation: String?
    var directory: String?

    var isPending: Bool { reservation == nil }
}

/// One job in the scheduler's queue: the instances it asks for and its life once placed.
struct SimulatedJob: Sendable {
    let id: Int
    let count: Int
    let submittedAt: Int
    let lifetime: Int
    /// Fraction of the budget the task writes (above 1: it overruns).
    let writeFraction: Double
}
