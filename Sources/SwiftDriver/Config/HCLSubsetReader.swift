/// Reads the small part of HCL that operators write in a plugin block, into a `CtyValue`:
///
/// - attributes `name = value`, where a value is a string, number, bool, `null`, a list
///   `[...]` or an object `{ key = value }` of those;
/// - blocks `name { ... }` and labelled blocks `plugin "nomad-driver-swift" { ... }`, which
///   become nested maps keyed by name, then label (the shape HCL's JSON form has);
/// - `#`, `//` and `/* */` comments.
///
/// Not supported, each with an error sentence: interpolation `${...}`, heredocs, functions,
/// operators, and anything else that needs an HCL evaluator.
public enum HCLSubsetReader {
    public static func parse(_ text: String) throws(ConfigError) -> CtyValue {
        var lexer = Lexer(text)
        var parser = Parser(tokens: try lexer.tokens())
        let body = try parser.body(until: .end)
        return .map(body)
    }
}

private enum Token: Equatable {
    case identifier(String)
    case string(String)
    case number(String)
    case symbol(Character)  // = { } [ ] , -
    case newline
    case end
}

private struct Located {
    var token: Token
    var line: Int
}

private func syntaxError(_ line: Int, _ message: String) -> ConfigError {
    ConfigError("line \(line): \(message)", subject: PluginConfig.errorSubject)
}

private struct Lexer {
    let scalars: [Unicode.Scalar]
    var i = 0
    var line = 1

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        i + ahead < scalars.count ? scalars[i + ahead] : nil
    }

    mutating func tokens() throws(ConfigError) -> [Located] {
        var out: [Located] = []
        while let c = peek() {
            switch c {
            case " ", "\t", "\r":
                i += 1
            case "\n", ";":
                out.append(Located(token: .newline, line: line))
                if c == "\n" { line += 1 }
                i += 1
            case "#":
                skipLine()
            case "/" where peek(1) == "/":
                skipLine()
            case "/" where peek(1) == "*":
                let start = line
                i += 2
                while let d = peek(), !(d == "*" && peek(1) == "/") {
                    if d == "\n" { line += 1 }
                    i += 1
                }
                guard peek() != nil else { throw syntaxError(start, "a /* comment is never closed") }
                i += 2
            case "=", "{", "}", "[", "]", ",", "-":
                out.append(Located(token: .symbol(Character(c)), line: line))
                i += 1
            case "\"":
                out.append(Located(token: .string(try string()), line: line))
            case "<" where peek(1) == "<":
                throw syntaxError(line, "heredoc strings (<<) are not supported here; use a quoted string")
            default:
                if c.properties.isASCIIHexDigit, c.value < 0x3a {
                    out.append(Located(token: .number(number()), line: line))
                } else if c.properties.isXIDStart || c == "_" {
                    var name = ""
                    while let d = peek(), d.properties.isXIDContinue || d == "-" || d == "_" {
                        name.unicodeScalars.append(d)
                        i += 1
                    }
                    out.append(Located(token: .identifier(name), line: line))
                } else {
                    throw syntaxError(line, "unexpected character \"\(c)\"")
                }
            }
        }
        out.append(Located(token: .end, line: line))
        return out
    }

    mutating func skipLine() {
        while let c = peek(), c != "\n" { i += 1 }
    }

    mutating func number() -> String {
        var text = ""
        func take(_ accept: (Unicode.Scalar) -> Bool) {
            while let c = peek(), accept(c) {
                text.unicodeScalars.append(c)
                i += 1
            }
        }
        let isDigit = { (c: Unicode.Scalar) in c.value >= 0x30 && c.value <= 0x39 }
        take(isDigit)
        if peek() == ".", let next = peek(1), isDigit(next) {
            text += "."
            i += 1
            take(isDigit)
        }
        if let e = peek(), e == "e" || e == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if let d = peek(signed ? 2 : 1), isDigit(d) {
                text.unicodeScalars.append(e)
                if signed, let s = peek(1) { text.unicodeScalars.append(s) }
                i += signed ? 2 : 1
                take(isDigit)
            }
        }
        return text
    }

    mutating func string() throws(ConfigError) -> String {
        let start = line
        i += 1
        var text = ""
        while true {
            guard let c = peek(), c != "\n" else { throw syntaxError(start, "a quoted string is never closed") }
            i += 1
            switch c {
            case "\"":
                return text
            case "\\":
                guard let e = peek() else { throw syntaxError(start, "a quoted string is never closed") }
                i += 1
                switch e {
                case "n": text += "\n"
                case "r": text += "\r"
                case "t": text += "\t"
                case "\"": text += "\""
                case "\\": text += "\\"
                case "u", "U":
                    let width = e == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<width {
                        guard let h = peek(), h.properties.isASCIIHexDigit else { break }
                        hex.unicodeScalars.append(h)
                        i += 1
                    }
                    guard hex.count == width, let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
                        throw syntaxError(line, "\\\(e) must be followed by \(width) hex digits of a Unicode character")
                    }
                    text.unicodeScalars.append(scalar)
                default:
                    throw syntaxError(line, "unknown escape \\\(e) in a quoted string")
                }
            case "$" where peek() == "{", "%" where peek() == "{":
                throw syntaxError(line, "template sequences (\(c){...}) are not supported here; write the value literally")
            case "$" where peek() == "$" && peek(1) == "{", "%" where peek() == "%" && peek(1) == "{":
                // `$${` and `%%{` are HCL's escapes for a literal `${` / `%{`.
                text.unicodeScalars.append(c)
                text += "{"
                i += 2
            default:
                text.unicodeScalars.append(c)
            }
        }
    }
}

private struct Parser {
    let tokens: [Located]
    var i = 0
    /// Open blocks, lists and objects; capped so hostile input cannot exhaust the stack.
    var depth = 0
    static let maxDepth = 64

    init(tokens: [Located]) {
        self.tokens = tokens
    }

    var current: Located { tokens[min(i, tokens.count - 1)] }

    mutating func skipNewlines() {
        while current.token == .newline { i += 1 }
    }

    /// Attributes and blocks up to `closer` (`}` or the end of the file).
    mutating func body(until closer: Token) throws(ConfigError) -> [String: CtyValue] {
        try enter()
        defer { depth -= 1 }
        var entries: [String: CtyValue] = [:]
        var blockNames: Set<String> = []
        while true {
            skipNewlines()
            let start = current
            if start.token == closer {
                i += 1
                return entries
            }
            guard case .identifier(let name) = start.token else {
                if start.token == .end { throw syntaxError(start.line, "a block is never closed with }") }
                throw syntaxError(start.line, "expected an attribute or block name, got \(describe(start.token))")
            }
            i += 1
            if current.token == .symbol("=") {
                i += 1
                guard entries[name] == nil else { throw syntaxError(start.line, "\(name) is set more than once") }
                entries[name] = try expression()
                guard current.token == .newline || current.token == closer || current.token == .end else {
                    throw syntaxError(current.line, "expected a new line after the value of \(name), got \(describe(current.token))")
                }
                continue
            }
            var labels: [String] = []
            // Labels are quoted strings, or bare identifiers (`plugin docker { }`).
            collecting: while true {
                switch current.token {
                case .string(let label), .identifier(let label):
                    labels.append(label)
                    i += 1
                default:
                    break collecting
                }
            }
            guard current.token == .symbol("{") else {
                throw syntaxError(current.line, "expected = or { after \(name), got \(describe(current.token))")
            }
            i += 1
            let block = CtyValue.map(try body(until: .symbol("}")))
            if labels.isEmpty {
                guard entries[name] == nil else { throw syntaxError(start.line, "\(name) is declared more than once") }
                entries[name] = block
            } else {
                guard entries[name] == nil || blockNames.contains(name) else {
                    throw syntaxError(start.line, "\(name) is used both as an attribute and as a block")
                }
                blockNames.insert(name)
                guard let merged = Self.insert(block, labels: labels[...], into: entries[name] ?? .map([:])) else {
                    throw syntaxError(start.line, "\(name) \(labels.map { "\"\($0)\"" }.joined(separator: " ")) is declared more than once")
                }
                entries[name] = merged
            }
        }
    }

    /// Nests a labelled block under its labels; nil when that exact label path already exists.
    static func insert(_ block: CtyValue, labels: ArraySlice<String>, into tree: CtyValue) -> CtyValue? {
        guard let label = labels.first, case .map(var level) = tree else { return nil }
        if labels.count == 1 {
            guard level[label] == nil else { return nil }
            level[label] = block
        } else {
            guard let inner = insert(block, labels: labels.dropFirst(), into: level[label] ?? .map([:])) else { return nil }
            level[label] = inner
        }
        return .map(level)
    }

    mutating func expression() throws(ConfigError) -> CtyValue {
        skipNewlines()
        let start = current
        i += 1
        switch start.token {
        case .string(let s): return .string(s)
        case .number(let text): return try number(text, line: start.line)
        case .symbol("-"):
            guard case .number(let text) = current.token else {
                throw syntaxError(start.line, "expected a number after -, got \(describe(current.token))")
            }
            i += 1
            return try number("-" + text, line: start.line)
        case .identifier("true"): return .bool(true)
        case .identifier("false"): return .bool(false)
        case .identifier("null"): return .null
        case .symbol("["):
            try enter()
            defer { depth -= 1 }
            var items: [CtyValue] = []
            while true {
                skipNewlines()
                if current.token == .symbol("]") {
                    i += 1
                    return .list(items)
                }
                items.append(try expression())
                skipNewlines()
                if current.token == .symbol(",") {
                    i += 1
                } else if current.token != .symbol("]") {
                    throw syntaxError(current.line, "expected , or ] in a list, got \(describe(current.token))")
                }
            }
        case .symbol("{"):
            try enter()
            defer { depth -= 1 }
            var entries: [String: CtyValue] = [:]
            while true {
                skipNewlines()
                if current.token == .symbol("}") {
                    i += 1
                    return .map(entries)
                }
                let keyToken = current
                let key: String
                switch keyToken.token {
                case .identifier(let k), .string(let k): key = k
                default: throw syntaxError(keyToken.line, "expected an object key, got \(describe(keyToken.token))")
                }
                i += 1
                guard current.token == .symbol("=") else {
                    throw syntaxError(current.line, "expected = after the object key \(key), got \(describe(current.token))")
                }
                i += 1
                guard entries[key] == nil else { throw syntaxError(keyToken.line, "the object key \(key) appears more than once") }
                entries[key] = try expression()
                if current.token == .symbol(",") { i += 1 }
            }
        case .identifier(let name):
            throw syntaxError(start.line, "\(name) is not a value this reader understands; use a quoted string, a number, true, false or a list")
        default:
            throw syntaxError(start.line, "expected a value, got \(describe(start.token))")
        }
    }

    mutating func enter() throws(ConfigError) {
        depth += 1
        guard depth <= Self.maxDepth else {
            throw syntaxError(current.line, "blocks, lists and objects nest deeper than \(Self.maxDepth) levels")
        }
    }

    func number(_ text: String, line: Int) throws(ConfigError) -> CtyValue {
        guard let n = CtyNumber(decimal: text) else { throw syntaxError(line, "\(text) is not a number") }
        return .number(n)
    }

    func describe(_ token: Token) -> String {
        switch token {
        case .identifier(let s): return s
        case .string(let s): return "\"\(s)\""
        case .number(let s): return s
        case .symbol(let c): return "\(c)"
        case .newline: return "a new line"
        case .end: return "the end of the file"
        }
    }
}
