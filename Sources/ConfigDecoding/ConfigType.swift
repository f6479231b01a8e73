/// The type of a config attribute as Nomad sees it. Each maps to an HCL type expression for the
/// spec, and names itself in error sentences.
public indirect enum ConfigType: Sendable, Equatable {
    case string
    case number
    case bool
    /// A Go duration string (`"1m30s"`): `string` to Nomad, parsed and checked by us.
    case duration
    case list(ConfigType)

    /// The HCL type expression Nomad parses from `Attr.type`.
    public var hclType: String {
        switch self {
        case .string, .duration: return "string"
        case .number: return "number"
        case .bool: return "bool"
        case .list(let element): return "list(\(element.hclType))"
        }
    }

    /// How an error sentence names the type: `a number`, `a list of strings`.
    public var phrase: String {
        switch self {
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a bool (true or false)"
        case .duration: return "a duration such as \"30s\" or \"1m30s\""
        case .list(let element): return "a list of \(element.plural)"
        }
    }

    private var plural: String {
        switch self {
        case .string: return "strings"
        case .number: return "numbers"
        case .bool: return "bools"
        case .duration: return "durations"
        case .list(let element): return "lists of \(element.plural)"
        }
    }
}
