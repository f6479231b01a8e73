import PluginProtoC

/// `grpc.health.v1.HealthCheckRequest`.
public struct HealthCheckRequest: WireMessage, Equatable {
    public var service: String

    public init(service: String = "") {
        self.service = service
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "grpc.health.v1.HealthCheckRequest",
            unpack: grpc__health__v1__health_check_request__unpack,
            free: grpc__health__v1__health_check_request__free_unpacked
        ) { (c: CHealthCheckRequest) throws(WireDecodingError) in
            HealthCheckRequest(service: CRead.string(c.service))
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(grpc__health__v1__health_check_request__init)
                message.pointee.service = arena.string(service)
                return message
            },
            size: grpc__health__v1__health_check_request__get_packed_size,
            pack: grpc__health__v1__health_check_request__pack
        )
    }
}

/// `grpc.health.v1.HealthCheckResponse`.
public struct HealthCheckResponse: WireMessage, Equatable {
    public enum ServingStatus: Int32, Sendable, Equatable {
        case unknown = 0
        case serving = 1
        case notServing = 2
        case serviceUnknown = 3
    }

    public var status: ServingStatus

    public init(status: ServingStatus) {
        self.status = status
    }

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: "grpc.health.v1.HealthCheckResponse",
            unpack: grpc__health__v1__health_check_response__unpack,
            free: grpc__health__v1__health_check_response__free_unpacked
        ) { (c: CHealthCheckResponse) throws(WireDecodingError) in
            HealthCheckResponse(status: ServingStatus(rawValue: CRead.enumValue(c.status)) ?? .unknown)
        }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { arena in
                let message = arena.message(grpc__health__v1__health_check_response__init)
                message.pointee.status = .init(rawValue: .init(truncatingIfNeeded: status.rawValue))
                return message
            },
            size: grpc__health__v1__health_check_response__get_packed_size,
            pack: grpc__health__v1__health_check_response__pack
        )
    }
}
