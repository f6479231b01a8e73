/// Building Nomad's HCL specification tree (`HCLSpec`, hclspec's `Spec`) the way it reads: each
/// builder names the node kind and takes that node's fields.
///
/// A plugin describes its plugin block and each task's `config {}` block with it; the Nomad client
/// turns it into an HCL decoder and sends the decoded value back as cty msgpack.
extension HCLSpec {
    /// An object whose keys are output names; a child's empty `name` defaults to its key.
    public static func object(_ attributes: [String: HCLSpec]) -> HCLSpec {
        HCLSpec(block: .object(HCLSpecObject(attributes: attributes)))
    }

    /// A tuple of child specs read from the same body.
    public static func array(_ values: [HCLSpec]) -> HCLSpec {
        HCLSpec(block: .array(HCLSpecArray(values: values)))
    }

    /// An attribute; `type` is an HCL type expression such as `string` or `list(string)`.
    public static func attr(name: String, type: String, required: Bool) -> HCLSpec {
        HCLSpec(block: .attr(HCLSpecAttr(name: name, type: type, required: required)))
    }

    public static func block(name: String, required: Bool, nested: HCLSpec) -> HCLSpec {
        HCLSpec(block: .blockValue(HCLSpecBlock(name: name, required: required, nested: nested)))
    }

    public static func blockAttrs(name: String, type: String, required: Bool) -> HCLSpec {
        HCLSpec(block: .blockAttrs(HCLSpecBlockAttrs(name: name, type: type, required: required)))
    }

    public static func blockList(name: String, minItems: UInt64, maxItems: UInt64, nested: HCLSpec) -> HCLSpec {
        HCLSpec(block: .blockList(HCLSpecBlockList(name: name, minItems: minItems, maxItems: maxItems, nested: nested)))
    }

    public static func blockSet(name: String, minItems: UInt64, maxItems: UInt64, nested: HCLSpec) -> HCLSpec {
        HCLSpec(block: .blockSet(HCLSpecBlockSet(name: name, minItems: minItems, maxItems: maxItems, nested: nested)))
    }

    public static func blockMap(name: String, labels: [String], nested: HCLSpec) -> HCLSpec {
        HCLSpec(block: .blockMap(HCLSpecBlockMap(name: name, labels: labels, nested: nested)))
    }

    /// `primary`, or `default` when the primary value is null.
    public static func `default`(primary: HCLSpec, default fallback: HCLSpec) -> HCLSpec {
        HCLSpec(block: .default(HCLSpecDefault(primary: primary, default: fallback)))
    }

    /// An HCL expression, e.g. `"\"30s\""` for a string or `15` for a number.
    public static func literal(_ expression: String) -> HCLSpec {
        HCLSpec(block: .literal(HCLSpecLiteral(value: expression)))
    }
}
