#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PluginProtoC

/// A point in time as `google.protobuf.Timestamp` carries it: seconds since the Unix epoch plus
/// non-negative nanoseconds.
public struct WireTimestamp: Sendable, Equatable, Hashable {
    public var seconds: Int64
    public var nanos: Int32

    public init(seconds: Int64 = 0, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    /// The current wall-clock time.
    public static func now() -> WireTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return WireTimestamp(seconds: Int64(spec.tv_sec), nanos: Int32(spec.tv_nsec))
    }

    func build(in arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__Timestamp> {
        let message = arena.message(google__protobuf__timestamp__init)
        message.pointee.seconds = seconds
        message.pointee.nanos = nanos
        return message
    }

    init(_ c: UnsafeMutablePointer<Google__Protobuf__Timestamp>?) {
        self.init(seconds: c?.pointee.seconds ?? 0, nanos: c?.pointee.nanos ?? 0)
    }
}

/// `google.protobuf.Duration` <-> Swift `Duration`.
enum WireDuration {
    static func build(_ duration: Duration, in arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__Duration> {
        let message = arena.message(google__protobuf__duration__init)
        var (seconds, attoseconds) = duration.components
        // The proto form wants seconds and nanos with the same sign.
        if seconds > 0 && attoseconds < 0 {
            seconds -= 1
            attoseconds += 1_000_000_000_000_000_000
        } else if seconds < 0 && attoseconds > 0 {
            seconds += 1
            attoseconds -= 1_000_000_000_000_000_000
        }
        message.pointee.seconds = seconds
        message.pointee.nanos = Int32(attoseconds / 1_000_000_000)
        return message
    }

    static func read(_ c: UnsafeMutablePointer<Google__Protobuf__Duration>?) -> Duration {
        guard let c else { return .zero }
        return .seconds(c.pointee.seconds) + .nanoseconds(Int64(c.pointee.nanos))
    }
}
