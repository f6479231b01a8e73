/// How long a condition has held without a break, on the monitor's monotonic clock: the soft
/// grace, the prediction window and the transition periods of every level are all this clock.
struct HoldClock: Sendable {
    /// When the condition began to hold; nil while it does not.
    private var since: Duration?

    /// Starts the clock when `holding` begins. When it does not hold, the clock stops only if
    /// `stopsWhenNot` (a sample that could not measure every path neither starts nor stops it).
    mutating func observe(_ holding: Bool, at now: Duration, stopsWhenNot: Bool = true) {
        if holding {
            if since == nil { since = now }
        } else if stopsWhenNot {
            since = nil
        }
    }

    /// True when the condition has held for `period` by `now`.
    func hasHeld(_ period: Duration, at now: Duration) -> Bool {
        since.map { now - $0 >= period } ?? false
    }

    mutating func stop() {
        since = nil
    }
}
