import DeviceSimulation
import Foundation

/// `device-sim`: Nomad's device allocator over simulated nodes running the device plugin's own
/// accounting (DeviceSimulation), one run per seed. No process, no disk: it checks the
/// accounting and the gate, not the binary given on the command line.
enum DeviceSimBench {
    static let seeds: [UInt64] = [1, 2, 3, 4, 5]

    /// Runs every seed; returns the table and the failures (any overcommit or broken invariant).
    static func run(ticks: Int, row: (String, String, String) -> Void) -> (table: [String], failures: [String]) {
        var reports: [DeviceSimulationReport] = []
        let start = ContinuousClock.now
        for seed in seeds {
            var parameters = DeviceSimulationParameters(seed: seed)
            parameters.ticks = ticks
            reports.append(DeviceSimulation.run(parameters))
        }
        let elapsed = ContinuousClock.now - start
        let placements = reports.map(\.placements).reduce(0, +)
        let overcommits = reports.map(\.overcommitsByPlacement).reduce(0, +)
        let nodes = reports.first?.nodes ?? 0
        row("device allocator simulation: overcommits by placement",
            "\(overcommits) in \(placements) placements (\(seeds.count) seeds × \(nodes) nodes × \(ticks) ticks, \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))))",
            "0")
        row("device allocator simulation: outside-writer shortfalls",
            "\(reports.map(\.outsideShortfallNodeTicks).reduce(0, +)) node-ticks, \(reports.map(\.placementsSqueezedByOutsideWriters).reduce(0, +)) squeezed placements",
            "shown, not a failure")
        let failures = reports.flatMap { report in report.failures.map { "seed \(report.seed): \($0)" } }
        let table = ["### Device allocator simulation (\(nodes) nodes, \(ticks) ticks of 1 s per seed; must be 0: overcommits by placement, other invariant breaks)"]
            + DeviceSimulationReport.table(reports)
        return (table, failures)
    }
}
