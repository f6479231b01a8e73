#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Locking
import SystemSupport

/// The access log: one line per request, in the layout swift-log's stream handler gave it
/// (`2026-11-25T18:17:34+0000 info go-api.access: [GoAPI] 127.0.0.1:52500 "GET /" 200 192 167us "curl/7.88.1"`),
/// to stdout, which is what `nomad alloc logs` shows.
///
/// A request only appends its line to a memory buffer under a lock: no system call, no
/// allocation, no time-zone look-up (the timestamp is formatted once a second). `flush()`
/// writes what has gathered with one `write(2)`, off the request path: the serving loop calls
/// it every `flushInterval` and once more after the server has finished its last request, so a
/// clean shutdown loses nothing. Past `highWater` bytes the request that crosses it writes the
/// buffer itself, which bounds memory if stdout is slower than the requests.
package final class AccessLog: Sendable {
    private struct Pending {
        var bytes: [UInt8] = []
        var second: Int = -1
        var stamp: [UInt8] = []
    }

    package static let flushInterval = Duration.milliseconds(50)
    package static let highWater = 1 << 20

    private let pending: Mutex<Pending>
    /// Serializes writers so lines reach the descriptor in the order they were buffered.
    private let output = Mutex<Void>(())
    private let descriptor: Int32

    package init(descriptor: Int32 = 1) {
        self.descriptor = descriptor
        var initial = Pending()
        initial.bytes.reserveCapacity(64 << 10)
        self.pending = Mutex(initial)
    }

    private static let levelAndLabel: StaticString = " info go-api.access: [GoAPI] "

    /// Appends one line.
    package func record(
        peer: String, method: String, target: String, status: UInt, bytes: Int, micros: Int64, agent: String?
    ) {
        let now = time(nil)
        let full = pending.withLock { state -> Bool in
            if state.second != now {
                state.second = now
                state.stamp = Self.timestamp(now)
            }
            state.bytes.append(contentsOf: state.stamp)
            Self.append(Self.levelAndLabel, to: &state.bytes)
            state.bytes.append(contentsOf: peer.utf8)
            Self.append(" \"", to: &state.bytes)
            state.bytes.append(contentsOf: method.utf8)
            state.bytes.append(UInt8(ascii: " "))
            state.bytes.append(contentsOf: target.utf8)
            Self.append("\" ", to: &state.bytes)
            Self.appendDecimal(UInt64(status), to: &state.bytes)
            state.bytes.append(UInt8(ascii: " "))
            Self.appendDecimal(UInt64(max(bytes, 0)), to: &state.bytes)
            state.bytes.append(UInt8(ascii: " "))
            Self.appendDecimal(UInt64(max(micros, 0)), to: &state.bytes)
            Self.append("us \"", to: &state.bytes)
            state.bytes.append(contentsOf: (agent ?? "-").utf8)
            Self.append("\"\n", to: &state.bytes)
            return state.bytes.count >= Self.highWater
        }
        if full { flush() }
    }

    /// Writes everything buffered so far; returns once it is written (or stdout failed).
    package func flush() {
        output.withLock { _ in
            let chunk = pending.withLock { state -> [UInt8] in
                guard !state.bytes.isEmpty else { return [] }
                var taken: [UInt8] = []
                taken.reserveCapacity(state.bytes.capacity)
                swap(&taken, &state.bytes)
                return taken
            }
            guard !chunk.isEmpty else { return }
            // A failure means stdout is gone: nothing more can be done with the lines.
            FileOutput.writeAll(descriptor, chunk)
        }
    }

    /// `%Y-%m-%dT%H:%M:%S%z` in local time, as swift-log's stream handler writes it.
    private static func timestamp(_ seconds: time_t) -> [UInt8] {
        var seconds = seconds
        var parts = tm()
        localtime_r(&seconds, &parts)
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let count = strftime(buffer.baseAddress!, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
            return UnsafeRawBufferPointer(start: buffer.baseAddress!, count: count).map { $0 }
        }
    }

    private static func append(_ text: StaticString, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            var index = raw.count
            var rest = value
            repeat {
                index -= 1
                raw[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: raw[index...])
        }
    }
}
