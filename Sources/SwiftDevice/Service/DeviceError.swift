/// Why a device RPC failed; mapped to a gRPC status in `DeviceService`.
public enum DeviceError: Error, Sendable, Equatable {
    case reserve(ReserveError)
    case storage(String)
}
