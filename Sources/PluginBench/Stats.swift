/// Percentiles over measured durations.
struct Samples {
    private(set) var values: [Double] = []

    mutating func add(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        values.append(Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }

    /// Milliseconds at the given percentile (nearest rank).
    func percentile(_ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[max(0, min(sorted.count - 1, rank))]
    }

    func describe(_ unit: String = "ms") -> String {
        String(format: "median %.3f %@, p99 %.3f %@ (n=%d)", percentile(50), unit, percentile(99), unit, values.count)
    }
}
