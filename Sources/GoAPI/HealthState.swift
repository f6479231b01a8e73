import Locking
import Synchronization

/// The status `/health` reports: a drill-settable code, overridden by shutdown.
///
/// Shared by every request handler and the drain service. Every response asks whether the
/// drain has begun, so that is an atomic load; the code itself sits behind a mutex.
package final class HealthState: Sendable {
    /// What `/health` answers right now.
    enum Status: Equatable, Sendable {
        case serving(code: Int)
        case shuttingDown
    }

    /// The codes a drill may set; 1xx cannot be a final response.
    static let settableCodes = 200...599

    private let state = Locking.Mutex<Status>(.serving(code: 200))
    private let draining = Atomic<Bool>(false)

    package init() {}

    var status: Status { state.withLock { $0 } }

    var isShuttingDown: Bool { draining.load(ordering: .acquiring) }

    /// Sets the drill code; refused once shutdown has begun, because a
    /// draining instance must keep failing its health check.
    func setCode(_ code: Int) -> Bool {
        state.withLock { status in
            guard case .serving = status else { return false }
            status = .serving(code: code)
            return true
        }
    }

    package func beginShutdown() {
        state.withLock { $0 = .shuttingDown }
        draining.store(true, ordering: .releasing)
    }
}
