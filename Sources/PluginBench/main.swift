import DeviceSimulation
import Foundation
import GRPCCoreServer
import PluginProto

// Plugin benchmarks, printed as one table: handshake time, idle RSS, unary RPC round trip,
// StartTask latency, RSS with 50 tasks, fill → Unhealthy latency, fingerprint CPU, the
// predictive level's false alarms and lead-time table (simulated disks, no process), and
// sequential start/stop cycles (with their own per-checkpoint table; a leak exits 1), and the
// device allocator simulation (device-sim: its own table; an overcommit exits 1).
//   swift run -c release PluginBench <path to nomad-driver-swift> [sections...] [--cycles N] [--device-sim-ticks N]
//     [--device <path to nomad-device-swift>]  (section `device`; default: beside the driver)

let usage = "usage: PluginBench <nomad-driver-swift> [handshake rpc tasks disk predict device cycles device-sim] [--cycles N] [--simulated-only] [--device PATH] [--device-sim-ticks N]\n"
let knownSections = ["handshake", "rpc", "tasks", "disk", "predict", "device", "cycles", "device-sim"]
var arguments = Array(CommandLine.arguments.dropFirst())
/// Removes `name VALUE` from `arguments` and returns VALUE parsed, nil when absent; a missing
/// or unparsable VALUE exits 2 saying that `name` needs `what`.
func takeOption<Value>(_ name: String, from arguments: inout [String], needs what: String, _ parse: (String) -> Value?) -> Value? {
    guard let flag = arguments.firstIndex(of: name) else { return nil }
    guard flag + 1 < arguments.count, let value = parse(arguments[flag + 1]) else {
        FileHandle.standardError.write(Data("plugin-bench: \(name) needs \(what).\n".utf8))
        exit(2)
    }
    arguments.removeSubrange(flag...(flag + 1))
    return value
}
func positive(_ text: String) -> Int? { Int(text).flatMap { $0 > 0 ? $0 : nil } }
let deviceBinary = takeOption("--device", from: &arguments, needs: "the path of nomad-device-swift") { $0 }
let cycleCount = takeOption("--cycles", from: &arguments, needs: "a positive whole number of cycles", positive) ?? 10_000
let deviceSimTicks = takeOption("--device-sim-ticks", from: &arguments, needs: "a positive whole number of ticks", positive)
    ?? DeviceSimulationParameters(seed: 0).ticks
let simulatedOnly = arguments.contains("--simulated-only")
arguments.removeAll { $0 == "--simulated-only" }
guard let binary = arguments.first else {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
let sections = Set(arguments.dropFirst().isEmpty ? knownSections : Array(arguments.dropFirst()))
if let unknown = sections.first(where: { !knownSections.contains($0) }) {
    FileHandle.standardError.write(Data("plugin-bench: there is no section \"\(unknown)\" (known: \(knownSections.joined(separator: ", "))).\n".utf8))
    exit(2)
}
nonisolated(unsafe) var rows: [(String, String, String)] = []  // written by one task at a time
func row(_ name: String, _ value: String, _ target: String) {
    rows.append((name, value, target))
    FileHandle.standardError.write(Data("  \(name): \(value)\n".utf8))
}
var cycleReport: CycleBench.Report?
var predictTable: [String] = []
var predictFalseAlarms: [String] = []
var deviceSimTable: [String] = []
var deviceSimFailures: [String] = []

do {
    if sections.contains("handshake") {
        var handshakes = Samples()
        for _ in 0..<30 {
            let plugin = try PluginProcess.launch(binary: binary)
            handshakes.add(plugin.handshakeTime)
            plugin.terminate()
        }
        row("exec → handshake line", handshakes.describe(), "≤ 5 ms")
        let plugin = try PluginProcess.launch(binary: binary)
        let client = GRPCClient(unixSocketPath: plugin.socketPath)
        _ = try await client.unary(Driver.base + "PluginInfo", Empty().wireBytes())
        try await Task.sleep(for: .seconds(1))
        let memory = plugin.pssAndPrivateKiB()
        row("idle RSS (after handshake + PluginInfo)",
            "\(plugin.rssKiB()) KiB RSS (\(memory.pss) KiB PSS, \(memory.private) KiB private)", "≤ 9 MB")
        client.close()
        plugin.terminate()
    }
    if sections.contains("rpc") {
        let plugin = try PluginProcess.launch(binary: binary)
        let client = GRPCClient(unixSocketPath: plugin.socketPath)
        let request = Empty().wireBytes()
        for _ in 0..<200 { _ = try await client.unary(Driver.base + "PluginInfo", request) }
        var trips = Samples()
        for _ in 0..<5000 {
            let start = ContinuousClock.now
            _ = try await client.unary(Driver.base + "PluginInfo", request)
            trips.add(ContinuousClock.now - start)
        }
        row("unary RPC round trip (PluginInfo)", trips.describe(), "")
        client.close()
        plugin.terminate()
    }
    if sections.contains("tasks") {
        try await TaskBench.run(binary: binary, row: row)
    }
    if sections.contains("disk") {
        try await DiskBench.run(binary: binary, row: row)
    }
    if sections.contains("predict") {
        // --simulated-only: the figures without a plugin process or a tmpfs (scripts/test).
        (predictTable, predictFalseAlarms) = try await PredictBench.run(binary: binary, tmpfs: !simulatedOnly, row: row)
    }
    if sections.contains("device") {
        let path = deviceBinary ?? URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("nomad-device-swift").path
        try await DeviceBench.run(binary: path, row: row)
    }
    if sections.contains("device-sim") {
        (deviceSimTable, deviceSimFailures) = DeviceSimBench.run(ticks: deviceSimTicks, row: row)
    }
    if sections.contains("cycles") {
        cycleReport = try await CycleBench.run(binary: binary, cycles: cycleCount, row: row)
    }
} catch {
    FileHandle.standardError.write(Data("plugin-bench: \(error)\n".utf8))
    exit(1)
}

let width = max(rows.map(\.0.count).max() ?? 0, 10)
print("| " + "figure".padding(toLength: width, withPad: " ", startingAt: 0) + " | value | target |")
print("|" + String(repeating: "-", count: width + 2) + "|---|---|")
for (name, value, target) in rows {
    print("| " + name.padding(toLength: width, withPad: " ", startingAt: 0) + " | \(value) | \(target) |")
}
if !predictTable.isEmpty {
    print("")
    predictTable.forEach { print($0) }
}
if !deviceSimTable.isEmpty {
    print("")
    deviceSimTable.forEach { print($0) }
}
if !deviceSimFailures.isEmpty {
    FileHandle.standardError.write(Data("plugin-bench: the device allocator simulation overcommitted or broke an invariant: \(deviceSimFailures.joined(separator: "; ")).\n".utf8))
    exit(1)
}
if !predictFalseAlarms.isEmpty {
    FileHandle.standardError.write(Data("plugin-bench: predictive alarms on a sawtooth that never fills: \(predictFalseAlarms.joined(separator: "; ")).\n".utf8))
    exit(1)
}
if let cycleReport {
    print("\n### \(cycleCount) sequential start/stop cycles: the plugin process at each checkpoint")
    cycleReport.table.forEach { print($0) }
    if !cycleReport.failures.isEmpty {
        FileHandle.standardError.write(Data("plugin-bench: the cycles leaked: \(cycleReport.failures.joined(separator: "; ")).\n".utf8))
        exit(1)
    }
}

enum Driver {
    static let base = "/hashicorp.nomad.plugins.base.proto.BasePlugin/"
    static let driver = "/hashicorp.nomad.plugins.drivers.proto.Driver/"
}
