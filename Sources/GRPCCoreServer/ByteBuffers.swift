import CGRPCCore

/// Conversions between Swift bytes and grpc core's byte buffers and slices.
enum ByteBuffers {
    /// A new byte buffer holding a copy of `bytes`; destroy it once the send completes.
    static func make(_ bytes: [UInt8]) -> UnsafeMutablePointer<grpc_byte_buffer> {
        bytes.withUnsafeBytes { raw in
            sd_byte_buffer_from(raw.baseAddress, raw.count)
        }
    }

    /// Copies a received buffer out and destroys it. Nil if the buffer cannot be read.
    static func consume(_ buffer: UnsafeMutablePointer<grpc_byte_buffer>) -> [UInt8]? {
        defer { grpc_byte_buffer_destroy(buffer) }
        var slice = grpc_slice()
        guard sd_byte_buffer_read_all(buffer, &slice) != 0 else { return nil }
        defer { grpc_slice_unref(slice) }
        return bytes(of: slice)
    }

    static func bytes(of slice: grpc_slice) -> [UInt8] {
        var copy = slice
        let length = sd_slice_length(&copy)
        guard length > 0, let start = sd_slice_start(&copy) else { return [] }
        return Array(UnsafeBufferPointer(start: start, count: length))
    }

    static func string(of slice: grpc_slice) -> String {
        String(decoding: bytes(of: slice), as: UTF8.self)
    }

    static func slice(_ bytes: [UInt8]) -> grpc_slice {
        bytes.withUnsafeBytes { raw in
            grpc_slice_from_copied_buffer(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
        }
    }

    static func slice(_ string: String) -> grpc_slice {
        slice(Array(string.utf8))
    }
}
