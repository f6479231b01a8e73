import Locking

/// A one-shot flag that async code can wait on with a timeout; set from any thread.
final class AsyncFlag: Sendable {
    private let state = Mutex(State())

    private struct State {
        var set = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
        var expired: Set<Int> = []
    }

    func set() {
        let waiters = state.withLock { st -> [CheckedContinuation<Bool, Never>] in
            st.set = true
            defer { st.waiters = [:] }
            return Array(st.waiters.values)
        }
        waiters.forEach { $0.resume(returning: true) }
    }

    var isSet: Bool { state.withLock { $0.set } }

    /// True if the flag was set before the timeout.
    func wait(timeout: Duration) async -> Bool {
        let id = state.withLock { st -> Int in
            st.nextID += 1
            return st.nextID
        }
        let timer = Task {
            if (try? await Task.sleep(for: timeout)) != nil {
                expire(id)
            }
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let immediate = state.withLock { st -> Bool? in
                if st.set { return true }
                if st.expired.remove(id) != nil { return false }
                st.waiters[id] = continuation
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    private func expire(_ id: Int) {
        let waiter = state.withLock { st -> CheckedContinuation<Bool, Never>? in
            if let waiter = st.waiters.removeValue(forKey: id) { return waiter }
            if !st.set { st.expired.insert(id) }
            return nil
        }
        waiter?.resume(returning: false)
    }
}
