import Locking

/// A one-shot "the plugin should stop" event, raised by SIGTERM or `GRPCController/Shutdown`
/// and awaited by the server runner and by long-lived streams.
public final class StopSignal: Sendable {
    private let state = Mutex(State())

    private struct State {
        var reason: String?
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<Int> = []
    }

    public init() {}

    /// Raises the event; only the first reason is kept.
    public func trigger(reason: String) {
        let waiters = state.withLock { st -> [CheckedContinuation<Void, Never>] in
            guard st.reason == nil else { return [] }
            st.reason = reason
            defer { st.waiters = [:] }
            return Array(st.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    public var reason: String? { state.withLock { $0.reason } }

    /// Returns once the event is raised, or when the waiting task is cancelled.
    public func wait() async {
        let id = state.withLock { st -> Int in
            st.nextID += 1
            return st.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { st -> Bool in
                    if st.reason != nil || st.cancelled.remove(id) != nil { return true }
                    st.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { st -> CheckedContinuation<Void, Never>? in
                if let waiter = st.waiters.removeValue(forKey: id) { return waiter }
                st.cancelled.insert(id)
                return nil
            }
            waiter?.resume()
        }
    }
}
