/// Paces what a plugin sends Nomad on a long-lived stream when every message costs the cluster
/// a node update (a Raft write): the first value goes out, an unchanged one never does, an
/// urgent change goes out at once, and any other change waits until `minInterval` has passed
/// since the last one sent. The driver's fingerprint and the device plugin's device list both
/// go through one; each says what is urgent.
public struct UpdatePacer<Value: Equatable & Sendable>: Sendable {
    public var minInterval: Duration
    /// The value most recently let out.
    public private(set) var lastEmitted: Value?
    private var lastEmittedAt: Duration?
    private let isUrgent: @Sendable (_ old: Value, _ new: Value) -> Bool

    public init(minInterval: Duration, isUrgent: @escaping @Sendable (_ old: Value, _ new: Value) -> Bool) {
        self.minInterval = minInterval
        self.isUrgent = isUrgent
    }

    /// Offers `value` at monotonic time `now`; returns it when it should be sent.
    public mutating func offer(_ value: Value, at now: Duration) -> Value? {
        if let previous = lastEmitted, let previousAt = lastEmittedAt {
            if previous == value { return nil }
            guard isUrgent(previous, value) || now - previousAt >= minInterval else { return nil }
        }
        lastEmitted = value
        lastEmittedAt = now
        return value
    }
}
