/// The live terminal view of `nomad-driver-swift fingerprint --watch`: per filesystem its free
/// space, fill rate, time to full and a sparkline of free space over the last samples, then the
/// report as Nomad has it. Also the `--json` line carrying the same figures. Pure: it is given
/// statuses and returns text.
public struct FingerprintWatchView: Sendable {
    /// How many samples each sparkline shows.
    public var width: Int
    private var history: [String: [UInt64]] = [:]

    public init(width: Int = 40) {
        self.width = width
    }

    /// Remembers the free space of every filesystem in `status` for the sparklines.
    public mutating func record(_ status: DiskLiveStatus) {
        for fs in status.filesystems {
            var points = history[fs.path, default: []]
            points.append(fs.availableBytes)
            if points.count > width { points.removeFirst(points.count - width) }
            history[fs.path] = points
        }
    }

    /// The whole screen (without terminal control codes).
    public func renderScreen(_ status: DiskLiveStatus, interval: Duration, elapsed: Duration) -> String {
        let report = status.report
        var lines = [
            "nomad-driver-swift fingerprint --watch: every \(formatSeconds(interval)), \(formatSeconds(.seconds(elapsed.components.seconds))) so far (Ctrl-C ends)",
            "",
            "Health: \(report.health.rawValue)   pressure: \(status.level.rawValue)",
            "Description: \(report.healthDescription)",
            "",
        ]
        for fs in status.filesystems {
            let mib = DiskUnits.mebibyte
            let percent = fs.capacityBytes == 0 ? 0 : Double(fs.availableBytes) * 100 / Double(fs.capacityBytes)
            lines.append("\(fs.path)")
            lines.append("  free      \(fs.availableBytes / mib) MiB of \(fs.capacityBytes / mib) MiB (\(formatPercent(percent)))")
            lines.append("  trend     " + Self.trend(fs.estimate))
            let points = history[fs.path] ?? []
            if let low = points.min(), let high = points.max() {
                lines.append("  free      \(Self.sparkline(points))  \(low / mib)–\(high / mib) MiB, last \(points.count) samples")
            }
        }
        for failure in status.failures { lines.append("\(failure.path): \(failure.message)") }
        lines.append("")
        lines.append("Attributes Nomad has (unique.* at most once per attribute_min_interval):")
        // An empty value is how Nomad is told to delete an attribute: it has none then.
        for name in report.attributes.keys.sorted() where report.attributes[name] != .string("") {
            lines.append("  \(name) = \(report.attributes[name].map(String.init(describing:)) ?? "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `filling at 30 MiB/min, full in about 7 min`, `not filling (−2.0 MiB/min)`, or
    /// `measuring (needs predict_min_window of samples)`.
    static func trend(_ estimate: FillEstimate?) -> String {
        guard let estimate else { return "measuring (needs disk.predict_min_window of samples)" }
        let credit = estimate.creditBytesPerSecond > 0
            ? "; cleanups credited \(formatRate(estimate.creditBytesPerSecond * 60 / Double(DiskUnits.mebibyte))) MiB/min" : ""
        guard estimate.isFilling, let seconds = estimate.secondsToFull else {
            let rate = estimate.mebibytesPerMinute
            let shown = rate < 0 ? "-" + formatRate(-rate) : formatRate(rate)
            return "not filling (\(shown) MiB/min\(credit))"
        }
        return "filling at \(formatRate(estimate.mebibytesPerMinute)) MiB/min, full in \(formatTimeToFull(seconds))\(credit)"
    }

    /// Eight levels, scaled between the lowest and highest value shown (flat when they are equal).
    static func sparkline(_ values: [UInt64]) -> String {
        let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        guard let low = values.min(), let high = values.max(), high > low else {
            return String(repeating: bars[3], count: values.count)
        }
        return String(values.map { value in
            bars[Int((Double(value - low) / Double(high - low) * 7).rounded())]
        })
    }

    /// One JSON line: the report's fields, the level, and per filesystem the live figures
    /// (`fill_rate_mb_per_min` and `seconds_to_full` are null while not measured or not filling).
    public static func renderJSON(_ status: DiskLiveStatus, printer: FingerprintPrinter = FingerprintPrinter()) -> String {
        let base = printer.renderJSON(status.report)
        let disks = status.filesystems.map { fs -> String in
            let mib = DiskUnits.mebibyte
            var fields = [
                "\"path\":\(jsonString(fs.path))",
                "\"available_mb\":\(fs.availableBytes / mib)",
                "\"capacity_mb\":\(fs.capacityBytes / mib)",
            ]
            if let estimate = fs.estimate {
                let tenths = (estimate.mebibytesPerMinute * 10).rounded() / 10
                fields.append("\"fill_rate_mb_per_min\":\(tenths.isFinite ? String(tenths) : "null")")
                fields.append("\"seconds_to_full\":\(estimate.secondsToFull.map { String(Int64($0.rounded())) } ?? "null")")
            } else {
                fields.append("\"fill_rate_mb_per_min\":null")
                fields.append("\"seconds_to_full\":null")
            }
            return "{" + fields.joined(separator: ",") + "}"
        }
        return String(base.dropLast()) + ",\"level\":\(jsonString(status.level.rawValue)),\"disk\":[\(disks.joined(separator: ","))]}"
    }

    private static func jsonString(_ value: String) -> String { FingerprintPrinter.jsonLiteral(value) }
}
