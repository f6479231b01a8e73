/// Renders a `CtyValue` as an HCL expression for a spec `Literal`, which Nomad evaluates as
/// HCL: strings need their quotes, and `${` / `%{` must be escaped or they would interpolate.
enum HCLLiteral {
    static func render(_ value: CtyValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n):
            // Infinity has no HCL literal; a finite bound is the closest a default can say.
            if n.doubleValue.isInfinite { return n.doubleValue < 0 ? "-1e308" : "1e308" }
            return n.description
        case .string(let s): return quote(s)
        case .list(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .map(let entries):
            let body = entries.keys.sorted().map { "\(quote($0)) = \(render(entries[$0] ?? .null))" }
            return "{" + body.joined(separator: ", ") + "}"
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        var previous: Character?
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "{" where previous == "$" || previous == "%":
                // `$${` and `%%{` are HCL's escapes for a literal `${` / `%{`.
                out.insert(previous ?? "$", at: out.index(before: out.endIndex))
                out.append("{")
            default:
                if let scalar = ch.unicodeScalars.first, ch.unicodeScalars.count == 1, scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.append(ch)
                }
            }
            previous = ch
        }
        return out + "\""
    }
}
