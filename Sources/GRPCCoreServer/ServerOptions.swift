import CGRPCCore
import Glibc

/// Transport settings for one long-lived go-plugin connection: many concurrent long-poll calls,
/// large task configs, no idle or keepalive limits (Nomad's client sends no pings).
public struct ServerOptions: Sendable {
    /// Largest request message accepted; larger ones fail with RESOURCE_EXHAUSTED.
    public var maxReceiveMessageBytes: Int32 = 16 * 1024 * 1024
    /// Concurrent streams on the one connection: every task holds WaitTask and TaskStats.
    public var maxConcurrentStreams: Int32 = 1 << 20
    /// Request slots kept posted with grpc core, so bursts of new calls are picked up at once.
    public var pendingAccepts = 8

    public init() {}

    /// Builds grpc channel args, calls `body` with them, and frees them afterwards.
    func withChannelArgs<R>(_ body: (UnsafePointer<grpc_channel_args>) -> R) -> R {
        let settings: [(String, Int32)] = [
            ("grpc.max_receive_message_length", maxReceiveMessageBytes),
            ("grpc.max_send_message_length", -1),
            ("grpc.max_concurrent_streams", maxConcurrentStreams),
            ("grpc.http2.max_ping_strikes", 0),
            ("grpc.keepalive_permit_without_calls", 1),
        ]
        let keys = settings.map { strdup($0.0)! }
        defer { keys.forEach { free($0) } }
        var args = zip(keys, settings).map { sd_integer_arg($0, $1.1) }
        return args.withUnsafeMutableBufferPointer { buffer in
            var channelArgs = grpc_channel_args(num_args: buffer.count, args: buffer.baseAddress)
            return body(&channelArgs)
        }
    }
}
