/// whoami's `?wait=` on `/`: hold the answer, to see in-flight requests survive a drain.
enum RequestWait {
    static let limit = Duration.seconds(30)

    /// Accepts `250ms`, `2s`, or `1.5s`; nil for anything else or above the limit.
    static func parse(_ text: Substring) -> Duration? {
        let milliseconds: Double
        if text.hasSuffix("ms"), let value = Double(text.dropLast(2)) {
            milliseconds = value
        } else if text.hasSuffix("s"), let value = Double(text.dropLast()) {
            milliseconds = value * 1000
        } else {
            return nil
        }
        // Compare before converting: Duration traps on values past its range (found by FuzzGoAPI).
        guard milliseconds.isFinite, milliseconds >= 0, milliseconds <= 30_000 else { return nil }
        let duration = Duration.milliseconds(milliseconds)
        return duration <= limit ? duration : nil
    }
}
