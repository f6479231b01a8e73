import Foundation
import GRPCCoreServer
import PluginProto

/// StartTask → process running latency, and the plugin's RSS with 50 running tasks.
enum TaskBench {
    /// Private memory of one of the plugin's supervisor children (they share the binary's pages).
    static func supervisorPrivateKiB(pid: pid_t) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let child = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == pid {
                return PluginProcess(pid: child, socketPath: "", handshakeTime: .zero).pssAndPrivateKiB().private
            }
        }
        return 0
    }

    static func run(binary: String, row: (String, String, String) -> Void) async throws {
        let plugin = try PluginProcess.launch(binary: binary)
        defer { plugin.terminate() }
        let client = GRPCClient(unixSocketPath: plugin.socketPath)
        defer { client.close() }
        try await setPluginConfig(client)
        let allocDir = NSTemporaryDirectory() + "swiftdriver-bench-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: allocDir) }
        var latencies = Samples()
        var ids: [String] = []
        for index in 0..<50 {
            let name = "t\(index)"
            try FileManager.default.createDirectory(atPath: allocDir + "/" + name, withIntermediateDirectories: true)
            let id = "bench-alloc/\(name)/\(index)"
            let config = TaskConfig(id: id, name: name,
                                    msgpackDriverConfig: BenchConfigs.task(command: "/bin/sleep", args: ["1000"]),
                                    env: ["PATH": "/usr/bin:/bin"], allocDir: allocDir, allocID: "bench-alloc")
            let start = ContinuousClock.now
            _ = try await client.unary(Driver.driver + "StartTask", StartTaskRequest(task: config).wireBytes())
            latencies.add(ContinuousClock.now - start)
            ids.append(id)
        }
        row("StartTask → process running", latencies.describe(), "")
        try await Task.sleep(for: .seconds(1))
        let memory = plugin.pssAndPrivateKiB()
        row("plugin RSS with 50 running tasks",
            "\(plugin.rssKiB()) KiB RSS (\(memory.private) KiB private); each supervisor: \(supervisorPrivateKiB(pid: plugin.pid)) KiB private", "")
        for id in ids {
            _ = try await client.unary(Driver.driver + "StopTask",
                                       StopTaskRequest(taskID: id, timeout: .seconds(5), signal: "SIGKILL").wireBytes())
            _ = try await client.unary(Driver.driver + "DestroyTask",
                                       DestroyTaskRequest(taskID: id, force: true).wireBytes())
        }
    }
}
