/// Nomad's HCL specification tree (`hashicorp.nomad.plugins.shared.hclspec.Spec`) as a Swift value.
///
/// A plugin describes its plugin block and each task's `config {}` block with it; the Nomad client
/// turns it into an HCL decoder and sends the decoded value back as cty msgpack.
public indirect enum HCLSpec: Sendable, Equatable {
    /// An object whose keys are output names; a child's empty `name` defaults to its key.
    case object([String: HCLSpec])
    /// A tuple of child specs read from the same body.
    case array([HCLSpec])
    /// An attribute; `type` is an HCL type expression such as `string` or `list(string)`.
    case attr(name: String, type: String, required: Bool)
    case block(name: String, required: Bool, nested: HCLSpec)
    case blockAttrs(name: String, type: String, required: Bool)
    case blockList(name: String, minItems: UInt64, maxItems: UInt64, nested: HCLSpec)
    case blockSet(name: String, minItems: UInt64, maxItems: UInt64, nested: HCLSpec)
    case blockMap(name: String, labels: [String], nested: HCLSpec)
    /// `primary`, or `default` when the primary value is null.
    case `default`(primary: HCLSpec, default: HCLSpec)
    /// An HCL expression, e.g. `"\"30s\""` for a string or `15` for a number.
    case literal(String)
}
