import PluginProtoC

/// `google.protobuf.Any`: a type URL and the encoded message it names.
public struct AnyMessage: Sendable, Equatable {
    public var typeURL: String
    public var value: [UInt8]

    public init(typeURL: String, value: [UInt8]) {
        self.typeURL = typeURL
        self.value = value
    }
}

/// `google.rpc.Status`, the payload of the `grpc-status-details-bin` trailer.
public struct RPCStatus: WireMessage, Equatable {
    public var code: Int32
    public var message: String
    public var details: [AnyMessage]

    public init(code: Int32, message: String, details: [AnyMessage] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "google.rpc.Status",
            unpack: google__rpc__status__unpack, free: google__rpc__status__free_unpacked
        ) { (c: CStatus) throws(WireDecodingError) in
            RPCStatus(
                code: c.code, message: CRead.string(c.message),
                details: CRead.messages(c.details, c.n_details).map {
                    AnyMessage(typeURL: CRead.string($0.type_url), value: CRead.bytes($0.value))
                })
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let status = arena.message(google__rpc__status__init)
                status.pointee.code = code
                status.pointee.message = arena.string(message)
                let anys = details.map { detail in
                    let any = arena.message(google__protobuf__any__init)
                    any.pointee.type_url = arena.string(detail.typeURL)
                    any.pointee.value = arena.bytes(detail.value)
                    return Optional(any)
                }
                status.pointee.n_details = anys.count
                status.pointee.details = arena.array(anys)
                return status
            },
            size: google__rpc__status__get_packed_size, pack: google__rpc__status__pack
        )
    }
}

/// `hashicorp.nomad.plugins.shared.structs.RecoverableError`.
public struct RecoverableError: WireMessage, Equatable {
    public var recoverable: Bool

    public init(recoverable: Bool) {
        self.recoverable = recoverable
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "hashicorp.nomad.plugins.shared.structs.RecoverableError",
            unpack: hashicorp__nomad__plugins__shared__structs__recoverable_error__unpack,
            free: hashicorp__nomad__plugins__shared__structs__recoverable_error__free_unpacked
        ) { (c: CRecoverableError) throws(WireDecodingError) in RecoverableError(recoverable: c.recoverable != 0) }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(hashicorp__nomad__plugins__shared__structs__recoverable_error__init)
                message.pointee.recoverable = recoverable ? 1 : 0
                return message
            },
            size: hashicorp__nomad__plugins__shared__structs__recoverable_error__get_packed_size,
            pack: hashicorp__nomad__plugins__shared__structs__recoverable_error__pack
        )
    }
}

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
