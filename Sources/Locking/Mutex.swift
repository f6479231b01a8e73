#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a pthread mutex; the standard library's `Mutex` API, so code that imports
/// `Locking` instead of `Synchronization` reads the same.
///
/// Why not `Synchronization.Mutex`: on Linux it hands a contended lock over through a futex
/// inside the precompiled Synchronization library, where ThreadSanitizer sees no acquire and
/// release, so every contended critical section is reported as a data race (two threads
/// appending to one `Mutex<[Int]>` are enough). ThreadSanitizer intercepts pthread mutexes, so
/// with this type `swift test --sanitize=thread` reports only real races. An uncontended
/// pthread lock costs tens of nanoseconds, nothing next to the work done under these locks.
public final class Mutex<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let value: UnsafeMutablePointer<Value>

    public init(_ initialValue: sending Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
        value = .allocate(capacity: 1)
        value.initialize(to: initialValue)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
        value.deinitialize(count: 1)
        value.deallocate()
    }

    /// Runs `body` with the value while holding the lock.
    public func withLock<Result, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}
