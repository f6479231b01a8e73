/// Finds the exact bytes of an embedded message inside an encoding that protobuf-c has already
/// accepted, so a sub-message can be echoed byte for byte rather than re-packed.
enum RawFieldScanner {
    /// The payload of field `number`, if it occurs exactly once at the top level of `bytes` as a
    /// length-delimited field; nil if it is absent, repeated (protobuf would merge the copies) or
    /// the bytes do not scan.
    static func singlePayload(of number: UInt64, in bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var position = bytes.startIndex
        var found: ArraySlice<UInt8>?
        var count = 0

        func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while position < bytes.endIndex, shift < 64 {
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }

        while position < bytes.endIndex {
            guard let key = varint() else { return nil }
            switch key & 7 {
            case 0:
                guard varint() != nil else { return nil }
            case 1, 5:
                let size = key & 7 == 1 ? 8 : 4
                guard bytes.endIndex - position >= size else { return nil }
                position += size
            case 2:
                guard let length = varint(), length <= UInt64(bytes.endIndex - position) else { return nil }
                let end = position + Int(length)
                if key >> 3 == number {
                    found = bytes[position..<end]
                    count += 1
                }
                position = end
            default:
                return nil  // groups and invalid wire types: let the caller fall back
            }
        }
        return count == 1 ? found : nil
    }
}
