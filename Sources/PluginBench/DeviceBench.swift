import Foundation
import GRPCCoreServer
import PluginProto

/// The device plugin: its idle memory, and how soon a fill of its watched disk takes healthy
/// instances away on the Fingerprint stream (the same targets as the driver's).
enum DeviceBench {
    static let device = "/hashicorp.nomad.plugins.device.DevicePlugin/"

    static func run(binary: String, row: (String, String, String) -> Void) async throws {
        let mountPoint = NSTemporaryDirectory() + "swiftdriver-bench-device-\(getpid())"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mountPoint) }
        guard DiskBench.shell("mount -t tmpfs -o size=64m tmpfs '\(mountPoint)'") == 0 else {
            row("device: fill → fewer healthy instances", "skipped: cannot mount a tmpfs here (needs root)", "≤ 1 s median")
            return
        }
        defer { _ = DiskBench.shell("umount '\(mountPoint)'") }

        let plugin = try PluginProcess.launch(binary: binary)
        defer { plugin.terminate() }
        let client = GRPCClient(unixSocketPath: plugin.socketPath)
        defer { client.close() }
        let config = MsgValue.map([
            ("paths", .array([.string(mountPoint)])),
            ("unit_mb", .int(1)),
            ("headroom_mb", .int(0)),
            ("max_instances", .int(64)),
            ("interval", .string("1s")),
            ("fingerprint_min_interval", .string("1s")),
        ]).bytes
        try await setPluginConfig(client, msgpack: config)
        let stream = client.serverStream(device + "Fingerprint", Empty().wireBytes())
        defer { stream.cancel() }
        func nextHealthy() async throws -> Int {
            guard let bytes = try await stream.next() else { throw BenchError("the device Fingerprint stream ended") }
            return try DeviceFingerprintResponse(wireBytes: bytes).deviceGroup.first?.devices.count(where: \.healthy) ?? 0
        }
        let full = try await nextHealthy()
        try await Task.sleep(for: .seconds(2))
        let memory = plugin.pssAndPrivateKiB()
        row("device: idle RSS (after handshake, SetConfig, first fingerprint)",
            "\(plugin.rssKiB()) KiB RSS (\(memory.pss) KiB PSS, \(memory.private) KiB private)", "≤ 9 MB")

        var latencies = Samples()
        let fill = mountPoint + "/fill"
        for _ in 0..<10 {
            // A disk fills at any moment relative to the 1 s sampling tick.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0..<1000)))
            let start = ContinuousClock.now
            guard DiskBench.shell("fallocate -l 30M '\(fill)'") == 0 else { throw BenchError("fallocate failed") }
            while try await nextHealthy() >= full {}
            latencies.add(ContinuousClock.now - start)
            unlink(fill)
            while try await nextHealthy() < full {}
        }
        row("device: fill → fewer healthy instances on the Fingerprint stream", latencies.describe(), "≤ 1 s median")
    }
}
