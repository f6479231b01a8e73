import CGRPCCore
import Glibc
import Locking

/// A closure grpc core calls back through an opaque tag when an operation completes.
final class CompletionTag: Sendable {
    let onComplete: @Sendable (Bool) -> Void

    init(_ onComplete: @escaping @Sendable (Bool) -> Void) {
        self.onComplete = onComplete
    }
}

/// A grpc completion queue drained by one dedicated thread.
///
/// Every batch is started through `startBatch`, which counts outstanding operations so that
/// `close()` can refuse new work, wait for the last completion and only then shut the queue
/// down: grpc core aborts if a batch is started on a queue that is shutting down.
final class CompletionQueue: Sendable {
    let pointer: CPointer
    private let state = Mutex(State())
    private let thread = Mutex<pthread_t?>(nil)

    private struct State {
        var closed = false
        var outstanding = 0
    }

    init() {
        GRPCRuntime.ensureInitialized()
        pointer = CPointer(grpc_completion_queue_create_for_next(nil))
        let box = Unmanaged.passRetained(DrainBox(queue: pointer))
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { raw in
            let box = Unmanaged<DrainBox>.fromOpaque(raw!).takeRetainedValue()
            box.drain()
            return nil
        }, box.toOpaque())
        precondition(rc == 0, "could not start the gRPC completion-queue thread (error \(rc))")
        thread.withLock { $0 = tid }
    }

    /// Runs `body` (which starts one grpc operation with the returned tag) unless the queue is
    /// closed. Returns false, without calling `onComplete`, when the queue is closed or the
    /// operation was refused.
    func start(_ onComplete: @escaping @Sendable (Bool) -> Void, _ body: (UnsafeMutableRawPointer) -> grpc_call_error) -> Bool {
        state.withLock { st -> Bool in
            guard !st.closed else { return false }
            let tag = CompletionTag { [self] ok in
                onComplete(ok)
                state.withLock { $0.outstanding -= 1 }
            }
            let raw = Unmanaged.passRetained(tag).toOpaque()
            sd_tsan_release(raw)
            let error = body(raw)
            guard error == GRPC_CALL_OK else {
                Unmanaged<CompletionTag>.fromOpaque(raw).release()
                return false
            }
            st.outstanding += 1
            return true
        }
    }

    /// Like `start`, for operations that return nothing (server request/shutdown notifications).
    func startVoid(_ onComplete: @escaping @Sendable (Bool) -> Void, _ body: (UnsafeMutableRawPointer) -> Void) -> Bool {
        start(onComplete) { tag in
            body(tag)
            return GRPC_CALL_OK
        }
    }

    /// Starts `batch` on `call`; `done` runs on completion, then the batch is freed. `owner` (the
    /// object whose deinit unrefs the call) stays alive until then. Returns false, having freed
    /// the batch, when the operation could not start.
    func startBatch(_ batch: OpBatch, on call: CPointer, keepingAlive owner: some AnyObject & Sendable,
                    _ done: @escaping @Sendable (Bool) -> Void) -> Bool {
        let started = start({ ok in
            done(ok)
            batch.release()
            withExtendedLifetime(owner) {}
        }) { tag in
            batch.ops.withUnsafeBufferPointer { ops in
                grpc_call_start_batch(call.raw, ops.baseAddress, ops.count, tag, nil)
            }
        }
        if !started { batch.release() }
        return started
    }

    var outstanding: Int { state.withLock { $0.outstanding } }

    /// Refuses new operations, waits for the outstanding ones, then shuts the queue down and
    /// joins its thread.
    func close() {
        state.withLock { $0.closed = true }
        while outstanding > 0 {
            usleep(1000)
        }
        grpc_completion_queue_shutdown(pointer.raw)
        if let tid = thread.withLock({ t -> pthread_t? in defer { t = nil }; return t }) {
            pthread_join(tid, nil)
        }
        grpc_completion_queue_destroy(pointer.raw)
    }
}

/// Owns the draining loop; runs on the queue's thread.
private final class DrainBox: Sendable {
    let queue: CPointer

    init(queue: CPointer) {
        self.queue = queue
    }

    func drain() {
        while true {
            let event = grpc_completion_queue_next(queue.raw, sd_infinite_future(), nil)
            switch event.type {
            case GRPC_OP_COMPLETE:
                sd_tsan_acquire(event.tag)
                let tag = Unmanaged<CompletionTag>.fromOpaque(event.tag).takeRetainedValue()
                tag.onComplete(event.success != 0)
            case GRPC_QUEUE_SHUTDOWN:
                return
            default:
                continue
            }
        }
    }
}

/// An opaque grpc core pointer (queue, server, call, channel) shared across threads.
/// grpc core objects are internally synchronised; ownership is managed by the holder.
struct CPointer: @unchecked Sendable {
    let raw: OpaquePointer

    init(_ raw: OpaquePointer) {
        self.raw = raw
    }
}
