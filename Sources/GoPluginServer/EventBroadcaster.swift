import Locking

/// Fans events out to any number of `AsyncStream` subscribers: the disk monitor's fingerprint
/// reports and the task store's task events.
///
/// It is a lock-guarded class rather than state inside its owner actor so that a subscriber
/// whose consumer goes away is dropped at once, from whatever thread ends the stream, without
/// a task hopping back onto the actor.
public final class EventBroadcaster<Element: Sendable>: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<Element>.Continuation] = [:]
        var nextID = 0
        var finished = false
    }

    private let state = Mutex(State())
    private let bufferLimit: Int

    /// Each subscriber keeps at most `bufferingNewest` unread events; a slow one loses the
    /// oldest, never blocks the owner.
    public init(bufferingNewest: Int) {
        bufferLimit = bufferingNewest
    }

    /// A new stream that yields `first` (when given) before any later event. After `finish()`
    /// and until `reopen()`, the stream yields just `first` and ends.
    public func subscribe(first: Element? = nil) -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self, bufferingPolicy: .bufferingNewest(bufferLimit))
        state.withLock { state in
            // Under the lock, so no event broadcast meanwhile can overtake `first`.
            if let first { continuation.yield(first) }
            guard !state.finished else {
                continuation.finish()
                return
            }
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = continuation
            continuation.onTermination = { [weak self] _ in self?.remove(id) }
        }
        return stream
    }

    /// Sends `element` to every current subscriber.
    public func broadcast(_ element: Element) {
        state.withLock { state in
            for continuation in state.subscribers.values { continuation.yield(element) }
        }
    }

    /// Ends every subscriber's stream; later subscriptions end at once until `reopen()`.
    public func finish() {
        let ended = state.withLock { state in
            state.finished = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        // Outside the lock: finishing runs each stream's termination handler, which takes it.
        for continuation in ended { continuation.finish() }
    }

    /// Accepts subscribers again after `finish()`.
    public func reopen() {
        state.withLock { $0.finished = false }
    }

    /// For tests: how many streams are still subscribed.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    private func remove(_ id: Int) {
        state.withLock { state in _ = state.subscribers.removeValue(forKey: id) }
    }
}
