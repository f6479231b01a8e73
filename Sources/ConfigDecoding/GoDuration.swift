/// Go's duration syntax (`time.ParseDuration` / `Duration.String`), which Nomad operators write
/// in every timing option: `"1s"`, `"1m30s"`, `"1.5h"`, `"-300ms"`.
public enum GoDuration {
    /// Why a duration string did not parse; `description` is the sentence.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    private static let units: [String: UInt64] = [
        "ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000,
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    /// One past Int64.max: the magnitude of the most negative duration.
    private static let limit: UInt64 = 1 << 63

    /// Parses a signed sequence of decimal numbers, each with an optional fraction and a
    /// required unit (ns, us or µs, ms, s, m, h). `"0"` alone needs no unit. The range is that
    /// of Go's int64 nanoseconds.
    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let bytes = Array(text.utf8)
        var i = 0
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            i = 1
        }
        if bytes.count - i == 1, bytes[i] == UInt8(ascii: "0") { return .zero }
        guard i < bytes.count else { throw ParseError(description: "invalid duration \(quoted(text))") }

        var total: UInt64 = 0
        while i < bytes.count {
            guard isDigit(bytes[i]) || bytes[i] == UInt8(ascii: ".") else {
                throw ParseError(description: "invalid duration \(quoted(text))")
            }
            // Whole part; overflow is an error, as in Go.
            var whole: UInt64 = 0
            let wholeStart = i
            while i < bytes.count, isDigit(bytes[i]) {
                let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.addingReportingOverflow(UInt64(bytes[i] - 0x30))
                guard !o1, !o2, next <= limit else {
                    throw ParseError(description: "invalid duration \(quoted(text)): number too large")
                }
                whole = next
                i += 1
            }
            let hasWhole = i > wholeStart
            // Fraction; digits past int64 precision are dropped, as in Go.
            var fraction: UInt64 = 0
            var scale = 1.0
            var hasFraction = false
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                let fractionStart = i
                var saturated = false
                while i < bytes.count, isDigit(bytes[i]) {
                    if !saturated {
                        let next = fraction.multipliedReportingOverflow(by: 10)
                        if next.overflow || next.partialValue + UInt64(bytes[i] - 0x30) > limit - 1 {
                            saturated = true
                        } else {
                            fraction = next.partialValue + UInt64(bytes[i] - 0x30)
                            scale *= 10
                        }
                    }
                    i += 1
                }
                hasFraction = i > fractionStart
            }
            guard hasWhole || hasFraction else { throw ParseError(description: "invalid duration \(quoted(text))") }

            let unitStart = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "."), !isDigit(bytes[i]) { i += 1 }
            guard i > unitStart else {
                throw ParseError(description: "missing unit in duration \(quoted(text)); use ns, us, ms, s, m or h")
            }
            let unitName = String(decoding: bytes[unitStart..<i], as: UTF8.self)
            guard let unit = units[unitName] else {
                throw ParseError(description: "unknown unit \(quoted(unitName)) in duration \(quoted(text)); use ns, us, ms, s, m or h")
            }
            let (scaled, overflow) = whole.multipliedReportingOverflow(by: unit)
            guard !overflow, scaled <= limit else {
                throw ParseError(description: "invalid duration \(quoted(text)): out of range")
            }
            var part = scaled
            if fraction > 0 {
                part += UInt64(Double(fraction) * (Double(unit) / scale))
                guard part <= limit else { throw ParseError(description: "invalid duration \(quoted(text)): out of range") }
            }
            total += part
            guard total <= limit else { throw ParseError(description: "invalid duration \(quoted(text)): out of range") }
        }
        if negative {
            return .nanoseconds(total == limit ? Int64.min : -Int64(total))
        }
        guard total < limit else { throw ParseError(description: "invalid duration \(quoted(text)): out of range") }
        return .nanoseconds(Int64(total))
    }

    /// Go's `Duration.String()`: `"0s"`, `"1.5s"`, `"1m30s"`, `"1h0m0s"`, `"250ms"`, `"2µs"`.
    /// Durations beyond Go's int64 nanoseconds are clamped to its range.
    public static func format(_ duration: Duration) -> String {
        let nanos = nanoseconds(duration)
        if nanos == 0 { return "0s" }
        let sign = nanos < 0 ? "-" : ""
        var u = nanos.magnitude
        if u < 1_000_000_000 {
            if u < 1_000 { return "\(sign)\(u)ns" }
            if u < 1_000_000 { return sign + fixed(u, decimals: 3) + "\u{00B5}s" }
            return sign + fixed(u, decimals: 6) + "ms"
        }
        var text = fixed(u % 60_000_000_000, decimals: 9) + "s"
        u /= 60_000_000_000
        if u > 0 {
            text = "\(u % 60)m" + text
            u /= 60
            if u > 0 { text = "\(u)h" + text }
        }
        return sign + text
    }

    /// The duration in nanoseconds, clamped to Int64 (Go's representable range).
    public static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (fromSeconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = fromSeconds.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }

    /// `value / 10^decimals` with the fraction's trailing zeros trimmed.
    private static func fixed(_ value: UInt64, decimals: Int) -> String {
        var divisor: UInt64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let whole = value / divisor
        var fraction = value % divisor
        guard fraction > 0 else { return "\(whole)" }
        var digits = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }
}
