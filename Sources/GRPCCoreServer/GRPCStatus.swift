/// A gRPC status: what a handler throws to fail a call, and what a client call throws on failure.
///
/// `details` travels as the `grpc-status-details-bin` trailer (a serialized `google.rpc.Status`);
/// Nomad reads a `RecoverableError` from it.
public struct GRPCStatus: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Code
    public var message: String
    public var details: [UInt8]?

    public init(_ code: Code, _ message: String, details: [UInt8]? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(code) (\(code.rawValue)): \(message)" }

    /// The canonical gRPC status codes.
    public enum Code: Int32, Sendable, CustomStringConvertible {
        case ok = 0, cancelled, unknown, invalidArgument, deadlineExceeded, notFound, alreadyExists,
             permissionDenied, resourceExhausted, failedPrecondition, aborted, outOfRange,
             unimplemented, `internal`, unavailable, dataLoss, unauthenticated

        public var description: String {
            switch self {
            case .ok: "OK"
            case .cancelled: "CANCELLED"
            case .unknown: "UNKNOWN"
            case .invalidArgument: "INVALID_ARGUMENT"
            case .deadlineExceeded: "DEADLINE_EXCEEDED"
            case .notFound: "NOT_FOUND"
            case .alreadyExists: "ALREADY_EXISTS"
            case .permissionDenied: "PERMISSION_DENIED"
            case .resourceExhausted: "RESOURCE_EXHAUSTED"
            case .failedPrecondition: "FAILED_PRECONDITION"
            case .aborted: "ABORTED"
            case .outOfRange: "OUT_OF_RANGE"
            case .unimplemented: "UNIMPLEMENTED"
            case .internal: "INTERNAL"
            case .unavailable: "UNAVAILABLE"
            case .dataLoss: "DATA_LOSS"
            case .unauthenticated: "UNAUTHENTICATED"
            }
        }

        init(wire: Int32) { self = Code(rawValue: wire) ?? .unknown }
    }
}
