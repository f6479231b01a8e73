import Dispatch

/// Runs the asynchronous part of the program while the main thread waits for it.
///
/// An `async` main hands the main thread to `dispatch_main`, which ends it with `pthread_exit`.
/// That forced unwind walks the thread's stack through the binary's unwind tables and pulls
/// about half a megabyte of them into the plugin's memory, for nothing: the main thread has no
/// other work. Waiting on a semaphore instead keeps those pages untouched.
public enum BlockingMain {
    public static func run(_ body: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await body()
            done.signal()
        }
        done.wait()
    }
}
