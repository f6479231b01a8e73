import Foundation
import GRPCCoreServer
import PluginProto

/// fill → Unhealthy latency on a real tmpfs, and the plugin's CPU use while sampling at 1 s.
enum DiskBench {
    static func run(binary: String, row: (String, String, String) -> Void) async throws {
        let mountPoint = NSTemporaryDirectory() + "swiftdriver-bench-disk-\(getpid())"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mountPoint) }
        guard shell("mount -t tmpfs -o size=64m tmpfs '\(mountPoint)'") == 0 else {
            row("fill → Unhealthy", "skipped: cannot mount a tmpfs here (needs root)", "≤ 1 s median")
            return
        }
        defer { _ = shell("umount '\(mountPoint)'") }

        let plugin = try PluginProcess.launch(binary: binary)
        defer { plugin.terminate() }
        let client = GRPCClient(unixSocketPath: plugin.socketPath)
        defer { client.close() }
        let config = BenchConfigs.plugin(disk: [
            ("paths", .array([.string(mountPoint)])),
            ("interval", .string("1s")),
            ("hard_free_mb", .int(16)),
            ("hard_free_percent", .int(10)),
            ("soft_free_percent", .int(15)),
            ("transition_period", .string("1s")),
        ])
        try await setPluginConfig(client, msgpack: config)
        let stream = client.serverStream(Driver.driver + "Fingerprint", Empty().wireBytes())
        defer { stream.cancel() }

        func nextHealth() async throws -> FingerprintResponse.HealthState? {
            guard let bytes = try await stream.next() else { return nil }
            return try FingerprintResponse(wireBytes: bytes).health
        }
        guard try await nextHealth() == .healthy else { throw BenchError("the tmpfs did not start healthy") }

        // CPU while idle-sampling at 1 s.
        let ticksBefore = plugin.cpuTicks()
        let cpuStart = ContinuousClock.now
        try await Task.sleep(for: .seconds(20))
        let ticks = plugin.cpuTicks() - ticksBefore
        let seconds = Double((ContinuousClock.now - cpuStart).components.seconds)
        let percent = Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK))) / seconds * 100
        row("plugin CPU, fingerprinting at 1 s", String(format: "%.2f %% of one core (20 s)", percent), "< 0.5 %")

        var latencies = Samples()
        let fill = mountPoint + "/fill"
        for _ in 0..<10 {
            // A disk fills at any moment relative to the 1 s sampling tick, not right after one.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0..<1000)))
            let start = ContinuousClock.now
            guard shell("fallocate -l 60M '\(fill)'") == 0 else { throw BenchError("fallocate failed") }
            while let health = try await nextHealth(), health != .unhealthy {}
            latencies.add(ContinuousClock.now - start)
            unlink(fill)
            while let health = try await nextHealth(), health != .healthy {}
        }
        row("fill → Unhealthy on the Fingerprint stream", latencies.describe(), "≤ 1 s median")
    }

    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " 2>/dev/null"]
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
