import Glibc
import XCTest
@testable import SwiftDriver
import SystemSupport

/// Helpers shared by the Stats and Exec tests.
enum ExecTestSupport {
    static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    static func context(env: [String: String] = [:], workDir: String? = nil, user: String? = nil) -> ExecContext {
        var full = env
        if full["PATH"] == nil { full["PATH"] = path }
        return ExecContext(env: full, workDir: workDir, user: user, taskDir: "/tmp")
    }

    /// Every event until the stream ends.
    static func collect(_ session: ExecSession) async -> [ExecOutputEvent] {
        var events: [ExecOutputEvent] = []
        for await event in session.outputs { events.append(event) }
        return events
    }

    static func stdout(_ events: [ExecOutputEvent]) -> String {
        String(decoding: events.flatMap { if case .stdout(let b) = $0 { return b } else { return [] } }, as: UTF8.self)
    }

    static func stderr(_ events: [ExecOutputEvent]) -> String {
        String(decoding: events.flatMap { if case .stderr(let b) = $0 { return b } else { return [] } }, as: UTF8.self)
    }

    /// This process's descriptors and what they point at (readlink of /proc/self/fd/N).
    static func openFds() -> [Int32: String] {
        var result: [Int32: String] = [:]
        for fd in ProcFiles.listPids(procRoot: "/proc/self/fd") {
            var buffer = [CChar](repeating: 0, count: 512)
            let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
            guard count >= 0 else { continue }  // the listing's own descriptor, already closed
            result[fd] = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return result
    }

    /// Zombie children of this test process (spawned commands that nobody reaped).
    static func zombieChildren() -> [Int32] {
        var zombies: [Int32] = []
        for tid in ProcFiles.listPids(procRoot: "/proc/self/task") {
            guard let text = FileInput.text(atPath: "/proc/self/task/\(tid)/children") else { continue }
            for word in text.split(separator: " ") {
                guard let pid = Int32(word.trimmingASCIIWhitespace()),
                      let stat = FileInput.text(atPath: "/proc/\(pid)/stat").flatMap(ProcStat.parse) else { continue }
                if stat.isZombie { zombies.append(pid) }
            }
        }
        return zombies
    }

    /// True once the pid is gone or a zombie (killed, waiting for a reaper that is not us).
    static func isDead(_ pid: Int32) -> Bool {
        guard let stat = FileInput.text(atPath: "/proc/\(pid)/stat").flatMap(ProcStat.parse) else { return true }
        return stat.isZombie
    }

    /// Polls `condition` every 20 ms for up to `seconds`; a guard against hangs, not a speed check.
    static func eventually(seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}
