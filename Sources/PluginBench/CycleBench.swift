import Foundation
import GRPCCoreServer
import PluginProto

/// Sequential task cycles through one plugin, as Nomad's client drives each task: StartTask,
/// WaitTask (long-poll, sent right after the start), InspectTask (RUNNING), StopTask, the
/// WaitTask answer, DestroyTask. The plugin's descriptors, RSS, threads and children are
/// measured every tenth of the run: a leak of one descriptor, one unreaped supervisor or a
/// few hundred bytes per task grows with the cycle count and fails the run.
enum CycleBench {
    /// Allowed RSS growth from the first to the last measurement. Not zero: malloc keeps freed
    /// pages as a high-water mark and runtime caches fill once; a leak of 400 bytes per cycle
    /// over 10,000 cycles exceeds it.
    static let rssGrowthBoundKiB = 4 * 1024
    /// Uncounted cycles before the first measurement, so lazily opened runtime descriptors and
    /// first-use allocations are in the baseline.
    static let warmUpCycles = 20

    /// The per-checkpoint table (markdown) and what grew, empty when nothing did.
    struct Report {
        var table: [String] = []
        var failures: [String] = []
    }

    static func run(binary: String, cycles: Int, row: (String, String, String) -> Void) async throws -> Report {
        let plugin = try PluginProcess.launch(binary: binary)
        defer { plugin.terminate() }
        let client = GRPCClient(unixSocketPath: plugin.socketPath)
        defer { client.close() }
        try await setPluginConfig(client)
        let allocDir = NSTemporaryDirectory() + "swiftdriver-bench-cycles-\(getpid())"
        try FileManager.default.createDirectory(atPath: allocDir + "/cycle", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: allocDir) }
        let runner = Runner(client: client, allocDir: allocDir)

        for index in 0..<warmUpCycles { _ = try await runner.cycle(-1 - index) }
        let every = max(1, cycles / 10)
        var report = Report()
        report.table = [
            "| cycle | fds | RSS KiB | threads | children | zombies | cycles/s since last row |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        let first = await settled(plugin.pid)
        var last = first
        func addRow(_ cycle: Int, _ usage: ProcessUsage, _ rate: String) {
            report.table.append("| \(cycle) | \(usage.fds) | \(usage.rssKiB) | \(usage.threads) | \(usage.children) | \(usage.zombies) | \(rate) |")
            FileHandle.standardError.write(Data("  cycle \(cycle): fds \(usage.fds), RSS \(usage.rssKiB) KiB, threads \(usage.threads), children \(usage.children), zombies \(usage.zombies), \(rate) cycles/s\n".utf8))
        }
        addRow(0, first, "")

        var done = 0
        var cycling = Duration.zero
        var starts = Samples(), stops = Samples()
        while done < cycles {
            let batch = min(every, cycles - done)
            let start = ContinuousClock.now
            for index in done..<(done + batch) {
                let took = try await runner.cycle(index)
                starts.add(took.start)
                stops.add(took.stop)
            }
            let took = ContinuousClock.now - start
            cycling += took
            done += batch
            last = await settled(plugin.pid)
            addRow(done, last, String(format: "%.1f", Double(batch) / seconds(took)))
        }

        let rate = Double(cycles) / seconds(cycling)
        row("start → stop → destroy cycles (sequential)",
            String(format: "%d cycles, %.1f cycles/s (%.1f ms each); fds %d → %d, RSS %d → %d KiB, threads %d → %d, zombies %d",
                   cycles, rate, 1000 / rate, first.fds, last.fds, first.rssKiB, last.rssKiB, first.threads, last.threads, last.zombies),
            "no fd/zombie growth, RSS +< \(rssGrowthBoundKiB / 1024) MiB")
        row("  StartTask within the cycles", starts.describe(), "")
        row("  StopTask (SIGTERM) within the cycles", stops.describe(), "")
        if last.fds > first.fds { report.failures.append("descriptors grew from \(first.fds) to \(last.fds)") }
        if last.zombies > 0 { report.failures.append("\(last.zombies) zombie children of the plugin remain") }
        if last.children > 0 { report.failures.append("\(last.children) supervisors are still children of the plugin") }
        if last.rssKiB - first.rssKiB > rssGrowthBoundKiB {
            report.failures.append("RSS grew by \(last.rssKiB - first.rssKiB) KiB, more than \(rssGrowthBoundKiB) KiB")
        }
        return report
    }

    /// Measures once the last task's supervisor has been reaped (the plugin's monitor does it a
    /// few milliseconds after the exit), or after 2 s if it never is.
    private static func settled(_ pid: pid_t) async -> ProcessUsage {
        let deadline = ContinuousClock.now + .seconds(2)
        var usage = ProcessUsage.measure(pid: pid)
        while usage.children > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
            usage = ProcessUsage.measure(pid: pid)
        }
        return usage
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Drives one task through its life.
    private struct Runner: Sendable {
        let client: GRPCClient
        let allocDir: String
        let driverConfig = BenchConfigs.task(command: "/bin/sleep", args: ["1000"])

        /// Runs one cycle; returns how long StartTask and StopTask took.
        func cycle(_ index: Int) async throws -> (start: Duration, stop: Duration) {
            let id = "bench-cycles/cycle/\(index)"
            let config = TaskConfig(id: id, name: "cycle", msgpackDriverConfig: driverConfig,
                                    env: ["PATH": "/usr/bin:/bin"], allocDir: allocDir, allocID: "bench-cycles")
            let clock = ContinuousClock()
            let startBegan = clock.now
            _ = try await client.unary(Driver.driver + "StartTask", StartTaskRequest(task: config).wireBytes())
            let start = clock.now - startBegan
            async let waited = client.unary(Driver.driver + "WaitTask", WaitTaskRequest(taskID: id).wireBytes())
            let inspected = try InspectTaskResponse(
                wireBytes: try await client.unary(Driver.driver + "InspectTask", InspectTaskRequest(taskID: id).wireBytes()))
            guard inspected.task.state == .running else {
                throw BenchError("cycle \(index): the task is \(inspected.task.state) right after StartTask, not running")
            }
            let stopBegan = clock.now
            _ = try await client.unary(Driver.driver + "StopTask",
                                       StopTaskRequest(taskID: id, timeout: .seconds(5), signal: "SIGTERM").wireBytes())
            let stop = clock.now - stopBegan
            let exit = try WaitTaskResponse(wireBytes: try await waited).result
            guard exit.signal == SIGTERM || exit.exitCode == 128 + SIGTERM else {
                throw BenchError("cycle \(index): WaitTask reports exit \(exit.exitCode) signal \(exit.signal), not the SIGTERM stop")
            }
            _ = try await client.unary(Driver.driver + "DestroyTask", DestroyTaskRequest(taskID: id, force: false).wireBytes())
            return (start, stop)
        }
    }
}
