import CGRPCCore
import Logging
import Locking

/// A gRPC server on gRPC core, listening on a unix socket, routing calls by full method path.
///
/// Handlers run as Swift tasks; a client cancellation or deadline cancels the task. `shutdown`
/// stops accepting calls, lets in-flight calls finish within a grace period, then cancels the rest.
public final class GRPCServer: Sendable {
    private let routes: [String: MethodHandler]
    private let options: ServerOptions
    private let logger: Logger
    private let queue: CompletionQueue
    private let state = Mutex(State())

    private struct State {
        var server: CPointer?
        var shuttingDown = false
        var handlers = 0
    }

    public init(routes: [String: MethodHandler], options: ServerOptions = .init(), logger: Logger) {
        self.routes = routes
        self.options = options
        self.logger = logger
        self.queue = CompletionQueue()
    }

    /// Binds `path` (which must not exist) and starts serving. Throws a sentence on failure.
    public func start(unixSocketPath path: String) throws(GRPCStatus) {
        let server = CPointer(options.withChannelArgs { grpc_server_create($0, nil) })
        grpc_server_register_completion_queue(server.raw, queue.pointer.raw, nil)
        let credentials = grpc_insecure_server_credentials_create()
        let bound = grpc_server_add_http2_port(server.raw, "unix:\(path)", credentials)
        grpc_server_credentials_release(credentials)
        guard bound != 0 else {
            grpc_server_destroy(server.raw)
            throw GRPCStatus(.unavailable, "could not listen on unix socket \(path)")
        }
        grpc_server_start(server.raw)
        state.withLock { $0.server = server }
        for _ in 0..<max(1, options.pendingAccepts) {
            requestCall(server)
        }
    }

    /// Number of handlers still running (for tests and shutdown).
    public var activeHandlers: Int { state.withLock { $0.handlers } }

    /// Stops the server: no new calls, in-flight calls get `grace` to finish, then the rest are
    /// cancelled; returns once every grpc resource is released.
    public func shutdown(grace: Duration) async {
        let server: CPointer? = state.withLock { st in
            if st.shuttingDown { return nil }
            st.shuttingDown = true
            return st.server
        }
        guard let server else { return }
        let notified = AsyncFlag()
        let started = queue.startVoid({ _ in notified.set() }) { tag in
            grpc_server_shutdown_and_notify(server.raw, queue.pointer.raw, tag)
        }
        if started, !(await notified.wait(timeout: grace)) {
            logger.debug("cancelling calls still running after the shutdown grace period")
            grpc_server_cancel_all_calls(server.raw)
            _ = await notified.wait(timeout: .seconds(5))
        }
        // Handlers see cancellation and end; give them a moment before the queue closes.
        let deadline = ContinuousClock.now + .seconds(2)
        while activeHandlers > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        grpc_server_destroy(server.raw)
        queue.close()
    }

    private func requestCall(_ server: CPointer) {
        let slot = AcceptSlot()
        let started = queue.start({ [self] ok in
            accepted(slot, ok: ok, server: server)
        }) { tag in
            grpc_server_request_call(server.raw, slot.call, slot.details, slot.metadata, queue.pointer.raw, queue.pointer.raw, tag)
        }
        if !started { slot.release(keepCall: false) }
    }

    private func accepted(_ slot: AcceptSlot, ok: Bool, server: CPointer) {
        guard ok, let raw = slot.call.pointee else {
            slot.release(keepCall: false)
            return
        }
        let method = ByteBuffers.string(of: slot.details.pointee.method)
        let millis = sd_millis_until(slot.details.pointee.deadline)
        slot.release(keepCall: true)
        if !state.withLock({ $0.shuttingDown }) {
            requestCall(server)
        }
        let deadline: ContinuousClock.Instant? = millis == Int64.max ? nil : .now + .milliseconds(millis)
        let call = ServerCall(call: CPointer(raw), queue: queue)
        call.watchClose()
        let context = ServerContext(method: method, deadline: deadline)
        state.withLock { $0.handlers += 1 }
        let task = Task { [self] in
            await dispatch(call, context: context)
            state.withLock { $0.handlers -= 1 }
        }
        call.attach(handler: task)
    }

    private func dispatch(_ call: ServerCall, context: ServerContext) async {
        guard let handler = routes[context.method] else {
            logger.debug("unknown gRPC method", metadata: ["method": "\(context.method)"])
            await call.finish(GRPCStatus(.unimplemented, "this plugin does not implement \(context.method)"))
            return
        }
        do {
            switch handler {
            case .unary(let body):
                guard let request = await call.receive() else {
                    await call.finish(GRPCStatus(.cancelled, "the call ended before its request message arrived"))
                    return
                }
                let response = try await body(request, context)
                await call.finish(GRPCStatus(.ok, ""), message: response)
            case .serverStreaming(let body):
                guard let request = await call.receive() else {
                    await call.finish(GRPCStatus(.cancelled, "the call ended before its request message arrived"))
                    return
                }
                try await body(request, ResponseWriter(call: call), context)
                await call.finish(GRPCStatus(.ok, ""))
            case .clientStreaming(let body):
                let response = try await body(RequestStream(call: call), context)
                await call.finish(GRPCStatus(.ok, ""), message: response)
            case .bidiStreaming(let body):
                try await body(RequestStream(call: call), ResponseWriter(call: call), context)
                await call.finish(GRPCStatus(.ok, ""))
            }
        } catch let status as GRPCStatus {
            await call.finish(status)
        } catch is CancellationError {
            await call.finish(GRPCStatus(.cancelled, "the call was cancelled"))
        } catch {
            logger.error("gRPC handler failed", metadata: ["method": "\(context.method)", "error": "\(error)"])
            await call.finish(GRPCStatus(.internal, "\(error)"))
        }
    }
}

/// Storage grpc core fills when it hands us a new call.
private final class AcceptSlot: @unchecked Sendable {
    // Filled by grpc core before the accept completion; read once by that completion.
    let call = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: 1)
    let details = UnsafeMutablePointer<grpc_call_details>.allocate(capacity: 1)
    let metadata = UnsafeMutablePointer<grpc_metadata_array>.allocate(capacity: 1)

    init() {
        call.initialize(to: nil)
        details.initialize(to: grpc_call_details())
        grpc_call_details_init(details)
        metadata.initialize(to: grpc_metadata_array())
        grpc_metadata_array_init(metadata)
    }

    /// Frees the slot; the call reference is unref'd unless the caller took it.
    func release(keepCall: Bool) {
        if !keepCall, let raw = call.pointee { grpc_call_unref(raw) }
        call.deallocate()
        grpc_call_details_destroy(details)
        details.deallocate()
        grpc_metadata_array_destroy(metadata)
        metadata.deallocate()
    }
}
