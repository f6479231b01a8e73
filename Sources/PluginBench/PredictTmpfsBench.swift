import Foundation
import GRPCCoreServer
import PluginProto

/// The predictive level on a real tmpfs through the plugin process: a 64 MiB tmpfs filled at a
/// steady rate (hard threshold 16 MiB; horizon 60 s and window 3 s, scaled to the small disk),
/// timing the Fingerprint stream's turn to Unhealthy against free space reaching the threshold.
enum PredictTmpfsBench {
    static let rates = [1, 2, 4]  // MiB/s

    static func run(binary: String) async throws -> [String] {
        let mountPoint = NSTemporaryDirectory() + "swiftdriver-bench-predict-\(getpid())"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mountPoint) }
        guard DiskBench.shell("mount -t tmpfs -o size=64m tmpfs '\(mountPoint)'") == 0 else {
            return ["(real tmpfs measurement skipped: cannot mount a tmpfs here, needs root)"]
        }
        defer { _ = DiskBench.shell("umount '\(mountPoint)'") }

        var lines = [
            "",
            "### The same on a real 64 MiB tmpfs through the plugin (hard below 16 MiB, horizon 60 s, window 3 s, 250 ms sampling; no tasks, so Unhealthy is the move)",
            "",
            "| fill rate | Unhealthy after | health sentence | free then | hard threshold reached | lead time |",
            "|---:|---:|---|---:|---:|---:|",
        ]
        let path = mountPoint + "/fill"
        // A fresh plugin per rate: the previous run's fill and delete is a sawtooth tooth to the
        // estimator, and its cleanup credit would slow the next row's rate.
        for rate in rates {
            let plugin = try PluginProcess.launch(binary: binary)
            defer { plugin.terminate() }
            let client = GRPCClient(unixSocketPath: plugin.socketPath)
            defer { client.close() }
            try await setPluginConfig(client, msgpack: BenchConfigs.plugin(disk: [
                ("paths", .array([.string(mountPoint)])),
                ("interval", .string("250ms")),
                ("hard_free_mb", .int(16)),
                ("hard_free_percent", .int(10)),
                ("soft_free_percent", .int(15)),
                ("transition_period", .string("1s")),
                ("predict_horizon", .string("60s")),
                ("predict_min_window", .string("3s")),
                ("predict_window", .string("1m")),
            ]))
            let stream = client.serverStream(Driver.driver + "Fingerprint", Empty().wireBytes())
            defer { stream.cancel() }
            func next() async throws -> FingerprintResponse? {
                guard let bytes = try await stream.next() else { return nil }
                return try FingerprintResponse(wireBytes: bytes)
            }
            guard try await next()?.health == .healthy else { throw BenchError("the tmpfs did not start healthy") }

            let filler = Filler(path: path, mountPoint: mountPoint, rateMiB: rate, hardMiB: 16)
            let start = ContinuousClock.now
            // A thread of its own: the filler blocks, and the cooperative pool (two threads
            // here) must stay free for the Fingerprint stream.
            let result = FillerResult()
            let thread = Thread { result.set(filler.run(from: start)) }
            thread.start()
            var unhealthyAt: Duration?
            var sentence = ""
            var freeThen: UInt64 = 0
            while unhealthyAt == nil, let fp = try await next() {
                if fp.health == .unhealthy {
                    note("  predictive level on a tmpfs, \(rate) MiB/s: \(fp.healthDescription)")
                    unhealthyAt = ContinuousClock.now - start
                    sentence = fp.healthDescription
                    freeThen = Filler.freeMiB(mountPoint)
                }
            }
            while !result.isDone { try await Task.sleep(for: .milliseconds(50)) }
            let hardAt = result.value
            unlink(path)
            while let fp = try await next(), fp.health != .healthy {}
            func secs(_ d: Duration?) -> String { d.map { String(format: "%.1f s", Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18) } ?? "—" }
            let lead = unhealthyAt.flatMap { u in hardAt.map { secs($0 - u) } } ?? "—"
            lines.append("| \(rate) MiB/s | \(secs(unhealthyAt)) | \(sentence.components(separatedBy: " on ").first ?? sentence) | \(freeThen) MiB | \(secs(hardAt)) | \(lead) |")
        }
        return lines
    }
}

func note(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

/// The filler thread's answer.
final class FillerResult: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    private var result: Duration?

    func set(_ value: Duration?) { lock.lock(); result = value; done = true; lock.unlock() }
    var isDone: Bool { lock.lock(); defer { lock.unlock() }; return done }
    var value: Duration? { lock.lock(); defer { lock.unlock() }; return result }
}

/// Grows a file at a steady rate until free space falls below the hard threshold; returns when.
struct Filler: Sendable {
    let path: String
    let mountPoint: String
    let rateMiB: Int
    let hardMiB: UInt64

    func run(from start: ContinuousClock.Instant) -> Duration? {
        let fd = open(path, O_WRONLY | O_CREAT, 0o644)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        while ContinuousClock.now - start < .seconds(120) {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            _ = posix_fallocate(fd, 0, off_t(seconds * Double(rateMiB) * 1_048_576))
            if Self.freeMiB(mountPoint) < hardMiB { return ContinuousClock.now - start }
            usleep(50_000)
        }
        return nil
    }

    static func freeMiB(_ path: String) -> UInt64 {
        var st = statvfs()
        guard statvfs(path, &st) == 0 else { return 0 }
        return (UInt64(st.f_bavail) * UInt64(st.f_frsize)) >> 20
    }
}
