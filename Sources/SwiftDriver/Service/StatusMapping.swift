import FoundationEssentials
import Glibc
import GRPCCoreServer
import PluginProto

/// How driver errors become gRPC statuses Nomad's client understands.
///
/// The client reads only the status code and the `RecoverableError` detail: a plain error is
/// final, a recoverable one asks for a local retry. UNAVAILABLE is never used, because the client
/// takes it to mean the plugin itself is going away.
enum StatusMapping {
    static func status(for error: TaskError) -> GRPCStatus {
        switch error.kind {
        case .notFound: GRPCStatus(.notFound, error.message)
        case .invalidConfig, .invalidArgument: GRPCStatus(.invalidArgument, error.message)
        case .alreadyExists: GRPCStatus(.alreadyExists, error.message)
        case .stillRunning: GRPCStatus(.failedPrecondition, error.message)
        case .transient: recoverable(.aborted, error.message)
        case .resourceExhausted: GRPCStatus(.resourceExhausted, error.message)
        case .failed: GRPCStatus(.failedPrecondition, error.message)
        }
    }

    /// An exec the host cannot start right now (fork EAGAIN, descriptors or memory short) is worth
    /// a retry; every other exec failure is about the command and is final.
    static func status(for error: ExecError) -> GRPCStatus {
        if case .resourcesExhausted = error { return recoverable(.aborted, error.description) }
        return GRPCStatus(.invalidArgument, error.description)
    }

    static func status(for error: ConfigError) -> GRPCStatus {
        GRPCStatus(.invalidArgument, error.description)
    }

    /// A status whose `grpc-status-details-bin` carries `RecoverableError{recoverable: true}`.
    static func recoverable(_ code: GRPCStatus.Code, _ message: String) -> GRPCStatus {
        GRPCStatus(code, message, details: RecoverableErrorDetail.statusDetailsBytes(
            code: code.rawValue, message: message, recoverable: true))
    }
}

extension WireTimestamp {
    init(_ date: Date) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        self.init(seconds: Int64(seconds), nanos: Int32((date.timeIntervalSince1970 - seconds) * 1e9))
    }
}
