import GRPCCoreServer
import PluginProto

/// Request bytes → message, for every handler: a request that does not parse is
/// INVALID_ARGUMENT with a sentence, never INTERNAL and never a crash.
public enum WireRequest {
    public static func decode<Request: WireMessage>(_ bytes: [UInt8]) throws(GRPCStatus) -> Request {
        do {
            return try Request(wireBytes: bytes)
        } catch {
            throw GRPCStatus(.invalidArgument, "the request is not a valid protobuf message: \(error.description)")
        }
    }
}
