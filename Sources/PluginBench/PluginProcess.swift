import Glibc
import GRPCCoreServer
import PluginProto

/// A plugin process launched the way Nomad launches it, for measurements.
struct PluginProcess {
    let pid: pid_t
    let socketPath: String
    /// exec → handshake line on stdout.
    let handshakeTime: Duration

    static let cookie = "NOMAD_PLUGIN_MAGIC_COOKIE=e4327c2e01eabfd75a8a67adb114fb34a757d57eee7728d857a8cec6e91a7255"

    static func launch(binary: String) throws -> PluginProcess {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw BenchError("pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var env = [cookie, "PLUGIN_PROTOCOL_VERSIONS=2", "PATH=/usr/bin:/bin"]
        let argv = [binary]
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let rc = withCStrings(argv) { cargv in
            withCStrings(env) { cenv in posix_spawn(&pid, binary, &actions, nil, cargv, cenv) }
        }
        env.removeAll()
        close(fds[1])
        guard rc == 0 else { close(fds[0]); throw BenchError("could not start \(binary): error \(rc)") }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(fds[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        let elapsed = ContinuousClock.now - start
        close(fds[0])
        let fields = String(decoding: line, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 6 else { throw BenchError("unexpected handshake line: \(String(decoding: line, as: UTF8.self))") }
        return PluginProcess(pid: pid, socketPath: String(fields[3]), handshakeTime: elapsed)
    }

    /// Resident set size from /proc, in KiB.
    func rssKiB() -> Int {
        guard let file = fopen("/proc/\(pid)/status", "r") else { return 0 }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 512)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            let line = cLine(buffer)
            if line.hasPrefix("VmRSS:") {
                return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
            }
        }
        return 0
    }

    /// Proportional and private (unshared) resident memory from smaps_rollup, in KiB: most of
    /// the RSS is shared library text that other processes map too.
    func pssAndPrivateKiB() -> (pss: Int, private: Int) {
        guard let file = fopen("/proc/\(pid)/smaps_rollup", "r") else { return (0, 0) }
        defer { fclose(file) }
        var pss = 0, priv = 0
        var buffer = [CChar](repeating: 0, count: 512)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            let fields = cLine(buffer).split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let value = Int(fields[1]) else { continue }
            switch fields[0] {
            case "Pss:": pss = value
            case "Private_Clean:", "Private_Dirty:": priv += value
            default: break
            }
        }
        return (pss, priv)
    }

    /// utime + stime in clock ticks.
    func cpuTicks() -> Int {
        guard let file = fopen("/proc/\(pid)/stat", "r") else { return 0 }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 1024)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return 0 }
        let text = cLine(buffer)
        guard let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }

    func terminate() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}

/// The NUL-terminated text fgets left in `buffer`.
func cLine(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// SetConfig as Nomad sends it; `msgpack` is the plugin block's config (an empty map: no options).
func setPluginConfig(_ client: GRPCClient, msgpack: [UInt8] = [0x80]) async throws {
    let request = SetConfigRequest(msgpackConfig: msgpack, nomadConfig: NomadConfig(driver: nil),
                                   pluginAPIVersion: "v0.1.0")
    _ = try await client.unary(Driver.base + "SetConfig", request.wireBytes())
}
