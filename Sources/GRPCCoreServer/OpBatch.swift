import CGRPCCore

/// Memory for one grpc batch: the op array plus whatever the ops point at, kept alive until the
/// batch completes and released exactly once by `release()`.
final class OpBatch: @unchecked Sendable {
    // Touched only by the thread that builds the batch and, after completion, by the single
    // completion callback: grpc core hands the batch from one to the other.
    private(set) var ops: [grpc_op] = []
    private var sendBuffers: [UnsafeMutablePointer<grpc_byte_buffer>] = []
    private var slices: [grpc_slice] = []
    private var metadata: UnsafeMutablePointer<grpc_metadata>?
    private(set) var receivedMessage: UnsafeMutablePointer<UnsafeMutablePointer<grpc_byte_buffer>?>?
    private(set) var cancelledFlag: UnsafeMutablePointer<Int32>?
    private(set) var clientStatus: ClientStatusStorage?
    private(set) var initialMetadata: UnsafeMutablePointer<grpc_metadata_array>?

    func sendInitialMetadata() {
        var op = grpc_op()
        op.op = GRPC_OP_SEND_INITIAL_METADATA
        op.data.send_initial_metadata.count = 0
        op.data.send_initial_metadata.metadata = nil
        ops.append(op)
    }

    func sendMessage(_ bytes: [UInt8]) {
        let buffer = ByteBuffers.make(bytes)
        sendBuffers.append(buffer)
        var op = grpc_op()
        op.op = GRPC_OP_SEND_MESSAGE
        op.data.send_message.send_message = buffer
        ops.append(op)
    }

    func sendCloseFromClient() {
        var op = grpc_op()
        op.op = GRPC_OP_SEND_CLOSE_FROM_CLIENT
        ops.append(op)
    }

    func sendStatus(_ status: GRPCStatus) {
        let message = ByteBuffers.slice(status.message)
        slices.append(message)
        let messagePointer = UnsafeMutablePointer<grpc_slice>.allocate(capacity: 1)
        messagePointer.initialize(to: message)
        var op = grpc_op()
        op.op = GRPC_OP_SEND_STATUS_FROM_SERVER
        op.data.send_status_from_server.status = grpc_status_code(rawValue: status.code.rawValue)
        op.data.send_status_from_server.status_details = messagePointer
        if let details = status.details {
            let key = ByteBuffers.slice("grpc-status-details-bin")
            let value = ByteBuffers.slice(details)
            slices.append(key)
            slices.append(value)
            let entry = UnsafeMutablePointer<grpc_metadata>.allocate(capacity: 1)
            entry.initialize(to: grpc_metadata())
            entry.pointee.key = key
            entry.pointee.value = value
            metadata = entry
            op.data.send_status_from_server.trailing_metadata_count = 1
            op.data.send_status_from_server.trailing_metadata = entry
        } else {
            op.data.send_status_from_server.trailing_metadata_count = 0
            op.data.send_status_from_server.trailing_metadata = nil
        }
        statusDetailsPointer = messagePointer
        ops.append(op)
    }

    private var statusDetailsPointer: UnsafeMutablePointer<grpc_slice>?

    func receiveMessage() {
        let slot = UnsafeMutablePointer<UnsafeMutablePointer<grpc_byte_buffer>?>.allocate(capacity: 1)
        slot.initialize(to: nil)
        receivedMessage = slot
        var op = grpc_op()
        op.op = GRPC_OP_RECV_MESSAGE
        op.data.recv_message.recv_message = slot
        ops.append(op)
    }

    func receiveCloseOnServer() {
        let flag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        flag.initialize(to: 0)
        cancelledFlag = flag
        var op = grpc_op()
        op.op = GRPC_OP_RECV_CLOSE_ON_SERVER
        op.data.recv_close_on_server.cancelled = flag
        ops.append(op)
    }

    func receiveInitialMetadata() {
        let array = UnsafeMutablePointer<grpc_metadata_array>.allocate(capacity: 1)
        array.initialize(to: grpc_metadata_array())
        grpc_metadata_array_init(array)
        initialMetadata = array
        var op = grpc_op()
        op.op = GRPC_OP_RECV_INITIAL_METADATA
        op.data.recv_initial_metadata.recv_initial_metadata = array
        ops.append(op)
    }

    func receiveStatusOnClient() {
        let storage = ClientStatusStorage()
        clientStatus = storage
        var op = grpc_op()
        op.op = GRPC_OP_RECV_STATUS_ON_CLIENT
        op.data.recv_status_on_client.trailing_metadata = storage.trailing
        op.data.recv_status_on_client.status = storage.code
        op.data.recv_status_on_client.status_details = storage.details
        op.data.recv_status_on_client.error_string = nil
        ops.append(op)
    }

    /// Takes the received message (if any) out of the batch; the caller owns nothing afterwards.
    func takeReceivedMessage() -> [UInt8]? {
        guard let slot = receivedMessage, let buffer = slot.pointee else { return nil }
        slot.pointee = nil
        return ByteBuffers.consume(buffer)
    }

    /// Frees everything this batch allocated. Called once, after completion or a refused start.
    func release() {
        for buffer in sendBuffers { grpc_byte_buffer_destroy(buffer) }
        sendBuffers = []
        for slice in slices { grpc_slice_unref(slice) }
        slices = []
        metadata?.deallocate()
        metadata = nil
        statusDetailsPointer?.deallocate()
        statusDetailsPointer = nil
        if let slot = receivedMessage {
            if let buffer = slot.pointee { grpc_byte_buffer_destroy(buffer) }
            slot.deallocate()
            receivedMessage = nil
        }
        cancelledFlag?.deallocate()
        cancelledFlag = nil
        if let array = initialMetadata {
            grpc_metadata_array_destroy(array)
            array.deallocate()
            initialMetadata = nil
        }
        clientStatus?.release()
        clientStatus = nil
    }
}

/// Where grpc core writes a client call's final status.
final class ClientStatusStorage: @unchecked Sendable {
    // Written by grpc core before the completion; read once by the completion callback.
    let trailing = UnsafeMutablePointer<grpc_metadata_array>.allocate(capacity: 1)
    let code = UnsafeMutablePointer<grpc_status_code>.allocate(capacity: 1)
    let details = UnsafeMutablePointer<grpc_slice>.allocate(capacity: 1)
    private var released = false

    init() {
        trailing.initialize(to: grpc_metadata_array())
        grpc_metadata_array_init(trailing)
        code.initialize(to: GRPC_STATUS_UNKNOWN)
        details.initialize(to: grpc_empty_slice())
    }

    func status() -> GRPCStatus {
        var detailBytes: [UInt8]?
        let array = trailing.pointee
        for index in 0..<array.count {
            let entry = array.metadata[index]
            if ByteBuffers.string(of: entry.key) == "grpc-status-details-bin" {
                detailBytes = ByteBuffers.bytes(of: entry.value)
            }
        }
        return GRPCStatus(.init(wire: Int32(code.pointee.rawValue)), ByteBuffers.string(of: details.pointee), details: detailBytes)
    }

    func release() {
        guard !released else { return }
        released = true
        grpc_metadata_array_destroy(trailing)
        trailing.deallocate()
        grpc_slice_unref(details.pointee)
        details.deallocate()
        code.deallocate()
    }
}
