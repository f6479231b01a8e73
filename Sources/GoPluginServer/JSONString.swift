/// JSON string escaping (RFC 8259), without Foundation; shared by every hand-written JSON line.
public enum JSONString {
    /// `value` as a quoted JSON string literal.
    public static func literal(_ value: String) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    public static func append(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
