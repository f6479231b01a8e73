/// A decoded cty value, schema-less.
///
/// Lists, sets and tuples are all `.list`; objects and maps are both `.map`. A value that was
/// wrapped as dynamic (`[typeJSON, value]`) arrives here already unwrapped.
public enum CtyValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(CtyNumber)
    case string(String)
    case list([CtyValue])
    case map([String: CtyValue])

    /// How an error sentence names a given value: `string "high"`, `number 12`, `list of 2 items`.
    public var summary: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "bool \(b)"
        case .number(let n): return "number \(Self.clip(n.description))"
        case .string(let s): return "string \"\(Self.clip(s))\""
        case .list(let items): return items.count == 1 ? "list of 1 item" : "list of \(items.count) items"
        case .map(let entries):
            return entries.isEmpty ? "empty object" : "object with keys \(entries.keys.sorted().joined(separator: ", "))"
        }
    }

    /// Keeps error sentences short when a value is huge (a 301-digit number, a pasted file).
    private static func clip(_ text: String) -> String {
        text.count <= 48 ? text : String(text.prefix(45)) + "..."
    }
}

extension CtyValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .number(CtyNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(CtyNumber(value)) }
    public init(arrayLiteral elements: CtyValue...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .null }

    public init(dictionaryLiteral elements: (String, CtyValue)...) {
        // Last one wins on a repeated key; literals are written by programmers, not read from input.
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
