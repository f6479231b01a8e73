import PressureSimulation
import SwiftDriver

/// The predictive level's figures from simulated disks (no plugin process): the false-alarm
/// count over a day of sawtooth disks and the lead-time table of steady fills.
enum PredictBench {
    /// Returns the lead-time table's lines, and the sawtooths that raised a predictive alarm.
    static func run(binary: String, tmpfs: Bool, row: (String, String, String) -> Void) async throws -> (table: [String], falseAlarms: [String]) {
        var lines: [String] = []
        var falseAlarms: [String] = []
        for result in await PredictionFigures.falseAlarms() {
            if result.day.predictiveAlarms > 0 { falseAlarms.append(result.curve) }
            row("predictive alarms, 24 h of \(result.curve)", "\(result.day.predictiveAlarms) (cold start, first hour: \(result.coldStart.predictiveAlarms))", "0")
        }
        let capacity = Int(PredictionFigures.leadCapacityMiB)
        lines.append("### Lead time of the predictive level (simulated: \(capacity) MiB disk, \(Int(PredictionFigures.leadStartFreeMiB)) MiB free, every default: hard below 2048 MiB, horizon 10 min, window 60 s; seconds after the fill started)")
        lines.append("")
        lines.append("| fill rate | Unhealthy | first eviction | free at eviction | hard threshold reached | lead time: Unhealthy → hard | lead time: eviction → hard |")
        lines.append("|---:|---:|---:|---:|---:|---:|---:|")
        for run in await PredictionFigures.leadTimes() {
            let start = PredictionFigures.leadFillStart
            func at(_ t: Double?) -> String { t.map { String(Int(($0 - start).rounded())) + " s" } ?? "—" }
            func lead(_ t: Double?) -> String {
                guard let t, let hard = run.hardAt else { return "—" }
                return String(Int((hard - t).rounded())) + " s"
            }
            let predictive = run.firstEvictionReason?.contains("disk filling at") ?? false
            let eviction = at(run.firstEvictionAt) + (run.firstEvictionAt == nil ? "" : predictive ? " (predictive)" : " (threshold)")
            let free = run.freeAtFirstEvictionMiB.map { "\(Int($0)) MiB" } ?? "—"
            lines.append("| \(run.curve.replacingOccurrences(of: "steady fill at ", with: "")) | \(at(run.unhealthyAt)) | \(eviction) | \(free) | \(at(run.hardAt)) | \(lead(run.unhealthyAt)) | \(lead(run.firstEvictionAt)) |")
        }
        if tmpfs { lines += try await PredictTmpfsBench.run(binary: binary) }
        return (lines, falseAlarms)
    }
}
