/// The gRPC error detail by which Nomad decides whether a failed StartTask (or TaskStats) is
/// worth retrying: only the first detail is read, and only if it is this type.
public enum RecoverableErrorDetail {
    public static let typeURL = "type.googleapis.com/hashicorp.nomad.plugins.shared.structs.RecoverableError"

    /// The `grpc-status-details-bin` payload (before base64): a `google.rpc.Status` with `code`
    /// and `message`, whose single detail is a `RecoverableError`. `code` must equal the call's
    /// grpc-status and be non-zero.
    public static func statusDetailsBytes(code: Int32, message: String, recoverable: Bool) -> [UInt8] {
        let detail = AnyMessage(typeURL: typeURL, value: RecoverableError(recoverable: recoverable).wireBytes())
        return RPCStatus(code: code, message: message, details: [detail]).wireBytes()
    }

    /// The `recoverable` flag of a status-details payload, or nil if its first detail is not a
    /// `RecoverableError` (or the payload does not parse).
    public static func recoverable(fromStatusDetails bytes: [UInt8]) -> Bool? {
        guard let status = try? RPCStatus(wireBytes: bytes), let first = status.details.first,
              first.typeURL == typeURL, let error = try? RecoverableError(wireBytes: first.value)
        else { return nil }
        return error.recoverable
    }
}
