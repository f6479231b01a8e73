import Foundation
import GRPCCoreServer
import XCTest

/// Why a test could not get a running plugin. Thrown, it fails the test: a plugin that is
/// missing or does not hand-shake is broken, and a skip would hide exactly that.
struct PluginLaunchFailure: Error, CustomStringConvertible {
    var description: String
}

/// A built plugin (`nomad-driver-swift` unless named), next to the test bundle in SwiftPM's
/// build directory; `NOMAD_DRIVER_SWIFT_BINARY` / `NOMAD_DEVICE_SWIFT_BINARY` point elsewhere.
func pluginBinary(named name: String = "nomad-driver-swift") throws -> String {
    let variable = name.uppercased().replacingOccurrences(of: "-", with: "_") + "_BINARY"
    if let path = ProcessInfo.processInfo.environment[variable] { return path }
    var candidates: [String] = []
    for start in [Bundle.main.executablePath, Bundle.main.bundlePath].compactMap({ $0 }) {
        var dir = URL(fileURLWithPath: start).deletingLastPathComponent()
        for _ in 0..<3 {
            candidates.append(dir.appendingPathComponent(name).path)
            dir = dir.deletingLastPathComponent()
        }
    }
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw PluginLaunchFailure(description: "\(name) is not built next to the tests (looked at \(candidates)); run `swift build` first")
    }
    return found
}

/// The plugin launched the way Nomad's go-plugin client launches it.
final class LaunchedPlugin: @unchecked Sendable {
    // Set once in init; the process and pipes are only touched from the test's task.
    let process = Process()
    let stderrPipe = Pipe()
    let handshake: String
    let socketPath: String
    let client: GRPCClient

    static let cookie = ["NOMAD_PLUGIN_MAGIC_COOKIE": "e4327c2e01eabfd75a8a67adb114fb34a757d57eee7728d857a8cec6e91a7255"]

    init(binary: String = "nomad-driver-swift", environment extra: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: try pluginBinary(named: binary))
        var environment = Self.cookie.merging(["PLUGIN_PROTOCOL_VERSIONS": "2", "PATH": "/usr/bin:/bin"]) { $1 }
        environment.merge(extra) { $1 }
        process.environment = environment
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = stderrPipe
        try process.run()
        var line: [UInt8] = []
        while let byte = try stdout.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 10 {
            line.append(first)
        }
        handshake = String(decoding: line, as: UTF8.self)
        let fields = handshake.split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 6 else { throw Self.noHandshake(handshake, process: process, stderr: stderrPipe) }
        socketPath = String(fields[3])
        client = GRPCClient(unixSocketPath: socketPath)
    }

    /// Stops a plugin that wrote no handshake line and says how it ended, with its stderr.
    private static func noHandshake(_ line: String, process: Process, stderr: Pipe) -> PluginLaunchFailure {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let output = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return PluginLaunchFailure(description: "the plugin did not hand-shake: its first stdout line was \"\(line)\", "
            + "it exited with status \(process.terminationStatus); stderr:\n\(output)")
    }

    var socketDirectory: String { (socketPath as NSString).deletingLastPathComponent }

    /// Waits for exit up to `timeout`; returns the status, or nil if still running.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Everything the plugin wrote to stderr (call after exit).
    func stderrLines() -> [String] {
        let data = stderrPipe.fileHandleForReading.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func kill() {
        client.close()
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
