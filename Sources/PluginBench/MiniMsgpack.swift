/// Just enough msgpack to build cty-encoded configs for the benchmark (maps, strings, ints, bools, arrays, nil).
indirect enum MsgValue {
    case map([(String, MsgValue)])
    case array([MsgValue])
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null

    var bytes: [UInt8] {
        switch self {
        case .null: return [0xc0]
        case .bool(let flag): return [flag ? 0xc3 : 0xc2]
        case .int(let value):
            if value >= 0 && value < 128 { return [UInt8(value)] }
            return [0xd3] + withUnsafeBytes(of: value.bigEndian, Array.init)
        case .string(let text):
            let utf8 = Array(text.utf8)
            if utf8.count < 32 { return [0xa0 | UInt8(utf8.count)] + utf8 }
            return [0xda] + withUnsafeBytes(of: UInt16(utf8.count).bigEndian, Array.init) + utf8
        case .array(let items):
            return [0xdc] + withUnsafeBytes(of: UInt16(items.count).bigEndian, Array.init) + items.flatMap(\.bytes)
        case .map(let pairs):
            return [0xde] + withUnsafeBytes(of: UInt16(pairs.count).bigEndian, Array.init)
                + pairs.flatMap { MsgValue.string($0.0).bytes + $0.1.bytes }
        }
    }
}

enum BenchConfigs {
    static func task(command: String, args: [String]) -> [UInt8] {
        MsgValue.map([
            ("args", .array(args.map(MsgValue.string))),
            ("command", .string(command)),
            ("disk_limit_mb", .null),
            ("evictable", .bool(true)),
            ("work_dir", .null),
        ]).bytes
    }

    static func plugin(disk: [(String, MsgValue)]) -> [UInt8] {
        MsgValue.map([("disk", .map(disk))]).bytes
    }
}
