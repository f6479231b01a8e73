import CGRPCCore
import Locking

/// One accepted call: receive, send and finish operations over grpc core batches, and the
/// cancellation link between the client and the handler's task.
///
/// The call reference is released in `deinit`: every pending batch's completion keeps the object
/// alive, so the reference outlives the last operation and is released exactly once.
final class ServerCall: Sendable {
    let call: CPointer
    let queue: CompletionQueue
    private let state = Mutex(State())

    private struct State {
        var initialMetadataSent = false
        var sendInFlight = false
        var finished = false
        var cancelled = false
        var handler: Task<Void, Never>?
    }

    init(call: CPointer, queue: CompletionQueue) {
        self.call = call
        self.queue = queue
    }

    deinit {
        grpc_call_unref(call.raw)
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Starts waiting for the end of the call; a client cancellation or deadline cancels the handler.
    func watchClose() {
        let batch = OpBatch()
        batch.receiveCloseOnServer()
        _ = run(batch) { [self] _ in
            let cancelled = (batch.cancelledFlag?.pointee ?? 0) != 0
            if cancelled {
                let handler = state.withLock { st -> Task<Void, Never>? in
                    st.cancelled = true
                    return st.handler
                }
                handler?.cancel()
            }
        }
    }

    func attach(handler: Task<Void, Never>) {
        let cancelNow = state.withLock { st -> Bool in
            st.handler = handler
            return st.cancelled
        }
        if cancelNow { handler.cancel() }
    }

    /// The next request message, or nil at the end of the stream or when the call failed.
    func receive() async -> [UInt8]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
            let batch = OpBatch()
            batch.receiveMessage()
            let started = run(batch) { ok in
                continuation.resume(returning: ok ? batch.takeReceivedMessage() : nil)
            }
            if !started { continuation.resume(returning: nil) }
        }
    }

    func send(_ message: [UInt8]) async throws {
        let withMetadata: Bool = try state.withLock { st in
            if st.finished || st.cancelled { throw GRPCStatus(.cancelled, "the call has ended") }
            if st.sendInFlight { throw GRPCStatus(.internal, "two messages were sent at once on one call") }
            st.sendInFlight = true
            defer { st.initialMetadataSent = true }
            return !st.initialMetadataSent
        }
        let ok = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let batch = OpBatch()
            if withMetadata { batch.sendInitialMetadata() }
            batch.sendMessage(message)
            if !run(batch, { ok in continuation.resume(returning: ok) }) {
                continuation.resume(returning: false)
            }
        }
        state.withLock { $0.sendInFlight = false }
        if !ok { throw GRPCStatus(.cancelled, "the call has ended") }
    }

    /// Sends the final status (with a last message for unary responses). Only the first call counts.
    func finish(_ status: GRPCStatus, message: [UInt8]? = nil) async {
        let withMetadata: Bool? = state.withLock { st in
            if st.finished { return nil }
            st.finished = true
            defer { st.initialMetadataSent = true }
            return !st.initialMetadataSent
        }
        guard let withMetadata else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let batch = OpBatch()
            if withMetadata { batch.sendInitialMetadata() }
            if let message { batch.sendMessage(message) }
            batch.sendStatus(status)
            if !run(batch, { _ in continuation.resume() }) {
                continuation.resume()
            }
        }
    }

    /// Starts a batch on this call; `done` runs on completion, after which the batch is freed.
    private func run(_ batch: OpBatch, _ done: @escaping @Sendable (Bool) -> Void) -> Bool {
        queue.startBatch(batch, on: call, keepingAlive: self, done)
    }
}
