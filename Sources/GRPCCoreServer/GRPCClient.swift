import CGRPCCore
import Locking

/// A small gRPC client over gRPC core, for tests, benchmarks and tools that talk to the plugin
/// the way Nomad's client does (one connection, plaintext HTTP/2 on a unix socket).
public final class GRPCClient: Sendable {
    private let channel: CPointer
    private let queue: CompletionQueue

    public init(unixSocketPath path: String) {
        queue = CompletionQueue()
        let credentials = grpc_insecure_credentials_create()
        let raw = ServerOptions().withChannelArgs { grpc_channel_create("unix:\(path)", credentials, $0) }
        grpc_channel_credentials_release(credentials)
        channel = CPointer(raw!)
    }

    /// Closes the channel; calls still running are cancelled.
    public func close() {
        grpc_channel_destroy(channel.raw)
        queue.close()
    }

    /// One request, one response; a non-OK status is thrown as `GRPCStatus`.
    public func unary(_ method: String, _ request: [UInt8], timeout: Duration? = nil) async throws -> [UInt8] {
        let call = makeCall(method, timeout: timeout)
        let batch = OpBatch()
        batch.sendInitialMetadata()
        batch.sendMessage(request)
        batch.sendCloseFromClient()
        batch.receiveInitialMetadata()
        batch.receiveMessage()
        batch.receiveStatusOnClient()
        let (status, response) = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<(GRPCStatus, [UInt8]?), Never>) in
                if !call.run(batch, { _ in
                    let status = batch.clientStatus?.status() ?? GRPCStatus(.unknown, "no status")
                    continuation.resume(returning: (status, batch.takeReceivedMessage()))
                }) {
                    continuation.resume(returning: (GRPCStatus(.unavailable, "the client is closed"), nil))
                }
            }
        } onCancel: {
            call.cancel()
        }
        guard status.code == .ok else { throw status }
        guard let response else { throw GRPCStatus(.internal, "the server sent OK without a response message") }
        return response
    }

    /// A server-streaming call: the responses, then the final status (thrown if not OK).
    public func serverStream(_ method: String, _ request: [UInt8], timeout: Duration? = nil) -> ClientStreamingCall {
        let call = makeCall(method, timeout: timeout)
        let streaming = ClientStreamingCall(call: call)
        let batch = OpBatch()
        batch.sendInitialMetadata()
        batch.sendMessage(request)
        batch.sendCloseFromClient()
        _ = call.run(batch) { _ in }
        return streaming
    }

    /// A bidi-streaming call: `send`, `closeSend`, then read the responses.
    public func bidiStream(_ method: String, timeout: Duration? = nil) -> ClientStreamingCall {
        let call = makeCall(method, timeout: timeout)
        let streaming = ClientStreamingCall(call: call)
        let batch = OpBatch()
        batch.sendInitialMetadata()
        _ = call.run(batch) { _ in }
        return streaming
    }

    private func makeCall(_ method: String, timeout: Duration?) -> ClientCall {
        let deadline: gpr_timespec
        if let timeout {
            let (seconds, attoseconds) = timeout.components
            deadline = sd_deadline_after_ms(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        } else {
            deadline = sd_infinite_future()
        }
        let methodSlice = ByteBuffers.slice(method)
        defer { grpc_slice_unref(methodSlice) }
        let raw = grpc_channel_create_call(channel.raw, nil, 0xFFFF, queue.pointer.raw, methodSlice, nil, deadline, nil)
        return ClientCall(call: CPointer(raw!), queue: queue)
    }
}

/// A streaming client call. Read with `messages()`; send with `send` (bidi only).
public final class ClientStreamingCall: Sendable {
    let call: ClientCall
    private let finalStatus = Mutex<GRPCStatus?>(nil)
    private let statusFlag = AsyncFlag()

    init(call: ClientCall) {
        self.call = call
        // grpc core delivers messages only after the initial metadata has been received.
        let metadata = OpBatch()
        metadata.receiveInitialMetadata()
        _ = call.run(metadata) { _ in }
        let batch = OpBatch()
        batch.receiveStatusOnClient()
        let started = call.run(batch) { [self] _ in
            let status = batch.clientStatus?.status() ?? GRPCStatus(.unknown, "no status")
            finalStatus.withLock { $0 = status }
            statusFlag.set()
        }
        if !started {
            finalStatus.withLock { $0 = GRPCStatus(.unavailable, "the client is closed") }
            statusFlag.set()
        }
    }

    public func send(_ message: [UInt8]) async throws {
        let batch = OpBatch()
        batch.sendMessage(message)
        let ok = await call.runAwaiting(batch)
        if !ok { throw GRPCStatus(.cancelled, "the call has ended") }
    }

    public func closeSend() async {
        let batch = OpBatch()
        batch.sendCloseFromClient()
        _ = await call.runAwaiting(batch)
    }

    /// The next response, nil at a clean end; throws the final status when it is not OK.
    public func next() async throws -> [UInt8]? {
        let batch = OpBatch()
        batch.receiveMessage()
        let message: [UInt8]? = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
                if !call.run(batch, { ok in continuation.resume(returning: ok ? batch.takeReceivedMessage() : nil) }) {
                    continuation.resume(returning: nil)
                }
            }
        } onCancel: {
            call.cancel()
        }
        if let message { return message }
        let status = await status()
        if status.code != .ok { throw status }
        return nil
    }

    /// The call's final status (waits for it).
    public func status() async -> GRPCStatus {
        while !(await statusFlag.wait(timeout: .seconds(3600))) {}
        return finalStatus.withLock { $0 } ?? GRPCStatus(.unknown, "no status")
    }

    public func cancel() {
        call.cancel()
    }
}

/// The client side of one call; the call reference is released in deinit, after the last batch.
final class ClientCall: Sendable {
    let call: CPointer
    let queue: CompletionQueue

    init(call: CPointer, queue: CompletionQueue) {
        self.call = call
        self.queue = queue
    }

    deinit {
        grpc_call_unref(call.raw)
    }

    func cancel() {
        grpc_call_cancel(call.raw, nil)
    }

    func run(_ batch: OpBatch, _ done: @escaping @Sendable (Bool) -> Void) -> Bool {
        queue.startBatch(batch, on: call, keepingAlive: self, done)
    }

    func runAwaiting(_ batch: OpBatch) async -> Bool {
        await withCheckedContinuation { continuation in
            if !run(batch, { ok in continuation.resume(returning: ok) }) {
                continuation.resume(returning: false)
            }
        }
    }
}
