import FuzzSupport
import SwiftDriver

/// Fuzz target: `TaskHandle.driver_state` as RecoverTask receives it (JSON this driver wrote,
/// or anything a corrupted or hostile state store hands back).
@main
enum FuzzDriverState {
    static func main() {
        FuzzEntry.run { data, size in
            FuzzEntry.result(FuzzDriverState.check(FuzzEntry.bytes(data, size)))
        }
    }

    /// True when the bytes decode; a decoded state must encode and decode to itself.
    static func check(_ bytes: [UInt8]) -> Bool {
        guard let state = try? DriverState.decode(bytes) else { return false }
        // A round trip through our own encoder must read back: RecoverTask may persist it again.
        guard let again = try? DriverState.decode(state.encode()) else {
            preconditionFailure("a decoded driver state does not decode after encoding")
        }
        _ = again
        return true
    }
}
