import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest

/// The built `go-api` binary, run as a child process with its output captured in files.
final class GoAPIProcess {
    let process = Process()
    let port: Int
    let stdoutURL: URL
    let stderrURL: URL

    /// Starts the binary; it is not yet listening when this returns (see `waitUntilListening`).
    init(arguments: [String], environment: [String: String] = [:], port: Int) throws {
        self.port = port
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("go-api-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stdoutURL = directory.appendingPathComponent("stdout")
        stderrURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)

        process.executableURL = try Self.binaryURL()
        process.arguments = arguments
        // A clean environment, so the test machine's PORT or NOMAD_* cannot leak in.
        var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        base.merge(environment) { $1 }
        process.environment = base
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    deinit {
        // SIGKILL: a test that failed half-way must not leave a server draining behind it.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// `swift test` builds every product into the directory that holds the
    /// test bundle; `GO_API_BINARY` overrides for other layouts.
    static func binaryURL() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["GO_API_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        var candidates: [URL] = []
        for bundle in Bundle.allBundles + [Bundle.main] {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("go-api"))
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("go-api"))
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/go-api"))
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw GoAPITestError("no go-api binary next to the test bundle; run `swift build --product go-api` or set GO_API_BINARY")
    }

    /// Launches the binary with `--bind 127.0.0.1 --port <free>` plus `arguments`, and waits for it to listen.
    static func serving(_ arguments: [String] = [], environment: [String: String] = [:]) async throws -> GoAPIProcess {
        let port = try freePort()
        let server = try GoAPIProcess(
            arguments: ["--bind", "127.0.0.1", "--port", String(port)] + arguments,
            environment: environment, port: port)
        try await server.waitUntilListening()
        return server
    }

    func waitUntilListening(timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if Self.canConnect(port: port) { return }
            guard process.isRunning else {
                throw GoAPITestError("go-api exited with \(process.terminationStatus) before listening: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw GoAPITestError("go-api did not listen on port \(port) within \(timeout)")
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for exit and returns the status; nil if it is still running at the deadline.
    func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// A port that was free a moment ago: bound to 0, read back, released.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw GoAPITestError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw GoAPITestError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw GoAPITestError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

struct GoAPITestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
